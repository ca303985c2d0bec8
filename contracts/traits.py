"""How every service folds `identify` traits into a customer's traits, so all of them agree.

Last write wins per trait by event time (not arrival time): a late event never overwrites a newer
value, and on a tie of times the larger JSON value wins, so any delivery order gives the same result.
Each trait's time is kept beside the traits (`times`, RFC 3339 in UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson

Traits = tuple[dict[str, Any], dict[str, str]]  # (values, each value's event time)


def apply_traits(traits: dict[str, Any], times: dict[str, str], update: Mapping[str, Any], at: dt.datetime) -> Traits:
    """Last write wins per trait by event time, so late events never overwrite newer values."""
    stamp = at.astimezone(dt.UTC).isoformat()
    traits, times = dict(traits), dict(times)
    for name, value in update.items():
        if name in times and (times[name], _rank(traits.get(name))) >= (stamp, _rank(value)):
            continue  # a newer value is known (on a tie of times the larger value wins, in any order)
        times[name] = stamp
        if value is None:
            traits.pop(name, None)
        else:
            traits[name] = value
    return traits, times


def _rank(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def merge_traits(survivor: Traits, merged: Traits) -> Traits:
    traits, times = dict(survivor[0]), dict(survivor[1])
    for name, stamp in merged[1].items():
        if name not in times or (stamp, _rank(merged[0].get(name))) > (times[name], _rank(traits.get(name))):
            times[name] = stamp
            if name in merged[0]:
                traits[name] = merged[0][name]
            else:
                traits.pop(name, None)
    return traits, times
