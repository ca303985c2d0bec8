from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identify_call_traits_type_0 import IdentifyCallTraitsType0
    from ..models.tracking_context import TrackingContext


T = TypeVar("T", bound="IdentifyCall")


@_attrs_define
class IdentifyCall:
    """An identify: `traits.email` and `traits.phone` are identifiers, the other traits are set on the profile.

    Attributes:
        anonymous_id (int | None | str | Unset):
        context (None | TrackingContext | Unset):
        message_id (int | None | str | Unset): The event's id: a retry with the same messageId is the same event.
            Without one, a digest of the message.
        timestamp (None | str | Unset): When it happened (ISO 8601; without a zone: UTC). Without it
            `originalTimestamp`, else the receipt time.
        traits (IdentifyCallTraitsType0 | None | Unset):
        type_ (Literal['identify'] | Unset):  Default: 'identify'.
        user_id (int | None | str | Unset):
    """

    anonymous_id: int | None | str | Unset = UNSET
    context: None | TrackingContext | Unset = UNSET
    message_id: int | None | str | Unset = UNSET
    timestamp: None | str | Unset = UNSET
    traits: IdentifyCallTraitsType0 | None | Unset = UNSET
    type_: Literal["identify"] | Unset = "identify"
    user_id: int | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.identify_call_traits_type_0 import IdentifyCallTraitsType0  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

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

        timestamp: None | str | Unset
        if isinstance(self.timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = self.timestamp

        traits: dict[str, Any] | None | Unset
        if isinstance(self.traits, Unset):
            traits = UNSET
        elif isinstance(self.traits, IdentifyCallTraitsType0):
            traits = self.traits.to_dict()
        else:
            traits = self.traits

        type_ = self.type_

        user_id: int | None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if anonymous_id is not UNSET:
            field_dict["anonymousId"] = anonymous_id
        if context is not UNSET:
            field_dict["context"] = context
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if traits is not UNSET:
            field_dict["traits"] = traits
        if type_ is not UNSET:
            field_dict["type"] = type_
        if user_id is not UNSET:
            field_dict["userId"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identify_call_traits_type_0 import IdentifyCallTraitsType0  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

        d = dict(src_dict)

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

        def _parse_timestamp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timestamp = _parse_timestamp(d.pop("timestamp", UNSET))

        def _parse_traits(data: object) -> IdentifyCallTraitsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                traits_type_0 = IdentifyCallTraitsType0.from_dict(data)

                return traits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentifyCallTraitsType0 | None | Unset, data)

        traits = _parse_traits(d.pop("traits", UNSET))

        type_ = cast(Literal["identify"] | Unset, d.pop("type", UNSET))
        if type_ != "identify" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'identify', got '{type_}'")

        def _parse_user_id(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        user_id = _parse_user_id(d.pop("userId", UNSET))

        identify_call = cls(
            anonymous_id=anonymous_id,
            context=context,
            message_id=message_id,
            timestamp=timestamp,
            traits=traits,
            type_=type_,
            user_id=user_id,
        )

        identify_call.additional_properties = d
        return identify_call

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
