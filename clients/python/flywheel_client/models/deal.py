from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deal_status import DealStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deal_fields import DealFields
    from ..models.stage_entry import StageEntry


T = TypeVar("T", bound="Deal")


@_attrs_define
class Deal:
    """A deal with what keeps it in its stage and its stage history.

    Attributes:
        amount (str): Decimal string.
        created_at (datetime.datetime):
        currency (str):
        deal_id (str):
        pipeline_id (str):
        stage (str):
        status (DealStatus):
        title (str):
        updated_at (datetime.datetime):
        blockers (list[str] | Unset): What keeps the deal in its stage: open required checklist items, missing fields.
        close_reason (None | str | Unset):
        closed_at (datetime.datetime | None | Unset):
        customer_id (None | str | Unset): Null once the customer was erased.
        fields (DealFields | Unset):
        owner (None | str | Unset):
        products (list[str] | Unset):
        stage_history (list[StageEntry] | Unset): One entry per stage entered.
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    deal_id: str
    pipeline_id: str
    stage: str
    status: DealStatus
    title: str
    updated_at: datetime.datetime
    blockers: list[str] | Unset = UNSET
    close_reason: None | str | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    customer_id: None | str | Unset = UNSET
    fields: DealFields | Unset = UNSET
    owner: None | str | Unset = UNSET
    products: list[str] | Unset = UNSET
    stage_history: list[StageEntry] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        deal_id = self.deal_id

        pipeline_id = self.pipeline_id

        stage = self.stage

        status = self.status.value

        title = self.title

        updated_at = self.updated_at.isoformat()

        blockers: list[str] | Unset = UNSET
        if not isinstance(self.blockers, Unset):
            blockers = self.blockers

        close_reason: None | str | Unset
        if isinstance(self.close_reason, Unset):
            close_reason = UNSET
        else:
            close_reason = self.close_reason

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        products: list[str] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = self.products

        stage_history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.stage_history, Unset):
            stage_history = []
            for stage_history_item_data in self.stage_history:
                stage_history_item = stage_history_item_data.to_dict()
                stage_history.append(stage_history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "deal_id": deal_id,
                "pipeline_id": pipeline_id,
                "stage": stage,
                "status": status,
                "title": title,
                "updated_at": updated_at,
            }
        )
        if blockers is not UNSET:
            field_dict["blockers"] = blockers
        if close_reason is not UNSET:
            field_dict["close_reason"] = close_reason
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if fields is not UNSET:
            field_dict["fields"] = fields
        if owner is not UNSET:
            field_dict["owner"] = owner
        if products is not UNSET:
            field_dict["products"] = products
        if stage_history is not UNSET:
            field_dict["stage_history"] = stage_history

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_fields import DealFields  # noqa: PLC0415
        from ..models.stage_entry import StageEntry  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        deal_id = d.pop("deal_id")

        pipeline_id = d.pop("pipeline_id")

        stage = d.pop("stage")

        status = DealStatus(d.pop("status"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        blockers = cast(list[str], d.pop("blockers", UNSET))

        def _parse_close_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        close_reason = _parse_close_reason(d.pop("close_reason", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        _fields = d.pop("fields", UNSET)
        fields: DealFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = DealFields.from_dict(_fields)

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        products = cast(list[str], d.pop("products", UNSET))

        _stage_history = d.pop("stage_history", UNSET)
        stage_history: list[StageEntry] | Unset = UNSET
        if _stage_history is not UNSET:
            stage_history = []
            for stage_history_item_data in _stage_history:
                stage_history_item = StageEntry.from_dict(stage_history_item_data)

                stage_history.append(stage_history_item)

        deal = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            deal_id=deal_id,
            pipeline_id=pipeline_id,
            stage=stage,
            status=status,
            title=title,
            updated_at=updated_at,
            blockers=blockers,
            close_reason=close_reason,
            closed_at=closed_at,
            customer_id=customer_id,
            fields=fields,
            owner=owner,
            products=products,
            stage_history=stage_history,
        )

        deal.additional_properties = d
        return deal

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
