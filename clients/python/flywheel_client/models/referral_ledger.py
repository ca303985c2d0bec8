from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_total import LedgerTotal
    from ..models.referral_reward import ReferralReward


T = TypeVar("T", bound="ReferralLedger")


@_attrs_define
class ReferralLedger:
    """
    Attributes:
        customer_id (str):
        items (list[ReferralReward]): The customer's rewards, oldest first.
        totals (list[LedgerTotal]): Per reward kind.
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; null on the last.
    """

    customer_id: str
    items: list[ReferralReward]
    totals: list[LedgerTotal]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "items": items,
                "totals": totals,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_total import LedgerTotal  # noqa: PLC0415
        from ..models.referral_reward import ReferralReward  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ReferralReward.from_dict(items_item_data)

            items.append(items_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = LedgerTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        referral_ledger = cls(
            customer_id=customer_id,
            items=items,
            totals=totals,
            next_cursor=next_cursor,
        )

        referral_ledger.additional_properties = d
        return referral_ledger

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
