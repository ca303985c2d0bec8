from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.hold import Hold
    from ..models.points_lot import PointsLot
    from ..models.tier_status import TierStatus


T = TypeVar("T", bound="MemberPoints")


@_attrs_define
class MemberPoints:
    """A member's points: balance (sum of lots), what is free to redeem, lots with expiry, tier and progress.

    Attributes:
        available (int): What can be redeemed now: the balance less open holds, never below 0.
        balance (int): Points held: the sum of the lots (negative after a refund, by policy).
        customer_id (str):
        lots (list[PointsLot]): Open lots, oldest first (the order redemption and expiry use).
        value (str): The balance's worth in the program's currency (decimal).
        currency (None | str | Unset):
        debt (int | Unset): Points owed (refund shortfall), paid from the next points earned. Default: 0.
        holds (list[Hold] | Unset):
        program_version (int | None | Unset):
        tier (None | TierStatus | Unset): Null when the program has no tier ladder.
    """

    available: int
    balance: int
    customer_id: str
    lots: list[PointsLot]
    value: str
    currency: None | str | Unset = UNSET
    debt: int | Unset = 0
    holds: list[Hold] | Unset = UNSET
    program_version: int | None | Unset = UNSET
    tier: None | TierStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_status import TierStatus  # noqa: PLC0415

        available = self.available

        balance = self.balance

        customer_id = self.customer_id

        lots = []
        for lots_item_data in self.lots:
            lots_item = lots_item_data.to_dict()
            lots.append(lots_item)

        value = self.value

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        debt = self.debt

        holds: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.holds, Unset):
            holds = []
            for holds_item_data in self.holds:
                holds_item = holds_item_data.to_dict()
                holds.append(holds_item)

        program_version: int | None | Unset
        if isinstance(self.program_version, Unset):
            program_version = UNSET
        else:
            program_version = self.program_version

        tier: dict[str, Any] | None | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, TierStatus):
            tier = self.tier.to_dict()
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "balance": balance,
                "customer_id": customer_id,
                "lots": lots,
                "value": value,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if debt is not UNSET:
            field_dict["debt"] = debt
        if holds is not UNSET:
            field_dict["holds"] = holds
        if program_version is not UNSET:
            field_dict["program_version"] = program_version
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hold import Hold  # noqa: PLC0415
        from ..models.points_lot import PointsLot  # noqa: PLC0415
        from ..models.tier_status import TierStatus  # noqa: PLC0415

        d = dict(src_dict)
        available = d.pop("available")

        balance = d.pop("balance")

        customer_id = d.pop("customer_id")

        lots = []
        _lots = d.pop("lots")
        for lots_item_data in _lots:
            lots_item = PointsLot.from_dict(lots_item_data)

            lots.append(lots_item)

        value = d.pop("value")

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        debt = d.pop("debt", UNSET)

        _holds = d.pop("holds", UNSET)
        holds: list[Hold] | Unset = UNSET
        if _holds is not UNSET:
            holds = []
            for holds_item_data in _holds:
                holds_item = Hold.from_dict(holds_item_data)

                holds.append(holds_item)

        def _parse_program_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        program_version = _parse_program_version(d.pop("program_version", UNSET))

        def _parse_tier(data: object) -> None | TierStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tier_type_0 = TierStatus.from_dict(data)

                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TierStatus | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        member_points = cls(
            available=available,
            balance=balance,
            customer_id=customer_id,
            lots=lots,
            value=value,
            currency=currency,
            debt=debt,
            holds=holds,
            program_version=program_version,
            tier=tier,
        )

        member_points.additional_properties = d
        return member_points

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
