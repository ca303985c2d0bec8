from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CouponAction")


@_attrs_define
class CouponAction:
    """A coupon: a fixed code, or a prefix the engine completes per enrolment (the same on a retry).

    Attributes:
        kind (Literal['coupon']):
        code (None | str | Unset):
        code_prefix (None | str | Unset):
        percent (float | None | Unset):
        valid_for (str | Unset):  Default: '14d'.
        value (float | None | Unset):
    """

    kind: Literal["coupon"]
    code: None | str | Unset = UNSET
    code_prefix: None | str | Unset = UNSET
    percent: float | None | Unset = UNSET
    valid_for: str | Unset = "14d"
    value: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        code_prefix: None | str | Unset
        if isinstance(self.code_prefix, Unset):
            code_prefix = UNSET
        else:
            code_prefix = self.code_prefix

        percent: float | None | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent

        valid_for = self.valid_for

        value: float | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if code_prefix is not UNSET:
            field_dict["code_prefix"] = code_prefix
        if percent is not UNSET:
            field_dict["percent"] = percent
        if valid_for is not UNSET:
            field_dict["valid_for"] = valid_for
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["coupon"], d.pop("kind"))
        if kind != "coupon":
            raise ValueError(f"kind must match const 'coupon', got '{kind}'")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_code_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code_prefix = _parse_code_prefix(d.pop("code_prefix", UNSET))

        def _parse_percent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))

        valid_for = d.pop("valid_for", UNSET)

        def _parse_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        coupon_action = cls(
            kind=kind,
            code=code,
            code_prefix=code_prefix,
            percent=percent,
            valid_for=valid_for,
            value=value,
        )

        return coupon_action
