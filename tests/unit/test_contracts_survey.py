"""The `survey` inbound event: NPS 0-10 and/or CSAT 1-5, a bounded comment; decoded on the inbound and resolved
topics alike, and importable from a CSV file."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from cli.import_rows import CsvMapper, ImportRow, Rejected, resolve_mapping
from contracts.codec import Decoder, InvalidEvent, decode_inbound
from contracts.inbound import MAX_SURVEY_COMMENT, SurveyEvent
from contracts.internal import RESOLVED_EVENT_TYPES, ResolvedSurveyEvent


def survey(**data: Any) -> bytes:
    return orjson.dumps(
        {
            "specversion": "1.0",
            "id": "evt-s1",
            "source": "survey-tool",
            "type": "survey",
            "time": "2026-11-23T10:00:00Z",
            "workspace": "demo",
            "data": {"customer": {"email": "ada@example.com"}, **data},
        }
    )


@pytest.mark.parametrize(
    "data",
    [{"nps": 0}, {"nps": 10}, {"csat": 1}, {"csat": 5}, {"nps": 7, "csat": 3, "survey_id": "q", "channel": "email"}],
)
def test_an_answer_with_a_score_in_bounds_is_accepted(data: dict[str, Any]) -> None:
    event = decode_inbound(survey(**data))
    assert isinstance(event, SurveyEvent)
    assert (event.data.nps, event.data.csat) == (data.get("nps"), data.get("csat"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"nps": 11}, "data.nps"),
        ({"nps": -1}, "data.nps"),
        ({"nps": 7.5}, "data.nps"),
        ({"csat": 0}, "data.csat"),
        ({"csat": 6}, "data.csat"),
        ({"nps": 9, "comment": "x" * (MAX_SURVEY_COMMENT + 1)}, "data.comment"),
        ({"nps": 9, "survey_id": "q" * 513}, "data.survey_id"),
        ({"nps": 9, "channel": ""}, "data.channel"),
    ],
)
def test_a_score_out_of_bounds_or_text_over_its_budget_is_refused_naming_the_field(
    data: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidEvent) as refused:
        decode_inbound(survey(**data))
    assert refused.value.reason.startswith("invalid survey event: ")
    assert [e["field"] for e in refused.value.errors] == [field]
    assert "x" * 100 not in refused.value.reason  # the comment is not quoted back


@pytest.mark.parametrize("data", [{}, {"nps": None, "csat": None}, {"survey_id": "q", "comment": "hi"}])
def test_an_answer_needs_at_least_one_score(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidEvent) as refused:
        decode_inbound(survey(**data))
    assert "at least one of nps (0-10) or csat (1-5)" in refused.value.reason


def test_a_comment_of_the_whole_budget_is_kept() -> None:
    event = decode_inbound(survey(nps=9, comment="é" * MAX_SURVEY_COMMENT))
    assert isinstance(event, SurveyEvent) and event.data.comment == "é" * MAX_SURVEY_COMMENT


def test_the_resolved_survey_carries_the_customer_id() -> None:
    doc = orjson.loads(survey(nps=10))
    event = Decoder(RESOLVED_EVENT_TYPES)(orjson.dumps({**doc, "customerid": "c_1"}))
    assert isinstance(event, ResolvedSurveyEvent) and isinstance(event, SurveyEvent)
    assert event.customerid == "c_1" and event.data.nps == 10


def test_survey_answers_import_from_a_csv_file() -> None:
    header = ["email", "time", "nps", "csat", "survey_id", "comment", "channel"]
    mapping = resolve_mapping("survey", header, {})
    assert {mapping[f] for f in ("nps", "csat", "survey_id", "comment", "channel")} == set(header[2:])
    rows = CsvMapper("survey", "acme", "answers.csv", header, mapping)
    good = rows.row(2, ["ada@example.com", "2026-11-01", "9", "", "q4", "Lovely", "email"])
    assert isinstance(good, ImportRow)
    data = orjson.loads(good.value)["data"]
    assert (data["nps"], data["survey_id"], data["comment"], "csat" in data) == (9, "q4", "Lovely", False)
    no_score = rows.row(3, ["bo@example.com", "2026-11-01", "", "", "q4", "", ""])
    assert isinstance(no_score, Rejected) and "at least one of nps" in no_score.reason
    out_of_range = rows.row(4, ["bo@example.com", "2026-11-01", "11", "", "", "", ""])
    assert isinstance(out_of_range, Rejected) and "data.nps" in out_of_range.reason
