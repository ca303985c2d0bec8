from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tracking_rejected_type import TrackingRejectedType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_error import EventError


T = TypeVar("T", bound="TrackingRejected")


@_attrs_define
class TrackingRejected:
    """Some messages were invalid: every reason, by message (`index` in the batch, 0 for a single call); the valid
    ones were still published and are listed in `accepted`. `code` and `message` are for the SDKs' logs.

        Attributes:
            message (str):
            status (int):
            title (str): The type's title, the same for each occurrence.
            type_ (TrackingRejectedType): What kind of error: a page under /problems/ (relative to the request's URL) says
                when it happens and what to do.
            accepted (list[str] | Unset):
            code (str | Unset):  Default: 'unprocessable_content'.
            detail (None | str | Unset):
            errors (list[EventError] | None | Unset):
            ignored (list[str] | Unset):
    """

    message: str
    status: int
    title: str
    type_: TrackingRejectedType
    accepted: list[str] | Unset = UNSET
    code: str | Unset = "unprocessable_content"
    detail: None | str | Unset = UNSET
    errors: list[EventError] | None | Unset = UNSET
    ignored: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        status = self.status

        title = self.title

        type_ = self.type_.value

        accepted: list[str] | Unset = UNSET
        if not isinstance(self.accepted, Unset):
            accepted = self.accepted

        code = self.code

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        ignored: list[str] | Unset = UNSET
        if not isinstance(self.ignored, Unset):
            ignored = self.ignored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if accepted is not UNSET:
            field_dict["accepted"] = accepted
        if code is not UNSET:
            field_dict["code"] = code
        if detail is not UNSET:
            field_dict["detail"] = detail
        if errors is not UNSET:
            field_dict["errors"] = errors
        if ignored is not UNSET:
            field_dict["ignored"] = ignored

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_error import EventError  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        status = d.pop("status")

        title = d.pop("title")

        type_ = TrackingRejectedType(d.pop("type"))

        accepted = cast(list[str], d.pop("accepted", UNSET))

        code = d.pop("code", UNSET)

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_errors(data: object) -> list[EventError] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = EventError.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[EventError] | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        ignored = cast(list[str], d.pop("ignored", UNSET))

        tracking_rejected = cls(
            message=message,
            status=status,
            title=title,
            type_=type_,
            accepted=accepted,
            code=code,
            detail=detail,
            errors=errors,
            ignored=ignored,
        )

        tracking_rejected.additional_properties = d
        return tracking_rejected

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
