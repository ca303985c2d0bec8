from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_ref_type_0 import CustomerRefType0
    from ..models.customer_ref_type_1 import CustomerRefType1
    from ..models.customer_ref_type_2 import CustomerRefType2
    from ..models.customer_ref_type_3 import CustomerRefType3
    from ..models.identify_data_traits import IdentifyDataTraits


T = TypeVar("T", bound="IdentifyData")


@_attrs_define
class IdentifyData:
    """
    Attributes:
        customer (CustomerRefType0 | CustomerRefType1 | CustomerRefType2 | CustomerRefType3): Identifiers of the
            customer an event is about; at least one is required.
        traits (IdentifyDataTraits): Attributes to set on the profile (name, company, city, custom attributes).
    """

    customer: CustomerRefType0 | CustomerRefType1 | CustomerRefType2 | CustomerRefType3
    traits: IdentifyDataTraits
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_ref_type_0 import CustomerRefType0  # noqa: PLC0415
        from ..models.customer_ref_type_1 import CustomerRefType1  # noqa: PLC0415
        from ..models.customer_ref_type_2 import CustomerRefType2  # noqa: PLC0415

        customer: dict[str, Any]
        if isinstance(self.customer, CustomerRefType0):
            customer = self.customer.to_dict()
        elif isinstance(self.customer, CustomerRefType1):
            customer = self.customer.to_dict()
        elif isinstance(self.customer, CustomerRefType2):
            customer = self.customer.to_dict()
        else:
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
        from ..models.customer_ref_type_0 import CustomerRefType0  # noqa: PLC0415
        from ..models.customer_ref_type_1 import CustomerRefType1  # noqa: PLC0415
        from ..models.customer_ref_type_2 import CustomerRefType2  # noqa: PLC0415
        from ..models.customer_ref_type_3 import CustomerRefType3  # noqa: PLC0415
        from ..models.identify_data_traits import IdentifyDataTraits  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_customer(data: object) -> CustomerRefType0 | CustomerRefType1 | CustomerRefType2 | CustomerRefType3:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_customer_ref_type_0 = CustomerRefType0.from_dict(data)

                return componentsschemas_customer_ref_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_customer_ref_type_1 = CustomerRefType1.from_dict(data)

                return componentsschemas_customer_ref_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_customer_ref_type_2 = CustomerRefType2.from_dict(data)

                return componentsschemas_customer_ref_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_customer_ref_type_3 = CustomerRefType3.from_dict(data)

            return componentsschemas_customer_ref_type_3

        customer = _parse_customer(d.pop("customer"))

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
