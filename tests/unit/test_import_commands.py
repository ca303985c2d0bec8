"""`flywheel import` commands without a broker: dry runs, reports, rejects files and exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from cli.import_publish import SHOWN_REJECTS, Tally, run
from cli.import_rows import ImportRow, Rejected
from cli.importer import app

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def test_csv_dry_run_reports_rejected_lines_and_exits_1(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    args = ["csv", str(DATA / "import_purchases.csv"), "-w", "acme", "--dry-run", "--rejects", str(rejects)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "rows read" in result.output and "Rejected rows" in result.output
    written = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["line"] for r in written] == [5, 6, 7, 8, 9]
    assert "amount" in written[0]["reason"] and written[0]["raw"].startswith("c-4,")


def test_jsonl_dry_run_exits_0_when_every_line_is_valid(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(b"".join(line for line in (DATA / "import_events.jsonl").read_bytes().splitlines(True)[:5]))
    result = runner.invoke(app, ["jsonl", str(good), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "4" in result.output  # four events, one blank line


def test_cdnow_dry_run_needs_no_mapping() -> None:
    result = runner.invoke(app, ["csv", str(DATA / "cdnow_sample_transactions.csv"), "-w", "cdnow", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "6,919" in result.output


def test_bad_usage_and_unreadable_files_exit_2(tmp_path: Path) -> None:
    csv_file = str(DATA / "import_purchases.csv")
    cases = [
        ["jsonl", str(tmp_path / "missing.jsonl")],
        ["csv", str(tmp_path / "missing.csv"), "-w", "acme"],
        ["csv", csv_file, "-w", "acme", "--map", "amount"],
        ["csv", csv_file, "-w", "acme", "--map", "amount=price"],
        ["csv", csv_file, "-w", "acme", "--type", "shipment"],
        ["csv", csv_file, "-w", "Bad Workspace"],
        ["csv", csv_file],  # --workspace is required
        ["jsonl", str(DATA / "import_events.jsonl"), "-w", "Bad Workspace"],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_unreachable_broker_exits_2_without_traceback() -> None:
    # Port 1 on localhost: nothing listens, the connection is refused at once.
    args = ["csv", str(DATA / "import_purchases.csv"), "-w", "acme", "--bootstrap", "127.0.0.1:1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "cannot reach Kafka" in result.output and "Traceback" not in result.output


class RecordingSink:
    def __init__(self) -> None:
        self.chunks: list[list[ImportRow]] = []

    async def publish(self, records: list[ImportRow]) -> None:
        self.chunks.append(list(records))


async def test_run_publishes_in_chunks_and_keeps_the_first_rejects() -> None:
    outcomes: list[ImportRow | Rejected] = []
    for n in range(12_000):
        if n % 100 == 0:
            outcomes.append(Rejected(n, f"bad {n}", ""))
        else:
            outcomes.append(ImportRow(n, b"k", b"v", str(n)))
    sink = RecordingSink()
    progress: list[int] = []
    tally = await run(outcomes, sink, Tally(), progress.append)
    assert tally.read == 12_000 and tally.rejected == 120 and tally.published == 11_880
    assert len(tally.shown) == SHOWN_REJECTS and tally.shown[0].reason == "bad 0"
    assert [len(c) for c in sink.chunks] == [5000, 5000, 1880]
    assert progress[-1] == 12_000
