from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_in_assignee_rule import TaskInAssigneeRule
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskIn")


@_attrs_define
class TaskIn:
    """
    Attributes:
        due_at (datetime.datetime): RFC 3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        title (str):
        assignee (None | str | Unset): Given: this person. Otherwise by `assignee_rule`.
        assignee_rule (TaskInAssigneeRule | Unset): Without an owner or team member to give it to, the task is
            unassigned. Default: TaskInAssigneeRule.CUSTOMER_OWNER.
        customer_id (None | str | Unset):
        deal_id (None | str | Unset):
        reason (str | Unset):  Default: ''.
        team (None | str | Unset): The team to round-robin in.
    """

    due_at: datetime.datetime
    title: str
    assignee: None | str | Unset = UNSET
    assignee_rule: TaskInAssigneeRule | Unset = TaskInAssigneeRule.CUSTOMER_OWNER
    customer_id: None | str | Unset = UNSET
    deal_id: None | str | Unset = UNSET
    reason: str | Unset = ""
    team: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        due_at = self.due_at.isoformat()

        title = self.title

        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        assignee_rule: str | Unset = UNSET
        if not isinstance(self.assignee_rule, Unset):
            assignee_rule = self.assignee_rule.value

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        deal_id: None | str | Unset
        if isinstance(self.deal_id, Unset):
            deal_id = UNSET
        else:
            deal_id = self.deal_id

        reason = self.reason

        team: None | str | Unset
        if isinstance(self.team, Unset):
            team = UNSET
        else:
            team = self.team

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "due_at": due_at,
                "title": title,
            }
        )
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if assignee_rule is not UNSET:
            field_dict["assignee_rule"] = assignee_rule
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if deal_id is not UNSET:
            field_dict["deal_id"] = deal_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if team is not UNSET:
            field_dict["team"] = team

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        title = d.pop("title")

        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))

        _assignee_rule = d.pop("assignee_rule", UNSET)
        assignee_rule: TaskInAssigneeRule | Unset
        if isinstance(_assignee_rule, Unset):
            assignee_rule = UNSET
        else:
            assignee_rule = TaskInAssigneeRule(_assignee_rule)

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_deal_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deal_id = _parse_deal_id(d.pop("deal_id", UNSET))

        reason = d.pop("reason", UNSET)

        def _parse_team(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team = _parse_team(d.pop("team", UNSET))

        task_in = cls(
            due_at=due_at,
            title=title,
            assignee=assignee,
            assignee_rule=assignee_rule,
            customer_id=customer_id,
            deal_id=deal_id,
            reason=reason,
            team=team,
        )

        return task_in
