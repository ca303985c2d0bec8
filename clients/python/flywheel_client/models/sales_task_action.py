from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sales_task_action_assignee_rule import SalesTaskActionAssigneeRule
from ..types import UNSET, Unset

T = TypeVar("T", bound="SalesTaskAction")


@_attrs_define
class SalesTaskAction:
    """Work for a salesperson: the customer's owner, or the next of a team in turn.

    Attributes:
        kind (Literal['sales_task']):
        title (str):
        assignee_rule (SalesTaskActionAssigneeRule | Unset):  Default: SalesTaskActionAssigneeRule.CUSTOMER_OWNER.
        due_in (str | Unset):  Default: '2d'.
        reason (None | str | Unset):
        team (None | str | Unset):
    """

    kind: Literal["sales_task"]
    title: str
    assignee_rule: SalesTaskActionAssigneeRule | Unset = SalesTaskActionAssigneeRule.CUSTOMER_OWNER
    due_in: str | Unset = "2d"
    reason: None | str | Unset = UNSET
    team: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        title = self.title

        assignee_rule: str | Unset = UNSET
        if not isinstance(self.assignee_rule, Unset):
            assignee_rule = self.assignee_rule.value

        due_in = self.due_in

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        team: None | str | Unset
        if isinstance(self.team, Unset):
            team = UNSET
        else:
            team = self.team

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "title": title,
            }
        )
        if assignee_rule is not UNSET:
            field_dict["assignee_rule"] = assignee_rule
        if due_in is not UNSET:
            field_dict["due_in"] = due_in
        if reason is not UNSET:
            field_dict["reason"] = reason
        if team is not UNSET:
            field_dict["team"] = team

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["sales_task"], d.pop("kind"))
        if kind != "sales_task":
            raise ValueError(f"kind must match const 'sales_task', got '{kind}'")

        title = d.pop("title")

        _assignee_rule = d.pop("assignee_rule", UNSET)
        assignee_rule: SalesTaskActionAssigneeRule | Unset
        if isinstance(_assignee_rule, Unset):
            assignee_rule = UNSET
        else:
            assignee_rule = SalesTaskActionAssigneeRule(_assignee_rule)

        due_in = d.pop("due_in", UNSET)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_team(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team = _parse_team(d.pop("team", UNSET))

        sales_task_action = cls(
            kind=kind,
            title=title,
            assignee_rule=assignee_rule,
            due_in=due_in,
            reason=reason,
            team=team,
        )

        return sales_task_action
