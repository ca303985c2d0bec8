from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.funnel import Funnel
    from ..models.ltv_comparison import LtvComparison


T = TypeVar("T", bound="ProgramStats")


@_attrs_define
class ProgramStats:
    """A program's numbers for the period [from, to).

    Attributes:
        from_ (datetime.datetime):
        funnel (Funnel):
        ltv (LtvComparison):
        new_customers (int): Customers whose first purchase falls in the period.
        program_id (str):
        referred_new_customers (int):
        referrers (int): Distinct referrers who sent invites.
        reward_cost (str): Money (amount rewards) granted in the period and not reversed.
        to (datetime.datetime):
        invite_conversion (float | None | Unset): Referred new customers / invites.
        invites_per_referrer (float | None | Unset):
        k_factor (float | None | Unset): invites_per_referrer x invite_conversion.
        referral_share (float | None | Unset): Referred new customers / new customers.
        reward_cost_per_acquired_customer (None | str | Unset):
    """

    from_: datetime.datetime
    funnel: Funnel
    ltv: LtvComparison
    new_customers: int
    program_id: str
    referred_new_customers: int
    referrers: int
    reward_cost: str
    to: datetime.datetime
    invite_conversion: float | None | Unset = UNSET
    invites_per_referrer: float | None | Unset = UNSET
    k_factor: float | None | Unset = UNSET
    referral_share: float | None | Unset = UNSET
    reward_cost_per_acquired_customer: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        funnel = self.funnel.to_dict()

        ltv = self.ltv.to_dict()

        new_customers = self.new_customers

        program_id = self.program_id

        referred_new_customers = self.referred_new_customers

        referrers = self.referrers

        reward_cost = self.reward_cost

        to = self.to.isoformat()

        invite_conversion: float | None | Unset
        if isinstance(self.invite_conversion, Unset):
            invite_conversion = UNSET
        else:
            invite_conversion = self.invite_conversion

        invites_per_referrer: float | None | Unset
        if isinstance(self.invites_per_referrer, Unset):
            invites_per_referrer = UNSET
        else:
            invites_per_referrer = self.invites_per_referrer

        k_factor: float | None | Unset
        if isinstance(self.k_factor, Unset):
            k_factor = UNSET
        else:
            k_factor = self.k_factor

        referral_share: float | None | Unset
        if isinstance(self.referral_share, Unset):
            referral_share = UNSET
        else:
            referral_share = self.referral_share

        reward_cost_per_acquired_customer: None | str | Unset
        if isinstance(self.reward_cost_per_acquired_customer, Unset):
            reward_cost_per_acquired_customer = UNSET
        else:
            reward_cost_per_acquired_customer = self.reward_cost_per_acquired_customer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "funnel": funnel,
                "ltv": ltv,
                "new_customers": new_customers,
                "program_id": program_id,
                "referred_new_customers": referred_new_customers,
                "referrers": referrers,
                "reward_cost": reward_cost,
                "to": to,
            }
        )
        if invite_conversion is not UNSET:
            field_dict["invite_conversion"] = invite_conversion
        if invites_per_referrer is not UNSET:
            field_dict["invites_per_referrer"] = invites_per_referrer
        if k_factor is not UNSET:
            field_dict["k_factor"] = k_factor
        if referral_share is not UNSET:
            field_dict["referral_share"] = referral_share
        if reward_cost_per_acquired_customer is not UNSET:
            field_dict["reward_cost_per_acquired_customer"] = reward_cost_per_acquired_customer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.funnel import Funnel  # noqa: PLC0415
        from ..models.ltv_comparison import LtvComparison  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        funnel = Funnel.from_dict(d.pop("funnel"))

        ltv = LtvComparison.from_dict(d.pop("ltv"))

        new_customers = d.pop("new_customers")

        program_id = d.pop("program_id")

        referred_new_customers = d.pop("referred_new_customers")

        referrers = d.pop("referrers")

        reward_cost = d.pop("reward_cost")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        def _parse_invite_conversion(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        invite_conversion = _parse_invite_conversion(d.pop("invite_conversion", UNSET))

        def _parse_invites_per_referrer(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        invites_per_referrer = _parse_invites_per_referrer(d.pop("invites_per_referrer", UNSET))

        def _parse_k_factor(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        k_factor = _parse_k_factor(d.pop("k_factor", UNSET))

        def _parse_referral_share(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        referral_share = _parse_referral_share(d.pop("referral_share", UNSET))

        def _parse_reward_cost_per_acquired_customer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reward_cost_per_acquired_customer = _parse_reward_cost_per_acquired_customer(
            d.pop("reward_cost_per_acquired_customer", UNSET)
        )

        program_stats = cls(
            from_=from_,
            funnel=funnel,
            ltv=ltv,
            new_customers=new_customers,
            program_id=program_id,
            referred_new_customers=referred_new_customers,
            referrers=referrers,
            reward_cost=reward_cost,
            to=to,
            invite_conversion=invite_conversion,
            invites_per_referrer=invites_per_referrer,
            k_factor=k_factor,
            referral_share=referral_share,
            reward_cost_per_acquired_customer=reward_cost_per_acquired_customer,
        )

        program_stats.additional_properties = d
        return program_stats

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
