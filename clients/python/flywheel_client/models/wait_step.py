from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_condition import EventCondition


T = TypeVar("T", bound="WaitStep")


@_attrs_define
class WaitStep:
    """Wait a duration, until a time of day, or for an event (with a timeout).

    Attributes:
        next_ (str):
        type_ (Literal['wait']):
        duration (None | str | Unset):
        for_event (EventCondition | None | Unset):
        on_timeout (None | str | Unset):
        timeout (None | str | Unset):
        until_time (None | str | Unset):
    """

    next_: str
    type_: Literal["wait"]
    duration: None | str | Unset = UNSET
    for_event: EventCondition | None | Unset = UNSET
    on_timeout: None | str | Unset = UNSET
    timeout: None | str | Unset = UNSET
    until_time: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_condition import EventCondition  # noqa: PLC0415

        next_ = self.next_

        type_ = self.type_

        duration: None | str | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        for_event: dict[str, Any] | None | Unset
        if isinstance(self.for_event, Unset):
            for_event = UNSET
        elif isinstance(self.for_event, EventCondition):
            for_event = self.for_event.to_dict()
        else:
            for_event = self.for_event

        on_timeout: None | str | Unset
        if isinstance(self.on_timeout, Unset):
            on_timeout = UNSET
        else:
            on_timeout = self.on_timeout

        timeout: None | str | Unset
        if isinstance(self.timeout, Unset):
            timeout = UNSET
        else:
            timeout = self.timeout

        until_time: None | str | Unset
        if isinstance(self.until_time, Unset):
            until_time = UNSET
        else:
            until_time = self.until_time

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "next": next_,
                "type": type_,
            }
        )
        if duration is not UNSET:
            field_dict["duration"] = duration
        if for_event is not UNSET:
            field_dict["for_event"] = for_event
        if on_timeout is not UNSET:
            field_dict["on_timeout"] = on_timeout
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if until_time is not UNSET:
            field_dict["until_time"] = until_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_condition import EventCondition  # noqa: PLC0415

        d = dict(src_dict)
        next_ = d.pop("next")

        type_ = cast(Literal["wait"], d.pop("type"))
        if type_ != "wait":
            raise ValueError(f"type must match const 'wait', got '{type_}'")

        def _parse_duration(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_for_event(data: object) -> EventCondition | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                for_event_type_0 = EventCondition.from_dict(data)

                return for_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventCondition | None | Unset, data)

        for_event = _parse_for_event(d.pop("for_event", UNSET))

        def _parse_on_timeout(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        on_timeout = _parse_on_timeout(d.pop("on_timeout", UNSET))

        def _parse_timeout(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timeout = _parse_timeout(d.pop("timeout", UNSET))

        def _parse_until_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until_time = _parse_until_time(d.pop("until_time", UNSET))

        wait_step = cls(
            next_=next_,
            type_=type_,
            duration=duration,
            for_event=for_event,
            on_timeout=on_timeout,
            timeout=timeout,
            until_time=until_time,
        )

        return wait_step
