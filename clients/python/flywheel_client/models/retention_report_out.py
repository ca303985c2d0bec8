from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retention_report_out_granularity import RetentionReportOutGranularity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.period import Period
    from ..models.retention_cohort_row import RetentionCohortRow


T = TypeVar("T", bound="RetentionReportOut")


@_attrs_define
class RetentionReportOut:
    """
    Attributes:
        cohorts (list[RetentionCohortRow] | None): Cohorts of the customers whose first purchase is in the period,
            oldest first; null when scoring is degraded.
        currency (None | str): The workspace's report currency (`PUT /v1/report-settings`); null when not set.
        granularity (RetentionReportOutGranularity): The cohorts' period.
        period (Period):
        degraded (list[str] | Unset): `scoring` when it was down, slow or out of contract.
    """

    cohorts: list[RetentionCohortRow] | None
    currency: None | str
    granularity: RetentionReportOutGranularity
    period: Period
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cohorts: list[dict[str, Any]] | None
        if isinstance(self.cohorts, list):
            cohorts = []
            for cohorts_type_0_item_data in self.cohorts:
                cohorts_type_0_item = cohorts_type_0_item_data.to_dict()
                cohorts.append(cohorts_type_0_item)

        else:
            cohorts = self.cohorts

        currency: None | str
        currency = self.currency

        granularity = self.granularity.value

        period = self.period.to_dict()

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cohorts": cohorts,
                "currency": currency,
                "granularity": granularity,
                "period": period,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period import Period  # noqa: PLC0415
        from ..models.retention_cohort_row import RetentionCohortRow  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cohorts(data: object) -> list[RetentionCohortRow] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                cohorts_type_0 = []
                _cohorts_type_0 = data
                for cohorts_type_0_item_data in _cohorts_type_0:
                    cohorts_type_0_item = RetentionCohortRow.from_dict(cohorts_type_0_item_data)

                    cohorts_type_0.append(cohorts_type_0_item)

                return cohorts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RetentionCohortRow] | None, data)

        cohorts = _parse_cohorts(d.pop("cohorts"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        granularity = RetentionReportOutGranularity(d.pop("granularity"))

        period = Period.from_dict(d.pop("period"))

        degraded = cast(list[str], d.pop("degraded", UNSET))

        retention_report_out = cls(
            cohorts=cohorts,
            currency=currency,
            granularity=granularity,
            period=period,
            degraded=degraded,
        )

        retention_report_out.additional_properties = d
        return retention_report_out

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
