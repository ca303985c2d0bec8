"""RFM: quintile boundaries (ties, tiny and empty samples), 1-5 scores and the R vs. FM segment grid."""

from __future__ import annotations

import itertools
import math
from typing import get_args

import numpy as np
import pytest

from contracts.scoring import RfmSegment
from services.scoring.domain import rfm
from services.scoring.domain.rfm import DEFAULT_BOUNDARIES, SEGMENTS, RfmBoundaries, fit_boundaries, score, segment_of

# --- boundaries -----------------------------------------------------------------------------------


def test_empty_input_gives_the_documented_defaults() -> None:
    assert fit_boundaries([], [], []) == DEFAULT_BOUNDARIES
    assert DEFAULT_BOUNDARIES.as_dict() == {
        "recency_days": [30.0, 90.0, 180.0, 365.0],
        "frequency": [1.0, 2.0, 3.0, 5.0],
        "monetary": [50.0, 100.0, 250.0, 500.0],
    }


def test_a_dimension_without_finite_values_gets_its_default_and_nan_is_ignored() -> None:
    fitted = fit_boundaries([math.nan, math.nan], [1, 2], [math.nan, math.inf])
    assert fitted.recency_days == DEFAULT_BOUNDARIES.recency_days
    assert fitted.monetary == DEFAULT_BOUNDARIES.monetary
    assert (
        fit_boundaries([1.0, math.nan, 100.0], [1, 1, 1], [1, 1, 1]).recency_days
        == fit_boundaries([1.0, 100.0], [1], [1]).recency_days
    )


def test_distinct_values_split_into_five_equal_groups() -> None:
    values = np.arange(1, 101, dtype=float)
    boundaries = fit_boundaries(values, values, values)
    r, f, m = score(boundaries, values, values, values)
    assert np.bincount(f, minlength=6)[1:].tolist() == [20, 20, 20, 20, 20]
    assert np.array_equal(f, m)
    assert np.array_equal(r, 6 - f)  # shorter recency is better
    assert f[0] == 1 and f[-1] == 5 and r[0] == 5 and r[-1] == 1


def test_ties_stay_together_and_one_time_buyers_score_f_1() -> None:
    frequency = np.array([1] * 70 + [2] * 20 + [3] * 10, dtype=float)
    boundaries = fit_boundaries(np.arange(100.0), frequency, np.arange(100.0))
    assert boundaries.frequency == (1.0, 1.0, 1.0, 2.0)
    _, f, _ = score(boundaries, [0, 0, 0, 0], [1, 2, 3, 9], [0, 0, 0, 0])
    assert f.tolist() == [1, 4, 5, 5]


def test_a_customer_on_a_boundary_gets_the_lower_bin() -> None:
    boundaries = RfmBoundaries((10, 20, 30, 40), (1, 2, 3, 4), (10, 20, 30, 40))
    r, f, m = score(boundaries, [10, 10.5, 40, 41], [1, 1.5, 4, 5], [10, 10.5, 40, 41])
    assert r.tolist() == [5, 4, 2, 1]
    assert f.tolist() == [1, 2, 4, 5]
    assert m.tolist() == [1, 2, 4, 5]


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_tiny_samples_give_ordered_boundaries_within_the_sample(size: int) -> None:
    values = np.array([3.0, 50.0, 7.0, 12.0][:size])
    boundaries = fit_boundaries(values, values, values)
    for cuts in (boundaries.recency_days, boundaries.frequency, boundaries.monetary):
        assert len(cuts) == 4
        assert list(cuts) == sorted(cuts)
        assert values.min() <= cuts[0] and cuts[-1] <= values.max()
    r, f, _ = score(boundaries, values, values, values)
    assert set(f.tolist()) <= {1, 2, 3, 4, 5}
    if size > 1:  # the extremes of the sample get the extreme scores
        assert f[np.argmin(values)] == 1 and f[np.argmax(values)] == 5
        assert r[np.argmin(values)] == 5 and r[np.argmax(values)] == 1


def test_a_single_purchaser_is_new() -> None:
    boundaries = fit_boundaries([4.0], [1.0], [80.0])
    assert boundaries.frequency == (1.0, 1.0, 1.0, 1.0)
    r, f, m = score(boundaries, [4.0], [1.0], [80.0])
    assert (int(r[0]), int(f[0]), int(m[0])) == (5, 1, 1)
    assert segment_of(r, f, m).tolist() == ["New"]


def test_scores_are_int8_and_nan_scores_zero() -> None:
    r, f, m = score(DEFAULT_BOUNDARIES, [math.nan, 5.0], [math.nan, 1.0], [math.nan, 1000.0])
    assert r.dtype == f.dtype == m.dtype == np.int8
    assert (r.tolist(), f.tolist(), m.tolist()) == ([0, 5], [0, 1], [0, 5])


def test_boundaries_round_trip_through_their_stored_form() -> None:
    boundaries = fit_boundaries([1, 5, 9, 30, 200], [1, 1, 2, 4, 9], [10, 20.5, 30, 99, 1000])
    assert RfmBoundaries.from_dict(boundaries.as_dict()) == boundaries


@pytest.mark.parametrize(
    "doc",
    [
        {"recency_days": [1, 2, 3], "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]},
        {"recency_days": [1, 2, 3, 4], "frequency": [1, 3, 2, 4], "monetary": [1, 2, 3, 4]},
        {"recency_days": [1, 2, 3, 4], "frequency": [1, 2, 3, 4]},
        {"recency_days": [1, 2, 3, "x"], "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]},
        {"recency_days": [1, 2, 3, float("nan")], "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]},
        {"recency_days": None, "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]},
    ],
)
def test_malformed_stored_boundaries_are_refused(doc: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RfmBoundaries.from_dict(doc)


# --- segments -------------------------------------------------------------------------------------


def test_there_are_the_eleven_standard_segments_of_the_event_contract() -> None:
    assert len(SEGMENTS) == 11
    assert get_args(RfmSegment) == SEGMENTS  # what rfm.segment_changed events may carry


def test_every_score_triple_maps_to_exactly_one_segment_and_every_segment_is_reachable() -> None:
    triples = np.array(list(itertools.product(range(1, 6), repeat=3)))
    names = segment_of(triples[:, 0], triples[:, 1], triples[:, 2])
    assert len(names) == 125
    assert all(name in SEGMENTS for name in names)
    assert set(names) == set(SEGMENTS)


@pytest.mark.parametrize(
    ("r", "f", "m", "segment"),
    [
        (5, 5, 5, "Champions"),
        (4, 4, 4, "Champions"),
        (1, 1, 1, "Lost"),
        (1, 5, 5, "Can't Lose Them"),
        (2, 5, 5, "Can't Lose Them"),
        (1, 3, 3, "At Risk"),
        (5, 1, 1, "New"),
        (4, 1, 1, "Promising"),
        (5, 2, 3, "Potential Loyalist"),
        (3, 5, 4, "Loyal"),
        (3, 3, 3, "Need Attention"),
        (3, 1, 2, "About to Sleep"),
        (2, 1, 2, "Hibernating"),
        (1, 2, 2, "Hibernating"),
    ],
)
def test_spot_checks(r: int, f: int, m: int, segment: str) -> None:
    assert segment_of([r], [f], [m]).tolist() == [segment]


def test_fm_is_the_mean_of_f_and_m_rounded_half_up() -> None:
    # R 5: FM 3 is Potential Loyalist, FM 4 Champions; F 4 and M 3 average 3.5 -> 4.
    assert segment_of([5, 5, 5], [4, 3, 5], [3, 3, 2]).tolist() == ["Champions", "Potential Loyalist", "Champions"]


def test_unscored_customers_have_no_segment_and_bad_scores_are_refused() -> None:
    assert segment_of([0, 5], [0, 5], [0, 5]).tolist() == [None, "Champions"]
    with pytest.raises(ValueError, match="0-5"):
        segment_of([6], [1], [1])


def test_the_documented_table_is_the_mapping() -> None:
    table = rfm.mapping_table()
    assert rfm.__doc__ is not None and table in rfm.__doc__
    rows = table.splitlines()[2:]
    assert len(rows) == 5
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        r, names = int(cells[0]), cells[1:]
        for fm, name in enumerate(names, start=1):
            # F = M = FM gives that FM.
            assert segment_of([r], [fm], [fm]).tolist() == [name]
