from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """
    Attributes:
        created_at (datetime.datetime):
        source (str): `journey`, `sop`, `manual` or `signal`.
        status (TaskStatus):
        task_id (str):
        title (str):
        assignee (None | str | Unset):
        churn_reasons (list[str] | Unset): A task made from a churn signal (source `signal`, or a journey's sales task):
            why the customer is at risk, in sentences a salesperson can act on; empty otherwise.
        completed_at (datetime.datetime | None | Unset):
        customer_id (None | str | Unset):
        deal_id (None | str | Unset):
        due_at (datetime.datetime | None | Unset):
        predicted_clv (None | str | Unset): The customer's predicted 12-month CLV when the task was made (the
            workspace's currency), if known.
    """

    created_at: datetime.datetime
    source: str
    status: TaskStatus
    task_id: str
    title: str
    assignee: None | str | Unset = UNSET
    churn_reasons: list[str] | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    customer_id: None | str | Unset = UNSET
    deal_id: None | str | Unset = UNSET
    due_at: datetime.datetime | None | Unset = UNSET
    predicted_clv: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        source = self.source

        status = self.status.value

        task_id = self.task_id

        title = self.title

        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        churn_reasons: list[str] | Unset = UNSET
        if not isinstance(self.churn_reasons, Unset):
            churn_reasons = self.churn_reasons

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

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

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        predicted_clv: None | str | Unset
        if isinstance(self.predicted_clv, Unset):
            predicted_clv = UNSET
        else:
            predicted_clv = self.predicted_clv

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "source": source,
                "status": status,
                "task_id": task_id,
                "title": title,
            }
        )
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if churn_reasons is not UNSET:
            field_dict["churn_reasons"] = churn_reasons
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if deal_id is not UNSET:
            field_dict["deal_id"] = deal_id
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if predicted_clv is not UNSET:
            field_dict["predicted_clv"] = predicted_clv

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        source = d.pop("source")

        status = TaskStatus(d.pop("status"))

        task_id = d.pop("task_id")

        title = d.pop("title")

        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))

        churn_reasons = cast(list[str], d.pop("churn_reasons", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

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

        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        def _parse_predicted_clv(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        predicted_clv = _parse_predicted_clv(d.pop("predicted_clv", UNSET))

        task = cls(
            created_at=created_at,
            source=source,
            status=status,
            task_id=task_id,
            title=title,
            assignee=assignee,
            churn_reasons=churn_reasons,
            completed_at=completed_at,
            customer_id=customer_id,
            deal_id=deal_id,
            due_at=due_at,
            predicted_clv=predicted_clv,
        )

        task.additional_properties = d
        return task

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
