from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referral_data_action import ReferralDataAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef


T = TypeVar("T", bound="ReferralData")


@_attrs_define
class ReferralData:
    """
    Attributes:
        action (ReferralDataAction):
        code (str): The referral code.
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        channel (None | str | Unset):
    """

    action: ReferralDataAction
    code: str
    customer: CustomerRef
    channel: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        code = self.code

        customer = self.customer.to_dict()

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "code": code,
                "customer": customer,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415

        d = dict(src_dict)
        action = ReferralDataAction(d.pop("action"))

        code = d.pop("code")

        customer = CustomerRef.from_dict(d.pop("customer"))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        referral_data = cls(
            action=action,
            code=code,
            customer=customer,
            channel=channel,
        )

        referral_data.additional_properties = d
        return referral_data

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
