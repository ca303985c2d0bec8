"""Pure parsing and mapping of `flywheel import`: no broker, no files beyond tests/data."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest

from cli.import_rows import (
    CsvMapper,
    ImportRow,
    Rejected,
    UsageError,
    normalise_time,
    parse_jsonl_line,
    parse_pairs,
    resolve_mapping,
)
from contracts.codec import decode_inbound

DATA = Path(__file__).resolve().parents[1] / "data"


def event(**overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "specversion": "1.0",
        "id": "e-1",
        "source": "shop",
        "type": "purchase",
        "time": "2025-01-01T00:00:00Z",
        "workspace": "acme",
        "data": {"customer": {"external_id": "u-1"}, "order_id": "o-1", "amount": "9.50"},
    }
    doc.update(overrides)
    return doc


def line(doc: object) -> bytes:
    return orjson.dumps(doc) + b"\n"


def mapper(header: list[str], maps: dict[str, str] | None = None, event_type: str = "purchase") -> CsvMapper:
    mapping = resolve_mapping(event_type, header, maps or {})
    return CsvMapper(event_type, "acme", "orders.csv", header, mapping)


@pytest.mark.parametrize(
    ("customer", "subject"),
    [
        ({"external_id": "u-1", "email": "a@b.c"}, "u-1"),
        ({"email": "  Ann@Example.COM ", "phone": "+4915112345678"}, "ann@example.com"),
        ({"phone": "+4915112345678", "anonymous_id": "d-1"}, "+4915112345678"),
        ({"anonymous_id": "d-1"}, "d-1"),
    ],
)
def test_jsonl_key_is_workspace_and_strongest_identifier(customer: dict[str, str], subject: str) -> None:
    doc = event(data={"customer": customer, "order_id": "o-1", "amount": 1})
    out = parse_jsonl_line(3, line(doc), None)
    assert isinstance(out, ImportRow)
    assert out.key == f"acme:{subject}".encode()
    assert out.line == 3 and out.event_id == "e-1"
    assert decode_inbound(out.value).id == "e-1"  # what is published is a valid event again


def test_jsonl_blank_lines_are_skipped_and_bad_lines_rejected_with_reason() -> None:
    assert parse_jsonl_line(1, b"  \n", None) is None
    bad_json = parse_jsonl_line(2, b'{"id": \n', None)
    assert isinstance(bad_json, Rejected) and bad_json.line == 2 and "malformed JSON" in bad_json.reason
    bad_utf8 = parse_jsonl_line(3, b'{"id": "\xff"}\n', None)
    assert isinstance(bad_utf8, Rejected) and "UTF-8" in bad_utf8.reason
    not_object = parse_jsonl_line(4, b"[1, 2]\n", None)
    assert isinstance(not_object, Rejected) and "JSON object" in not_object.reason
    negative = parse_jsonl_line(
        5, line(event(data={"customer": {"email": "a@b.c"}, "order_id": "o", "amount": -1})), None
    )
    assert isinstance(negative, Rejected) and "data.amount" in negative.reason


def test_jsonl_workspace_option_rejects_other_workspaces() -> None:
    assert isinstance(parse_jsonl_line(1, line(event()), "acme"), ImportRow)
    other = parse_jsonl_line(2, line(event(workspace="globex")), "acme")
    assert isinstance(other, Rejected) and "globex" in other.reason
    assert isinstance(parse_jsonl_line(3, line(event(workspace="globex")), None), ImportRow)


def test_default_mapping_covers_the_cdnow_file_without_any_map() -> None:
    header = ["customer_id", "occurred_at", "amount"]
    assert resolve_mapping("purchase", header, {}) == {
        "customer.external_id": "customer_id",
        "time": "occurred_at",
        "amount": "amount",
    }


def test_explicit_map_wins_and_bad_usage_is_reported() -> None:
    header = ["uid", "mail", "when", "total", "email"]
    maps = parse_pairs(["customer.external_id=uid", "time=when", "data.amount=total"], "--map")
    mapping = resolve_mapping("purchase", header, maps)
    assert mapping["amount"] == "total" and mapping["customer.email"] == "email"
    with pytest.raises(UsageError, match="FIELD=VALUE"):
        parse_pairs(["amount"], "--map")
    with pytest.raises(UsageError, match="not in the header"):
        resolve_mapping("purchase", header, {"amount": "price"})
    with pytest.raises(UsageError, match="unknown --type"):
        resolve_mapping("shipment", header, {})
    with pytest.raises(UsageError, match="customer identifier"):
        resolve_mapping("purchase", ["when", "total"], {"time": "when"})
    with pytest.raises(UsageError, match="time"):
        resolve_mapping("purchase", ["uid"], {"customer.external_id": "uid"})
    with pytest.raises(UsageError, match="workspace"):
        CsvMapper("purchase", "Not Valid", "f.csv", ["uid", "when"], {"customer.external_id": "uid", "time": "when"})


def test_csv_rows_become_valid_events_with_deterministic_ids_and_order_ids() -> None:
    header = ["customer_id", "occurred_at", "amount"]
    first = mapper(header).row(2, ["cdnow-4", "1997-01-01T12:00:00Z", "29.33"])
    again = mapper(header).row(2, ["cdnow-4", "1997-01-01T12:00:00Z", "29.33"])
    assert isinstance(first, ImportRow) and isinstance(again, ImportRow)
    assert first == again  # same file, line and content: same id, so a re-run has effect once
    ev = decode_inbound(first.value)
    assert ev.source == "import" and ev.workspace == "acme" and first.key == b"acme:cdnow-4"
    assert str(ev.data.amount) == "29.33" and ev.data.order_id.startswith("imp-")
    moved = mapper(header).row(3, ["cdnow-4", "1997-01-01T12:00:00Z", "29.33"])
    assert isinstance(moved, ImportRow) and moved.event_id != first.event_id


def test_identical_rows_are_separate_orders() -> None:
    m = mapper(["customer_id", "occurred_at", "amount"])
    a, b = (m.row(n, ["c", "1997-01-01T12:00:00Z", "1.00"]) for n in (2, 3))
    assert isinstance(a, ImportRow) and isinstance(b, ImportRow)
    assert decode_inbound(a.value).data.order_id != decode_inbound(b.value).data.order_id


def test_csv_bad_values_are_rejected_with_reason_not_raised() -> None:
    m = mapper(["customer_id", "email", "occurred_at", "amount"])
    cases = {
        "amount": ["c", "", "2025-01-01T00:00:00Z", "-1"],
        "identifier": ["", " ", "2025-01-01T00:00:00Z", "1"],
        "time": ["c", "", "yesterday", "1"],
        "columns": ["c", "2025-01-01T00:00:00Z"],
        "UTF-8": ["c\udcff", "", "2025-01-01T00:00:00Z", "1"],
    }
    for n, (word, cells) in enumerate(cases.items(), start=2):
        out = m.row(n, cells)
        assert isinstance(out, Rejected), word
        assert out.line == n and word in out.reason


def test_dotted_targets_json_cells_and_constants() -> None:
    header = ["email", "day", "name", "city", "tier"]
    maps = {"customer.email": "email", "time": "day", "traits.name": "name", "traits.city": "city"}
    m = CsvMapper(
        "identify", "acme", "people.csv", header, resolve_mapping("identify", header, maps), {"traits.tier": "gold"}
    )
    out = m.row(2, ["Ann@Example.com", "2025-02-03", "Ann", "", "x"])
    assert isinstance(out, ImportRow) and out.key == b"acme:ann@example.com"
    ev = decode_inbound(out.value)
    assert ev.data.traits == {"name": "Ann", "tier": "gold"}  # the empty city cell is left out
    assert ev.time.isoformat() == "2025-02-03T00:00:00+00:00"

    header = ["uid", "when", "items"]
    m = mapper(header, {"customer.external_id": "uid", "time": "when"})
    items = '[{"sku": "A", "quantity": 2, "unit_price": "3.50"}]'
    no_amount = m.row(2, ["u", "2025-01-01T00:00:00Z", items])
    assert isinstance(no_amount, Rejected) and "data.amount" in no_amount.reason  # items alone do not make an amount
    bad = m.row(3, ["u", "2025-01-01T00:00:00Z", "[not json"])
    assert isinstance(bad, Rejected) and "items" in bad.reason


def test_normalise_time() -> None:
    assert normalise_time("2025-01-02") == "2025-01-02T00:00:00Z"
    assert normalise_time("2025-01-02 03:04:05") == "2025-01-02T03:04:05Z"
    assert normalise_time("2025-01-02T03:04:05+02:00") == "2025-01-02T03:04:05+02:00"


def test_every_cdnow_row_maps_to_a_valid_purchase() -> None:
    with (DATA / "cdnow_sample_transactions.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    m = mapper(rows[0])
    outcomes = [m.row(n, cells) for n, cells in enumerate(rows[1:], start=2)]
    assert all(isinstance(o, ImportRow) for o in outcomes)
    records = [o for o in outcomes if isinstance(o, ImportRow)]
    assert len({r.event_id for r in records}) == len(records) == 6919
    assert len({decode_inbound(r.value).data.order_id for r in records}) == 6919
