from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote_line_in import QuoteLineIn


T = TypeVar("T", bound="QuoteIn")


@_attrs_define
class QuoteIn:
    """
    Attributes:
        lines (list[QuoteLineIn]):
        discount_percent (float | str | Unset): Above the workspace's threshold the quote waits for a manager's
            approval. Default: '0'.
    """

    lines: list[QuoteLineIn]
    discount_percent: float | str | Unset = "0"

    def to_dict(self) -> dict[str, Any]:
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        discount_percent: float | str | Unset
        if isinstance(self.discount_percent, Unset):
            discount_percent = UNSET
        else:
            discount_percent = self.discount_percent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lines": lines,
            }
        )
        if discount_percent is not UNSET:
            field_dict["discount_percent"] = discount_percent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote_line_in import QuoteLineIn  # noqa: PLC0415

        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = QuoteLineIn.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_discount_percent(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        discount_percent = _parse_discount_percent(d.pop("discount_percent", UNSET))

        quote_in = cls(
            lines=lines,
            discount_percent=discount_percent,
        )

        return quote_in
