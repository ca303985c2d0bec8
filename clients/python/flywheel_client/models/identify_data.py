from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef
    from ..models.identify_data_traits import IdentifyDataTraits


T = TypeVar("T", bound="IdentifyData")


@_attrs_define
class IdentifyData:
    """
    Attributes:
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        traits (IdentifyDataTraits): Attributes to set on the profile (name, company, city, custom attributes).
    """

    customer: CustomerRef
    traits: IdentifyDataTraits
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        traits = self.traits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer": customer,
                "traits": traits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415
        from ..models.identify_data_traits import IdentifyDataTraits  # noqa: PLC0415

        d = dict(src_dict)
        customer = CustomerRef.from_dict(d.pop("customer"))

        traits = IdentifyDataTraits.from_dict(d.pop("traits"))

        identify_data = cls(
            customer=customer,
            traits=traits,
        )

        identify_data.additional_properties = d
        return identify_data

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
