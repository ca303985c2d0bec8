from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_data_status import ConsentDataStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef


T = TypeVar("T", bound="ConsentData")


@_attrs_define
class ConsentData:
    """A customer's choice about one subscription group (or a channel's own group: `email`, `sms`, ...), as of
    the envelope's `time`: the latest by that time is their consent.

        Attributes:
            customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
            group (str): The subscription group's id, or a channel (`email`, `sms`, `push`, `wechat`, `other`): all of that
                channel's groups.
            status (ConsentDataStatus):
            source (None | str | Unset): Where the choice was made.
    """

    customer: CustomerRef
    group: str
    status: ConsentDataStatus
    source: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        group = self.group

        status = self.status.value

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer": customer,
                "group": group,
                "status": status,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415

        d = dict(src_dict)
        customer = CustomerRef.from_dict(d.pop("customer"))

        group = d.pop("group")

        status = ConsentDataStatus(d.pop("status"))

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        consent_data = cls(
            customer=customer,
            group=group,
            status=status,
            source=source,
        )

        consent_data.additional_properties = d
        return consent_data

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
