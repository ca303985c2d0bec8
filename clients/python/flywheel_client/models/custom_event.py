from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_data import CustomData


T = TypeVar("T", bound="CustomEvent")


@_attrs_define
class CustomEvent:
    """An event of a type the workspace declared in its tracking plan (`PUT /v1/event-types/{name}`), e.g.
    `cart_abandoned`: its `data` carries `customer` and the fields the type's JSON Schema describes. An event of
    a type the workspace has not declared, or whose data the schema refuses, is refused with the field named.

        Attributes:
            data (CustomData): A custom event's data: `customer` as every event has it, and the fields the workspace's
                tracking plan
                describes with a JSON Schema (checked against the plan by the gateway and by profile, not by this model).
            id (str): Producer-chosen unique id; the de-duplication key within a workspace.
            source (str): Who produced the event, e.g. 'shop-web'.
            specversion (Literal['1.0']): CloudEvents version; always 1.0.
            time (datetime.datetime): RFC 3339 event time (when it happened), with a time zone.
            type_ (str): The custom type's name (lower snake case, not a built-in type).
            workspace (str): Tenant the event belongs to: lowercase letters, digits, '-' and '_', at most 63.
            datacontenttype (Literal['application/json'] | None | Unset):
    """

    data: CustomData
    id: str
    source: str
    specversion: Literal["1.0"]
    time: datetime.datetime
    type_: str
    workspace: str
    datacontenttype: Literal["application/json"] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        source = self.source

        specversion = self.specversion

        time = self.time.isoformat()

        type_ = self.type_

        workspace = self.workspace

        datacontenttype: Literal["application/json"] | None | Unset
        if isinstance(self.datacontenttype, Unset):
            datacontenttype = UNSET
        else:
            datacontenttype = self.datacontenttype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "id": id,
                "source": source,
                "specversion": specversion,
                "time": time,
                "type": type_,
                "workspace": workspace,
            }
        )
        if datacontenttype is not UNSET:
            field_dict["datacontenttype"] = datacontenttype

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_data import CustomData  # noqa: PLC0415

        d = dict(src_dict)
        data = CustomData.from_dict(d.pop("data"))

        id = d.pop("id")

        source = d.pop("source")

        specversion = cast(Literal["1.0"], d.pop("specversion"))
        if specversion != "1.0":
            raise ValueError(f"specversion must match const '1.0', got '{specversion}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        type_ = d.pop("type")

        workspace = d.pop("workspace")

        def _parse_datacontenttype(data: object) -> Literal["application/json"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            datacontenttype_type_0 = cast(Literal["application/json"], data)
            if datacontenttype_type_0 != "application/json":
                raise ValueError(
                    f"datacontenttype_type_0 must match const 'application/json', got '{datacontenttype_type_0}'"
                )
            return datacontenttype_type_0
            return cast(Literal["application/json"] | None | Unset, data)

        datacontenttype = _parse_datacontenttype(d.pop("datacontenttype", UNSET))

        custom_event = cls(
            data=data,
            id=id,
            source=source,
            specversion=specversion,
            time=time,
            type_=type_,
            workspace=workspace,
            datacontenttype=datacontenttype,
        )

        custom_event.additional_properties = d
        return custom_event

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
