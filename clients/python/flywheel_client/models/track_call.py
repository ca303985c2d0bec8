from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.track_call_properties_type_0 import TrackCallPropertiesType0
    from ..models.tracking_context import TrackingContext


T = TypeVar("T", bound="TrackCall")


@_attrs_define
class TrackCall:
    """A track: `Order Completed` is a purchase, `Order Refunded` a refund (the ecommerce spec v2), an event whose
    name in lower snake case is a type of the workspace's tracking plan is that type (`properties` its data), any
    other a visit.

        Attributes:
            event (str):
            anonymous_id (int | None | str | Unset):
            context (None | TrackingContext | Unset):
            message_id (int | None | str | Unset): The event's id: a retry with the same messageId is the same event.
                Without one, a digest of the message.
            properties (None | TrackCallPropertiesType0 | Unset):
            timestamp (None | str | Unset): When it happened (ISO 8601; without a zone: UTC). Without it
                `originalTimestamp`, else the receipt time.
            type_ (Literal['track'] | Unset):  Default: 'track'.
            user_id (int | None | str | Unset):
    """

    event: str
    anonymous_id: int | None | str | Unset = UNSET
    context: None | TrackingContext | Unset = UNSET
    message_id: int | None | str | Unset = UNSET
    properties: None | TrackCallPropertiesType0 | Unset = UNSET
    timestamp: None | str | Unset = UNSET
    type_: Literal["track"] | Unset = "track"
    user_id: int | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.track_call_properties_type_0 import TrackCallPropertiesType0  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

        event = self.event

        anonymous_id: int | None | str | Unset
        if isinstance(self.anonymous_id, Unset):
            anonymous_id = UNSET
        else:
            anonymous_id = self.anonymous_id

        context: dict[str, Any] | None | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, TrackingContext):
            context = self.context.to_dict()
        else:
            context = self.context

        message_id: int | None | str | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        properties: dict[str, Any] | None | Unset
        if isinstance(self.properties, Unset):
            properties = UNSET
        elif isinstance(self.properties, TrackCallPropertiesType0):
            properties = self.properties.to_dict()
        else:
            properties = self.properties

        timestamp: None | str | Unset
        if isinstance(self.timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = self.timestamp

        type_ = self.type_

        user_id: int | None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
            }
        )
        if anonymous_id is not UNSET:
            field_dict["anonymousId"] = anonymous_id
        if context is not UNSET:
            field_dict["context"] = context
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if properties is not UNSET:
            field_dict["properties"] = properties
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if type_ is not UNSET:
            field_dict["type"] = type_
        if user_id is not UNSET:
            field_dict["userId"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.track_call_properties_type_0 import TrackCallPropertiesType0  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

        d = dict(src_dict)
        event = d.pop("event")

        def _parse_anonymous_id(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        anonymous_id = _parse_anonymous_id(d.pop("anonymousId", UNSET))

        def _parse_context(data: object) -> None | TrackingContext | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = TrackingContext.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContext | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        def _parse_message_id(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        message_id = _parse_message_id(d.pop("messageId", UNSET))

        def _parse_properties(data: object) -> None | TrackCallPropertiesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                properties_type_0 = TrackCallPropertiesType0.from_dict(data)

                return properties_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackCallPropertiesType0 | Unset, data)

        properties = _parse_properties(d.pop("properties", UNSET))

        def _parse_timestamp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timestamp = _parse_timestamp(d.pop("timestamp", UNSET))

        type_ = cast(Literal["track"] | Unset, d.pop("type", UNSET))
        if type_ != "track" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'track', got '{type_}'")

        def _parse_user_id(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        user_id = _parse_user_id(d.pop("userId", UNSET))

        track_call = cls(
            event=event,
            anonymous_id=anonymous_id,
            context=context,
            message_id=message_id,
            properties=properties,
            timestamp=timestamp,
            type_=type_,
            user_id=user_id,
        )

        track_call.additional_properties = d
        return track_call

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
