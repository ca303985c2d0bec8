from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_counts_suppressed_reasons import DeliveryCountsSuppressedReasons


T = TypeVar("T", bound="DeliveryCounts")


@_attrs_define
class DeliveryCounts:
    """
    Attributes:
        delivered (int):
        failed (int):
        pending (int):
        suppressed (int | Unset): Messages the consent check stopped right before sending (never sent). Default: 0.
        suppressed_reasons (DeliveryCountsSuppressedReasons | Unset): The suppressed messages by reason: `erased`,
            `suppressed` (the suppression list), `unsubscribed:<group>`, `no_consent:<group>` (an opt-in group without a
            subscription), `unknown_group:<group>` (a group the workspace does not define).
    """

    delivered: int
    failed: int
    pending: int
    suppressed: int | Unset = 0
    suppressed_reasons: DeliveryCountsSuppressedReasons | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivered = self.delivered

        failed = self.failed

        pending = self.pending

        suppressed = self.suppressed

        suppressed_reasons: dict[str, Any] | Unset = UNSET
        if not isinstance(self.suppressed_reasons, Unset):
            suppressed_reasons = self.suppressed_reasons.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivered": delivered,
                "failed": failed,
                "pending": pending,
            }
        )
        if suppressed is not UNSET:
            field_dict["suppressed"] = suppressed
        if suppressed_reasons is not UNSET:
            field_dict["suppressed_reasons"] = suppressed_reasons

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_counts_suppressed_reasons import DeliveryCountsSuppressedReasons  # noqa: PLC0415

        d = dict(src_dict)
        delivered = d.pop("delivered")

        failed = d.pop("failed")

        pending = d.pop("pending")

        suppressed = d.pop("suppressed", UNSET)

        _suppressed_reasons = d.pop("suppressed_reasons", UNSET)
        suppressed_reasons: DeliveryCountsSuppressedReasons | Unset
        if isinstance(_suppressed_reasons, Unset):
            suppressed_reasons = UNSET
        else:
            suppressed_reasons = DeliveryCountsSuppressedReasons.from_dict(_suppressed_reasons)

        delivery_counts = cls(
            delivered=delivered,
            failed=failed,
            pending=pending,
            suppressed=suppressed,
            suppressed_reasons=suppressed_reasons,
        )

        delivery_counts.additional_properties = d
        return delivery_counts

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
