from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.spend_row_in import SpendRowIn


T = TypeVar("T", bound="SpendIn")


@_attrs_define
class SpendIn:
    """
    Attributes:
        rows (list[SpendRowIn]): 1 to 1000 rows (send more in several requests).
    """

    rows: list[SpendRowIn]

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.spend_row_in import SpendRowIn  # noqa: PLC0415

        d = dict(src_dict)
        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = SpendRowIn.from_dict(rows_item_data)

            rows.append(rows_item)

        spend_in = cls(
            rows=rows,
        )

        return spend_in
