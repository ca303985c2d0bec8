from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.earn_rules import EarnRules
    from ..models.expiry_rules import ExpiryRules
    from ..models.redemption_rules import RedemptionRules
    from ..models.refund_rules import RefundRules
    from ..models.tier_rules import TierRules


T = TypeVar("T", bound="LoyaltyProgramIn")


@_attrs_define
class LoyaltyProgramIn:
    """The workspace's loyalty program (one per workspace; PUT replaces it and makes a new version).

    Attributes:
        currency (str): Purchases in another currency earn no points (the skip is recorded).
        earn (EarnRules):
        name (str):
        redemption (RedemptionRules):
        active (bool | Unset):  Default: True.
        expiry (ExpiryRules | Unset):
        refunds (RefundRules | Unset):
        tiers (None | TierRules | Unset):
        time_zone (str | Unset): Days (caps, birthdays, expiry) are counted in this zone. Default: 'UTC'.
    """

    currency: str
    earn: EarnRules
    name: str
    redemption: RedemptionRules
    active: bool | Unset = True
    expiry: ExpiryRules | Unset = UNSET
    refunds: RefundRules | Unset = UNSET
    tiers: None | TierRules | Unset = UNSET
    time_zone: str | Unset = "UTC"

    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_rules import TierRules  # noqa: PLC0415

        currency = self.currency

        earn = self.earn.to_dict()

        name = self.name

        redemption = self.redemption.to_dict()

        active = self.active

        expiry: dict[str, Any] | Unset = UNSET
        if not isinstance(self.expiry, Unset):
            expiry = self.expiry.to_dict()

        refunds: dict[str, Any] | Unset = UNSET
        if not isinstance(self.refunds, Unset):
            refunds = self.refunds.to_dict()

        tiers: dict[str, Any] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, TierRules):
            tiers = self.tiers.to_dict()
        else:
            tiers = self.tiers

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
                "earn": earn,
                "name": name,
                "redemption": redemption,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if expiry is not UNSET:
            field_dict["expiry"] = expiry
        if refunds is not UNSET:
            field_dict["refunds"] = refunds
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.earn_rules import EarnRules  # noqa: PLC0415
        from ..models.expiry_rules import ExpiryRules  # noqa: PLC0415
        from ..models.redemption_rules import RedemptionRules  # noqa: PLC0415
        from ..models.refund_rules import RefundRules  # noqa: PLC0415
        from ..models.tier_rules import TierRules  # noqa: PLC0415

        d = dict(src_dict)
        currency = d.pop("currency")

        earn = EarnRules.from_dict(d.pop("earn"))

        name = d.pop("name")

        redemption = RedemptionRules.from_dict(d.pop("redemption"))

        active = d.pop("active", UNSET)

        _expiry = d.pop("expiry", UNSET)
        expiry: ExpiryRules | Unset
        if isinstance(_expiry, Unset):
            expiry = UNSET
        else:
            expiry = ExpiryRules.from_dict(_expiry)

        _refunds = d.pop("refunds", UNSET)
        refunds: RefundRules | Unset
        if isinstance(_refunds, Unset):
            refunds = UNSET
        else:
            refunds = RefundRules.from_dict(_refunds)

        def _parse_tiers(data: object) -> None | TierRules | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tiers_type_0 = TierRules.from_dict(data)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TierRules | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        time_zone = d.pop("time_zone", UNSET)

        loyalty_program_in = cls(
            currency=currency,
            earn=earn,
            name=name,
            redemption=redemption,
            active=active,
            expiry=expiry,
            refunds=refunds,
            tiers=tiers,
            time_zone=time_zone,
        )

        return loyalty_program_in
