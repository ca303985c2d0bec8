from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.journey_settings_reentry import JourneySettingsReentry
from ..models.journey_settings_when_capped import JourneySettingsWhenCapped
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.frequency_cap import FrequencyCap
    from ..models.quiet_hours import QuietHours


T = TypeVar("T", bound="JourneySettings")


@_attrs_define
class JourneySettings:
    """
    Attributes:
        cooldown (None | str | Unset):
        frequency_cap (FrequencyCap | None | Unset):
        holdout_percent (float | Unset):  Default: 0.0.
        priority (int | Unset):  Default: 50.
        quiet_hours (None | QuietHours | Unset):
        reentry (JourneySettingsReentry | Unset):  Default: JourneySettingsReentry.NEVER.
        timezone (str | Unset):  Default: 'UTC'.
        when_capped (JourneySettingsWhenCapped | Unset):  Default: JourneySettingsWhenCapped.DEFER.
    """

    cooldown: None | str | Unset = UNSET
    frequency_cap: FrequencyCap | None | Unset = UNSET
    holdout_percent: float | Unset = 0.0
    priority: int | Unset = 50
    quiet_hours: None | QuietHours | Unset = UNSET
    reentry: JourneySettingsReentry | Unset = JourneySettingsReentry.NEVER
    timezone: str | Unset = "UTC"
    when_capped: JourneySettingsWhenCapped | Unset = JourneySettingsWhenCapped.DEFER

    def to_dict(self) -> dict[str, Any]:
        from ..models.frequency_cap import FrequencyCap  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        cooldown: None | str | Unset
        if isinstance(self.cooldown, Unset):
            cooldown = UNSET
        else:
            cooldown = self.cooldown

        frequency_cap: dict[str, Any] | None | Unset
        if isinstance(self.frequency_cap, Unset):
            frequency_cap = UNSET
        elif isinstance(self.frequency_cap, FrequencyCap):
            frequency_cap = self.frequency_cap.to_dict()
        else:
            frequency_cap = self.frequency_cap

        holdout_percent = self.holdout_percent

        priority = self.priority

        quiet_hours: dict[str, Any] | None | Unset
        if isinstance(self.quiet_hours, Unset):
            quiet_hours = UNSET
        elif isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours

        reentry: str | Unset = UNSET
        if not isinstance(self.reentry, Unset):
            reentry = self.reentry.value

        timezone = self.timezone

        when_capped: str | Unset = UNSET
        if not isinstance(self.when_capped, Unset):
            when_capped = self.when_capped.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cooldown is not UNSET:
            field_dict["cooldown"] = cooldown
        if frequency_cap is not UNSET:
            field_dict["frequency_cap"] = frequency_cap
        if holdout_percent is not UNSET:
            field_dict["holdout_percent"] = holdout_percent
        if priority is not UNSET:
            field_dict["priority"] = priority
        if quiet_hours is not UNSET:
            field_dict["quiet_hours"] = quiet_hours
        if reentry is not UNSET:
            field_dict["reentry"] = reentry
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if when_capped is not UNSET:
            field_dict["when_capped"] = when_capped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.frequency_cap import FrequencyCap  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cooldown(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cooldown = _parse_cooldown(d.pop("cooldown", UNSET))

        def _parse_frequency_cap(data: object) -> FrequencyCap | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                frequency_cap_type_0 = FrequencyCap.from_dict(data)

                return frequency_cap_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FrequencyCap | None | Unset, data)

        frequency_cap = _parse_frequency_cap(d.pop("frequency_cap", UNSET))

        holdout_percent = d.pop("holdout_percent", UNSET)

        priority = d.pop("priority", UNSET)

        def _parse_quiet_hours(data: object) -> None | QuietHours | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_0 = QuietHours.from_dict(data)

                return quiet_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours | Unset, data)

        quiet_hours = _parse_quiet_hours(d.pop("quiet_hours", UNSET))

        _reentry = d.pop("reentry", UNSET)
        reentry: JourneySettingsReentry | Unset
        if isinstance(_reentry, Unset):
            reentry = UNSET
        else:
            reentry = JourneySettingsReentry(_reentry)

        timezone = d.pop("timezone", UNSET)

        _when_capped = d.pop("when_capped", UNSET)
        when_capped: JourneySettingsWhenCapped | Unset
        if isinstance(_when_capped, Unset):
            when_capped = UNSET
        else:
            when_capped = JourneySettingsWhenCapped(_when_capped)

        journey_settings = cls(
            cooldown=cooldown,
            frequency_cap=frequency_cap,
            holdout_percent=holdout_percent,
            priority=priority,
            quiet_hours=quiet_hours,
            reentry=reentry,
            timezone=timezone,
            when_capped=when_capped,
        )

        return journey_settings
