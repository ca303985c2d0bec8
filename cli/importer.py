"""`flywheel import`: load customer events from JSONL or CSV files into `flywheel.events.inbound`.

Every row is validated against the contracts before it is published; bad rows are reported with
their line number and never stop the import. Event ids are deterministic, so re-running an import
(after a failure, or by mistake) has effect once.
`flywheel import spend` sends marketing spend from a CSV file through the gateway instead (cli/import_spend.py).
Exit codes: 0 all published, 1 some rows rejected (the rest published), 2 the import could not run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Coroutine, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.demo import KEY_FILE, resolve_key
from cli.import_publish import (
    BrokerError,
    DryRunSink,
    KafkaSink,
    Sink,
    Tally,
    count_lines,
    open_csv,
    read_csv,
    read_jsonl,
    render_report,
    run,
    stderr_console,
)
from cli.import_rows import CsvMapper, RowOutcome, UsageError, parse_pairs, resolve_mapping
from cli.import_spend import GatewaySink, columns_of, read_spend_csv
from cli.kafka_producer import START_ERRORS, start_producer, why_unusable
from contracts.envelope import is_valid_workspace
from contracts.topics import INBOUND
from runtime.kafka import KafkaSettingsError
from runtime.settings import RuntimeSettings

app = typer.Typer(
    name="import",
    help="Load customer events from JSONL or CSV files into flywheel.events.inbound, or marketing spend from a CSV "
    "file through the gateway.",
    no_args_is_help=True,
)

BootstrapOpt = Annotated[
    str | None, typer.Option("--bootstrap", help="Kafka bootstrap servers (default: FLYWHEEL_KAFKA_BOOTSTRAP).")
]
RejectsOpt = Annotated[
    Path | None, typer.Option("--rejects", help="Write every rejected row (line, reason, content) to this JSONL file.")
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Validate every row; publish nothing.")]
TopicOpt = Annotated[str, typer.Option("--topic", hidden=True, help="Target topic (tests use their own).")]
# Acks of a whole chunk are awaited together; a broker that does not answer this long is treated as gone.
CONNECT_TIMEOUT_S = 15.0


# aiokafka logs connection failures itself; without a handler they would reach stderr through
# logging's last-resort handler next to our own one-line error.
logging.getLogger("aiokafka").addHandler(logging.NullHandler())


def _fail(message: str) -> NoReturn:
    stderr_console().print(f"[bold red]error:[/] {message}", soft_wrap=True)  # paths stay whole
    raise typer.Exit(2)


def _check_file(path: Path) -> None:
    if not path.is_file():
        _fail(f"cannot read {path}: no such file")
    try:
        with path.open("rb") as f:
            f.read(1)
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")


async def _start_producer(bootstrap: str, topic: str) -> object:
    settings = RuntimeSettings(kafka_bootstrap=bootstrap, service_name="import")
    try:
        return await start_producer(settings, CONNECT_TIMEOUT_S, topic)
    except KafkaSettingsError as exc:
        raise BrokerError(str(exc)) from exc
    except START_ERRORS as exc:
        detail = await why_unusable(settings, exc)
        raise BrokerError(f"cannot reach Kafka at {bootstrap} (topic {topic}): {detail}") from exc


def _progress() -> Progress:
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=stderr_console(), transient=False)


async def _run_with_progress(outcomes: Iterable[RowOutcome], total: int, tally: Tally, sink: Sink) -> None:
    with _progress() as progress:
        task = progress.add_task("rows", total=total)
        await run(outcomes, sink, tally, lambda done: progress.update(task, completed=done))
        progress.update(task, total=tally.read)  # the line count included blank lines and the like


async def _publish(outcomes: Iterable[RowOutcome], total: int, tally: Tally, bootstrap: str | None, topic: str) -> None:
    sink: Sink = DryRunSink()
    producer: object | None = None
    if bootstrap is not None:
        producer = await _start_producer(bootstrap, topic)
        sink = KafkaSink(producer, topic)
    try:
        await _run_with_progress(outcomes, total, tally, sink)
    finally:
        if producer is not None:
            await producer.stop()  # type: ignore[attr-defined]


async def _send_spend(outcomes: Iterable[RowOutcome], total: int, tally: Tally, gateway: str | None, key: str) -> None:
    if gateway is None:
        await _run_with_progress(outcomes, total, tally, DryRunSink())
        return
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=60.0) as client:
        await _run_with_progress(outcomes, total, tally, GatewaySink(client))


def execute(
    outcomes: Iterable[RowOutcome],
    total: int,
    *,
    bootstrap: str | None,
    dry_run: bool,
    topic: str,
    rejects: Path | None,
) -> int:
    """Run one import and print its report; returns the exit code (also the entry point for tests)."""
    target = None if dry_run else (bootstrap or RuntimeSettings().kafka_bootstrap)
    return _execute(lambda tally: _publish(outcomes, total, tally, target, topic), dry_run, rejects)


def _execute(publish: Callable[[Tally], Coroutine[Any, Any, None]], dry_run: bool, rejects: Path | None) -> int:
    console = Console()
    with ExitStack() as stack:
        tally = Tally()
        if rejects is not None:
            try:
                tally.rejects_out = stack.enter_context(rejects.open("wb"))
            except OSError as exc:
                _fail(f"cannot write --rejects {rejects}: {exc.strerror or exc}")
        started = time.perf_counter()
        try:
            asyncio.run(publish(tally))
        except BrokerError as exc:
            if not tally.read:
                _fail(str(exc))
            render_report(console, tally, dry_run, rejects)
            _fail(f"{exc}\nPublished {tally.published:,} rows before the failure; re-running the import is safe.")
        elapsed = time.perf_counter() - started
    render_report(console, tally, dry_run, rejects)
    console.print(f"{tally.read:,} rows in {elapsed:.2f} s ({tally.read / max(elapsed, 1e-9):,.0f} rows/s)")
    return 1 if tally.rejected else 0


@app.command("jsonl")
def import_jsonl(
    file: Annotated[Path, typer.Argument(help="CloudEvents, one JSON object per line.")],
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", "-w", help="Only accept events of this workspace (others are rejected)."),
    ] = None,
    bootstrap: BootstrapOpt = None,
    rejects: RejectsOpt = None,
    dry_run: DryRunOpt = False,
    topic: TopicOpt = INBOUND,
) -> None:
    """Import CloudEvents from a JSONL file; each event keeps its own id and workspace."""
    if workspace is not None and not is_valid_workspace(workspace):
        _fail(f"invalid --workspace {workspace!r}: lowercase letters, digits, '-' and '_'")
    _check_file(file)
    code = execute(
        read_jsonl(file, workspace),
        count_lines(file),
        bootstrap=bootstrap,
        dry_run=dry_run,
        topic=topic,
        rejects=rejects,
    )
    raise typer.Exit(code)


@app.command("csv")
def import_csv(
    file: Annotated[Path, typer.Argument(help="CSV file with a header row.")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace every row belongs to.")],
    event_type: Annotated[str, typer.Option("--type", help="Event type of every row.")] = "purchase",
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN, FIELD a dotted path of the event (customer.email, order_id, amount, time, "
            "traits.city...). Columns named like a field (or customer_id, occurred_at, email...) map themselves.",
        ),
    ] = None,
    constants: Annotated[
        list[str] | None, typer.Option("--set", help="FIELD=VALUE for every row, e.g. currency=USD.")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="CloudEvents source of the imported events.")] = "import",
    bootstrap: BootstrapOpt = None,
    rejects: RejectsOpt = None,
    dry_run: DryRunOpt = False,
    topic: TopicOpt = INBOUND,
) -> None:
    """Import rows of a CSV file as events of one type, through a column mapping.

    Times without a zone are read as UTC, dates alone as midnight UTC.

    Purchases and refunds without an order_id column get one hashed from the row.

    Empty cells are left out of the event.
    """
    _check_file(file)
    try:
        f, reader, header = open_csv(file)
        mapping = resolve_mapping(event_type, header, parse_pairs(maps or [], "--map"))
        mapper = CsvMapper(
            event_type, workspace, file.name, header, mapping, parse_pairs(constants or [], "--set"), source
        )
    except UsageError as exc:
        _fail(str(exc))
    except (OSError, UnicodeError) as exc:
        _fail(f"cannot read {file}: {exc}")
    stderr_console().print("mapping: " + ", ".join(f"{t}={c}" for t, c in mapping.items()))
    total = max(count_lines(file) - 1, 0)
    code = execute(
        read_csv(f, reader, mapper), total, bootstrap=bootstrap, dry_run=dry_run, topic=topic, rejects=rejects
    )
    raise typer.Exit(code)


@app.command("spend")
def import_spend(
    file: Annotated[Path, typer.Argument(help="CSV file with a header row: date,channel,campaign,amount,currency.")],
    gateway: Annotated[str, typer.Option("--gateway", help="Gateway base URL.")] = "http://127.0.0.1:8080",
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="API key with the scope reports:write (default: FLYWHEEL_API_KEY, FLYWHEEL_DEMO_KEY, then "
            ".flywheel/demo-key).",
        ),
    ] = None,
    rejects: RejectsOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate every row; send nothing.")] = False,
) -> None:
    """Send marketing spend (per day, channel and campaign) to POST /v1/marketing-spend, 1,000 rows a request.

    `campaign` and `currency` may be left out or empty; amounts are exact decimals (at most 2 decimals), dates
    YYYY-MM-DD, currencies ISO 4217 codes. A row sent again for the same date, channel and campaign replaces the
    earlier one, so re-running an import is safe.
    """
    _check_file(file)
    resolved = resolve_key(key or os.environ.get("FLYWHEEL_API_KEY"))
    if resolved is None and not dry_run:
        _fail(f"no API key: pass --key, set FLYWHEEL_API_KEY, or start the dev stack (writes {KEY_FILE})")
    try:
        f, reader, header = open_csv(file)
        columns = columns_of(header)
    except UsageError as exc:
        _fail(f"{file}: {exc}")
    except (OSError, UnicodeError) as exc:
        _fail(f"cannot read {file}: {exc}")
    total = max(count_lines(file) - 1, 0)
    outcomes = read_spend_csv(f, reader, columns)
    target = None if dry_run else gateway.rstrip("/")
    code = _execute(lambda tally: _send_spend(outcomes, total, tally, target, resolved or ""), dry_run, rejects)
    raise typer.Exit(code)
