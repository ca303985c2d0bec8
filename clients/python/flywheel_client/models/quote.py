from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quote_status import QuoteStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote_line import QuoteLine


T = TypeVar("T", bound="Quote")


@_attrs_define
class Quote:
    """
    Attributes:
        created_at (datetime.datetime):
        currency (str):
        deal_id (str):
        discount_percent (str):
        lines (list[QuoteLine]):
        quote_id (str):
        status (QuoteStatus): `open` (within the threshold) and `approved` quotes can be accepted.
        subtotal (str):
        threshold_percent (str): The workspace's approval threshold when quoted.
        total (str):
        accepted_at (datetime.datetime | None | Unset):
        approver (None | str | Unset): Who decided: the owner of the deciding API key (for quotes decided before keys
            had owners, the name sent then).
        approver_key_id (None | str | Unset): The API key that decided.
        decided_at (datetime.datetime | None | Unset):
        decision_comment (None | str | Unset):
        requested_by (None | str | Unset): Who asked for the quote: the owner of the API key that created it (null for
            quotes made before it was kept).
        requested_key_id (None | str | Unset): The API key that created it.
    """

    created_at: datetime.datetime
    currency: str
    deal_id: str
    discount_percent: str
    lines: list[QuoteLine]
    quote_id: str
    status: QuoteStatus
    subtotal: str
    threshold_percent: str
    total: str
    accepted_at: datetime.datetime | None | Unset = UNSET
    approver: None | str | Unset = UNSET
    approver_key_id: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    decision_comment: None | str | Unset = UNSET
    requested_by: None | str | Unset = UNSET
    requested_key_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        currency = self.currency

        deal_id = self.deal_id

        discount_percent = self.discount_percent

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        quote_id = self.quote_id

        status = self.status.value

        subtotal = self.subtotal

        threshold_percent = self.threshold_percent

        total = self.total

        accepted_at: None | str | Unset
        if isinstance(self.accepted_at, Unset):
            accepted_at = UNSET
        elif isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at

        approver: None | str | Unset
        if isinstance(self.approver, Unset):
            approver = UNSET
        else:
            approver = self.approver

        approver_key_id: None | str | Unset
        if isinstance(self.approver_key_id, Unset):
            approver_key_id = UNSET
        else:
            approver_key_id = self.approver_key_id

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decision_comment: None | str | Unset
        if isinstance(self.decision_comment, Unset):
            decision_comment = UNSET
        else:
            decision_comment = self.decision_comment

        requested_by: None | str | Unset
        if isinstance(self.requested_by, Unset):
            requested_by = UNSET
        else:
            requested_by = self.requested_by

        requested_key_id: None | str | Unset
        if isinstance(self.requested_key_id, Unset):
            requested_key_id = UNSET
        else:
            requested_key_id = self.requested_key_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "currency": currency,
                "deal_id": deal_id,
                "discount_percent": discount_percent,
                "lines": lines,
                "quote_id": quote_id,
                "status": status,
                "subtotal": subtotal,
                "threshold_percent": threshold_percent,
                "total": total,
            }
        )
        if accepted_at is not UNSET:
            field_dict["accepted_at"] = accepted_at
        if approver is not UNSET:
            field_dict["approver"] = approver
        if approver_key_id is not UNSET:
            field_dict["approver_key_id"] = approver_key_id
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if decision_comment is not UNSET:
            field_dict["decision_comment"] = decision_comment
        if requested_by is not UNSET:
            field_dict["requested_by"] = requested_by
        if requested_key_id is not UNSET:
            field_dict["requested_key_id"] = requested_key_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote_line import QuoteLine  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        deal_id = d.pop("deal_id")

        discount_percent = d.pop("discount_percent")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = QuoteLine.from_dict(lines_item_data)

            lines.append(lines_item)

        quote_id = d.pop("quote_id")

        status = QuoteStatus(d.pop("status"))

        subtotal = d.pop("subtotal")

        threshold_percent = d.pop("threshold_percent")

        total = d.pop("total")

        def _parse_accepted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)

                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at", UNSET))

        def _parse_approver(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approver = _parse_approver(d.pop("approver", UNSET))

        def _parse_approver_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approver_key_id = _parse_approver_key_id(d.pop("approver_key_id", UNSET))

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_decision_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decision_comment = _parse_decision_comment(d.pop("decision_comment", UNSET))

        def _parse_requested_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_by = _parse_requested_by(d.pop("requested_by", UNSET))

        def _parse_requested_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_key_id = _parse_requested_key_id(d.pop("requested_key_id", UNSET))

        quote = cls(
            created_at=created_at,
            currency=currency,
            deal_id=deal_id,
            discount_percent=discount_percent,
            lines=lines,
            quote_id=quote_id,
            status=status,
            subtotal=subtotal,
            threshold_percent=threshold_percent,
            total=total,
            accepted_at=accepted_at,
            approver=approver,
            approver_key_id=approver_key_id,
            decided_at=decided_at,
            decision_comment=decision_comment,
            requested_by=requested_by,
            requested_key_id=requested_key_id,
        )

        quote.additional_properties = d
        return quote

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
