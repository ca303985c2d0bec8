"""`flywheel deadletter list|replay`: inspect `flywheel.deadletter` and re-publish selected dead letters
to the topics they came from, once their cause is fixed.

The topic is read from the beginning (or from `--since`) up to the end offsets taken at start, by a
plain consumer without a group: nothing is committed and nothing is ever deleted, so listing or
replaying twice reads the same letters. A replayed message is the original key, value and headers
(minus `flywheel-dlq-*`) plus `flywheel-replay-of: <partition>:<offset>`; services de-duplicate on the
event id, so replaying the same letters again has no further effect.
Exit codes: 0 done (also when nothing matched), 1 the broker could not be reached or a send failed,
2 bad options or bad Kafka security settings (FLYWHEEL_KAFKA_SECURITY_PROTOCOL and friends).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import orjson
import typer
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.deadletter_erased import erased_letters
from cli.deadletter_read import TIMEOUT_S, DeadLetterError, read_letters, unreachable
from cli.deadletter_select import DeadLetter, Selection, parse_instant, replay_headers, truncate
from cli.kafka_producer import START_ERRORS, start_producer
from contracts.topics import DEADLETTER
from runtime.kafka import KafkaSettingsError
from runtime.settings import RuntimeSettings
from services.gateway.settings import GatewayServiceSettings

app = typer.Typer(
    name="deadletter",
    help="Inspect flywheel.deadletter and replay selected dead letters to their original topics.",
    no_args_is_help=True,
)

# Sends are enqueued a chunk at a time and their acks awaited together (one round trip per chunk).
CHUNK = 500
PROGRESS_FROM = 200  # replays at least this long show a progress bar
REASON_WIDTH = 60

# aiokafka logs connection failures itself; without a handler they would reach stderr through
# logging's last-resort handler next to our own one-line error.
logging.getLogger("aiokafka").addHandler(logging.NullHandler())


def _instant(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 time ({exc})", param_hint=f"'{option}'") from exc


ServiceOpt = Annotated[
    str | None, typer.Option("--service", metavar="S", help="Only letters this service dead-lettered.")
]
TopicOpt = Annotated[str | None, typer.Option("--topic", metavar="T", help="Only letters read from this topic.")]
ReasonOpt = Annotated[
    str | None,
    typer.Option("--reason-contains", metavar="TEXT", help="Only letters whose reason contains TEXT (any case)."),
]
WorkspaceOpt = Annotated[str | None, typer.Option("--workspace", metavar="W", help="Only events of this workspace.")]
TypeOpt = Annotated[
    str | None, typer.Option("--type", metavar="EVENT_TYPE", help="Only events of this type (e.g. purchase).")
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", metavar="ISO8601", help="Dead-lettered at or after this ISO 8601 time (UTC if no zone)."),
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="ISO8601", help="Dead-lettered before this ISO 8601 time.")
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", metavar="N", min=1, help="At most N letters (the oldest first).")
]


def _selection(**filters: Any) -> Selection:
    since, until = _instant(filters.pop("since"), "--since"), _instant(filters.pop("until"), "--until")
    try:
        return Selection(since=since, until=until, **filters)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--until'") from exc


def _err() -> Console:
    return Console(file=sys.stderr)


def _out() -> Console:
    # Piped or captured output keeps whole rows (a log, a ticket); a terminal gets its own width.
    return Console(width=None if sys.stdout.isatty() else 200)


def _fail(message: str, code: int = 1) -> NoReturn:
    _err().print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def _settings() -> GatewayServiceSettings:
    # The gateway's settings: besides Kafka, the tool asks profile (FLYWHEEL_PROFILE_URL) what was erased.
    return GatewayServiceSettings(service_name="deadletter")


def _run(coro: Any) -> Any:
    """Run the command's I/O; broker failures become one line and exit 1, never a stack trace."""
    bootstrap = _settings().kafka_bootstrap
    try:
        return asyncio.run(coro)
    except DeadLetterError as exc:
        _fail(str(exc))
    except KafkaSettingsError as exc:
        _fail(str(exc), 2)
    except (KafkaError, OSError, TimeoutError) as exc:
        _fail(f"Kafka at {bootstrap}: {str(exc) or type(exc).__name__}")


# --- output ----------------------------------------------------------------------------------------


def letters_table(letters: Sequence[DeadLetter], title: str) -> Table:
    table = Table(title=title)
    for name, justify in (("at", "right"), ("time (UTC)", "left"), ("service", "left"), ("topic", "left")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("workspace", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("reason", overflow="fold")
    for letter in letters:
        table.add_row(
            letter.position,
            letter.time.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            # Everything here comes from the message: shown as text, never as rich markup.
            escape(letter.service or "-"),
            escape(letter.topic) if letter.topic else "[red]-[/]",
            escape(letter.workspace or "-"),
            escape(letter.event_type or "-"),
            escape(truncate(letter.reason, REASON_WIDTH)),
        )
    return table


def print_json_lines(letters: Sequence[DeadLetter]) -> None:
    for letter in letters:
        sys.stdout.write(orjson.dumps(letter.as_json()).decode() + "\n")
    sys.stdout.flush()


def _nothing_matched() -> NoReturn:
    _out().print(f"No dead letters on {DEADLETTER} match.")
    raise typer.Exit(0)


@app.command("list")
def list_(
    service: ServiceOpt = None,
    topic: TopicOpt = None,
    reason_contains: ReasonOpt = None,
    workspace: WorkspaceOpt = None,
    event_type: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line instead of a table.")] = False,
) -> None:
    """Show the dead letters that match the filters (oldest first)."""
    selection = _selection(
        service=service,
        topic=topic,
        reason_contains=reason_contains,
        workspace=workspace,
        event_type=event_type,
        since=since,
        until=until,
    )
    letters: list[DeadLetter] = _run(read_letters(_settings(), selection, limit))
    if as_json:
        print_json_lines(letters)
        return
    if not letters:
        _nothing_matched()
    _out().print(letters_table(letters, f"{len(letters)} dead letter(s) on {DEADLETTER}"))


# --- replay ----------------------------------------------------------------------------------------


async def _start_producer(settings: RuntimeSettings) -> AIOKafkaProducer:
    try:
        return await start_producer(settings, TIMEOUT_S)
    except START_ERRORS as exc:
        raise await unreachable(settings, exc) from exc


async def publish(settings: RuntimeSettings, letters: Sequence[DeadLetter]) -> list[tuple[DeadLetter, str]]:
    """Re-publish every letter to its original topic; returns those that failed, with why."""
    producer = await _start_producer(settings)
    failed: list[tuple[DeadLetter, str]] = []
    try:
        for topic in sorted({letter.topic for letter in letters if letter.topic}):
            # Fail before the first send when a topic is gone (auto-creation may be off).
            try:
                await asyncio.wait_for(producer.partitions_for(topic), TIMEOUT_S)
            except (KafkaError, TimeoutError) as exc:
                raise DeadLetterError(f"topic {topic} is not available: {str(exc) or type(exc).__name__}") from exc
        columns = (TextColumn("[bold]replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        show = len(letters) >= PROGRESS_FROM
        with Progress(*columns, console=_err(), disable=not show) as progress:
            task = progress.add_task("replay", total=len(letters))
            for start in range(0, len(letters), CHUNK):
                chunk = letters[start : start + CHUNK]
                sends = [
                    await producer.send(one.topic or "", one.value, key=one.key, headers=replay_headers(one))
                    for one in chunk
                ]
                outcomes = await asyncio.gather(*sends, return_exceptions=True)
                for letter, outcome in zip(chunk, outcomes, strict=True):
                    if isinstance(outcome, BaseException):
                        failed.append((letter, str(outcome) or type(outcome).__name__))
                progress.advance(task, len(chunk))
        await producer.flush()
    finally:
        await producer.stop()
    return failed


def _summary(selected: int, replayed: int, skipped: int, erased: int, failed: int) -> Table:
    table = Table(title="Replay", show_header=False, min_width=40)
    table.add_column("what")
    table.add_column("letters", justify="right")
    table.add_row("selected", f"{selected:,}")
    table.add_row("re-published", f"{replayed:,}")
    table.add_row("skipped (no flywheel-dlq-topic)", f"[yellow]{skipped:,}[/]" if skipped else "0")
    table.add_row("skipped (erased customers)", f"{erased:,}")
    table.add_row("failed", f"[red]{failed:,}[/]" if failed else "0")
    return table


@app.command()
def replay(
    service: ServiceOpt = None,
    topic: TopicOpt = None,
    reason_contains: ReasonOpt = None,
    workspace: WorkspaceOpt = None,
    event_type: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would be replayed.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Re-publish the matching dead letters to their original topics (fix the cause first). Letters of erased
    customers are never replayed (profile says which: FLYWHEEL_PROFILE_URL)."""
    selection = _selection(
        service=service,
        topic=topic,
        reason_contains=reason_contains,
        workspace=workspace,
        event_type=event_type,
        since=since,
        until=until,
    )
    settings = _settings()
    letters: list[DeadLetter] = _run(read_letters(settings, selection, limit))
    if not letters:
        _nothing_matched()
    console = _out()
    replayable = [letter for letter in letters if letter.topic]
    unknown = [letter for letter in letters if not letter.topic]
    # Letters of erased customers are never replayed (profile would drop them: the erasure ledger).
    gone: set[str] = _run(erased_letters(settings, replayable)) if replayable else set()
    erased = [letter for letter in replayable if letter.position in gone]
    replayable = [letter for letter in replayable if letter.position not in gone]
    if erased:
        console.print(f"{len(erased)} dead letter(s) of erased customers: skipped, never replayed.")
    if dry_run:
        console.print(letters_table(replayable, f"Dry run: {len(replayable)} dead letter(s) would be replayed"))
    if unknown:
        console.print(
            letters_table(unknown, f"[yellow]{len(unknown)} without flywheel-dlq-topic: skipped (origin unknown)[/]")
        )
    if dry_run:
        console.print("Dry run: nothing was published.")
        return
    if not replayable:
        console.print("Nothing to replay.")
        return
    targets = ", ".join(sorted({letter.topic or "" for letter in replayable}))
    console.print(f"{len(replayable)} dead letter(s) to re-publish to {targets}.")
    if not yes:
        typer.confirm("Replay them?", abort=True)
    failed: list[tuple[DeadLetter, str]] = _run(publish(settings, replayable))
    console.print(_summary(len(letters), len(replayable) - len(failed), len(unknown), len(erased), len(failed)))
    if failed:
        table = Table(title="Failed sends (replay them again: consumers de-duplicate)")
        table.add_column("at", justify="right")
        table.add_column("error", overflow="fold")
        for letter, error in failed:
            table.add_row(letter.position, escape(error))
        console.print(table)
        raise typer.Exit(1)
