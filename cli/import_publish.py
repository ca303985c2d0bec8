"""Reading files, pipelined publishing and the final report of `flywheel import`."""

from __future__ import annotations

import asyncio
import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import orjson
from rich.console import Console
from rich.table import Table

from cli.import_rows import CsvMapper, ImportRow, Rejected, RowOutcome, parse_jsonl_line
from contracts.envelope import CONTENT_TYPE

HEADERS = [("content-type", CONTENT_TYPE.encode())]
SHOWN_REJECTS = 50
# Big enough to keep the producer's batches full (acks are awaited once per chunk, not per row),
# small enough that a broker failure loses track of at most one chunk (re-running is safe anyway).
CHUNK = 5000


class BrokerError(RuntimeError):
    """The broker could not be reached or stopped acknowledging: the import cannot finish."""


class Sink(Protocol):
    async def publish(self, records: list[ImportRow]) -> None:
        """Send every record and return once all are acknowledged; raise BrokerError otherwise."""


class DryRunSink:
    async def publish(self, records: list[ImportRow]) -> None:
        return None


class KafkaSink:
    def __init__(self, producer: object, topic: str) -> None:
        self.producer = producer
        self.topic = topic

    async def publish(self, records: list[ImportRow]) -> None:
        from aiokafka.errors import KafkaError

        send = self.producer.send  # type: ignore[attr-defined]
        try:
            # Enqueue the whole chunk first, then wait for acks: the producer batches per partition meanwhile.
            acks = [await send(self.topic, value=r.value, key=r.key, headers=HEADERS) for r in records]
            await asyncio.gather(*acks)
        except KafkaError as exc:
            raise BrokerError(f"broker stopped acknowledging: {exc!r}") from exc


@dataclass
class Tally:
    read: int = 0
    published: int = 0
    rejected: int = 0
    shown: list[Rejected] = field(default_factory=list)
    rejects_out: IO[bytes] | None = None

    def reject(self, item: Rejected) -> None:
        self.rejected += 1
        if len(self.shown) < SHOWN_REJECTS:
            self.shown.append(item)
        if self.rejects_out is not None:
            line = {"line": item.line, "reason": item.reason, "raw": item.raw}
            self.rejects_out.write(orjson.dumps(line) + b"\n")


async def run(outcomes: Iterable[RowOutcome], sink: Sink, tally: Tally, advance: Callable[[int], None]) -> Tally:
    """Publish every valid record in chunks; rejected rows are tallied and never stop the import."""
    chunk: list[ImportRow] = []
    for outcome in outcomes:
        tally.read += 1
        if isinstance(outcome, Rejected):
            tally.reject(outcome)
        else:
            chunk.append(outcome)
        if len(chunk) >= CHUNK:
            await sink.publish(chunk)
            tally.published += len(chunk)
            advance(tally.read)
            chunk = []
        elif tally.read % CHUNK == 0:
            advance(tally.read)
    if chunk:
        await sink.publish(chunk)
        tally.published += len(chunk)
    advance(tally.read)
    return tally


def count_lines(path: Path) -> int:
    """Physical lines, for the progress bar's total (a cheap pass: about 1 GB/s)."""
    lines = 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            lines += block.count(b"\n")
    return lines


def read_jsonl(path: Path, workspace: str | None) -> Iterator[RowOutcome]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            outcome = parse_jsonl_line(number, raw, workspace)
            if outcome is not None:
                yield outcome


class CsvRows(Protocol):
    """What `csv.reader` returns: rows, and the physical line the last row ended on."""

    @property
    def line_num(self) -> int: ...
    def __iter__(self) -> Iterator[list[str]]: ...
    def __next__(self) -> list[str]: ...


def open_csv(path: Path) -> tuple[IO[str], CsvRows, list[str]]:
    """The file, a reader positioned after the header, and the header; a bad byte fails one row, not all."""
    f = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(f)
    header = [name.strip() for name in next(reader, [])]
    return f, reader, header


def read_csv(f: IO[str], reader: CsvRows, mapper: CsvMapper) -> Iterator[RowOutcome]:
    previous = reader.line_num
    with f:
        for cells in reader:
            # A quoted cell may span lines: a row starts on the line after the previous row ended.
            start = previous + 1
            previous = reader.line_num
            if not cells:
                continue
            yield mapper.row(start, cells)


def render_report(console: Console, tally: Tally, dry_run: bool, rejects_path: Path | None) -> None:
    summary = Table(
        title="Import dry run (nothing published)" if dry_run else "Import report", show_header=False, min_width=48
    )
    summary.add_column("what")
    summary.add_column("rows", justify="right")
    summary.add_row("rows read", f"{tally.read:,}")
    summary.add_row("valid (not published)" if dry_run else "published", f"{tally.published:,}")
    summary.add_row("rejected", f"[red]{tally.rejected:,}[/]" if tally.rejected else "0")
    console.print(summary)
    if not tally.shown:
        return
    rejects = Table(title=f"Rejected rows (first {len(tally.shown)} of {tally.rejected:,})")
    rejects.add_column("line", justify="right")
    rejects.add_column("reason", overflow="fold")
    for item in tally.shown:
        rejects.add_row(str(item.line), item.reason)
    console.print(rejects)
    if rejects_path is not None:
        console.print(f"All rejected rows, with their content: {rejects_path}")
    elif tally.rejected > len(tally.shown):
        console.print("Add --rejects FILE to write every rejected row.")


def stderr_console() -> Console:
    return Console(file=sys.stderr)
