"""`flywheel demo`: fill a workspace with a realistic, seeded customer base through the public API.

Events go through `POST /v1/events` (the path real producers use), so the demo exercises the gateway,
the contract checks and every consumer. Around them the demo sets the workspace up through the public API
(`cli/demo_setup.py`: KPI targets, spend, segments, journeys, referral and loyalty programs, a sales pipeline with
deals, tasks and quotes), so every console screen has something to show. Ids are seeded and what exists is looked
up before it is made: re-running with the same seed has effect once.
Exit codes: 0 every event accepted, 1 some rejected, 2 the demo could not run (no key, gateway down, the setup
refused).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli import demo_setup
from cli.demo_api import DemoApi, DemoError
from cli.demo_data import generate
from contracts.envelope import is_valid_workspace

app = typer.Typer(name="demo", help="Generate a realistic demo customer base and send it to the gateway.")

KEY_FILE = Path(".flywheel") / "demo-key"
BATCH = 500
RETRIES = 5  # for 503s and dropped connections; safe because event ids are de-duplicated downstream


@dataclass
class BatchResult:
    accepted: set[str] = field(default_factory=set)
    rejected: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (event, reason)


def resolve_key(key: str | None, key_file: Path = KEY_FILE) -> str | None:
    """--key, else FLYWHEEL_DEMO_KEY, else the key the dev stack wrote to .flywheel/demo-key."""
    key = key or os.environ.get("FLYWHEEL_DEMO_KEY")
    if key:
        return key.strip()
    try:
        return key_file.read_text().strip() or None
    except OSError:
        return None


def parse_response(status: int, body: Any, batch: Sequence[dict[str, Any]]) -> BatchResult:
    """202: every id accepted; 422: `accepted` ids, and `errors` (index, field, message) per bad event."""
    if status not in (200, 202, 422) or not isinstance(body, dict):
        detail = body.get("detail") if isinstance(body, dict) else None
        raise DemoError(f"gateway answered {status}: {detail or body!r}")
    result = BatchResult(accepted={str(i) for i in body.get("accepted", [])})
    reasons: dict[int, list[str]] = {}
    for err in body.get("errors") or []:
        if isinstance(err, dict) and isinstance(err.get("index"), int):
            reasons.setdefault(err["index"], []).append(f"{err.get('field', '?')}: {err.get('message', '?')}")
    for index, messages in sorted(reasons.items()):
        if 0 <= index < len(batch):
            result.rejected.append((batch[index], "; ".join(messages)))
    if status == 422 and not reasons:  # a 422 that names no event: count the unaccepted ones as rejected
        detail = str(body.get("detail", "rejected"))
        result.rejected = [(e, detail) for e in batch if e["id"] not in result.accepted]
    return result


def post_batch(client: httpx.Client, batch: list[dict[str, Any]], patient: bool = True) -> BatchResult:
    """One batch, retried on 503s and dropped connections; not `patient`: a refused connection fails at once."""
    delay = 0.5
    for attempt in range(RETRIES + 1):
        try:
            response = client.post("/v1/events", content=orjson.dumps(batch))
        except httpx.TransportError as exc:
            if attempt == RETRIES or (not patient and isinstance(exc, httpx.ConnectError)):
                raise DemoError(f"cannot reach the gateway at {client.base_url}: {exc}") from exc
        else:
            if response.status_code in (401, 403):
                raise DemoError(f"the gateway refused the API key ({response.status_code}); check --key")
            if response.status_code not in (429, 502, 503, 504):
                try:
                    body = response.json()
                except ValueError:
                    body = response.text[:300]
                return parse_response(response.status_code, body, batch)
            if attempt == RETRIES:
                raise DemoError(f"the gateway kept answering {response.status_code}; try again later")
        time.sleep(delay)
        delay = min(delay * 2, 8.0)
    raise AssertionError("unreachable")


def send(
    events: list[dict[str, Any]],
    gateway: str,
    key: str,
    console: Console,
    transport: httpx.BaseTransport | None = None,
) -> tuple[Counter[str], list[Any]]:
    """POST every event in batches; returns accepted counts by type and the rejected (event, reason)s."""
    accepted: Counter[str] = Counter()
    rejected: list[tuple[dict[str, Any], str]] = []
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    columns = (
        TextColumn("[bold]sending"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeElapsedColumn(),
    )
    with (
        httpx.Client(base_url=gateway, headers=headers, timeout=60.0, transport=transport) as client,
        Progress(*columns, console=console) as progress,
    ):
        task = progress.add_task("events", total=len(events))
        for start in range(0, len(events), BATCH):
            batch = events[start : start + BATCH]
            # A gateway that is not there at all should fail now, not after a minute of retries.
            result = post_batch(client, batch, patient=start > 0)
            accepted.update(e["type"] for e in batch if e["id"] in result.accepted)
            rejected.extend(result.rejected)
            progress.advance(task, len(batch))
    return accepted, rejected


def summary(events: list[dict[str, Any]], accepted: Counter[str], rejected: list[Any]) -> Table:
    sent = Counter(e["type"] for e in events)
    bad = Counter(e["type"] for e, _ in rejected)
    table = Table(title="Demo events")
    for name in ("type", "sent", "accepted", "rejected"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for event_type in sorted(sent):
        table.add_row(event_type, f"{sent[event_type]:,}", f"{accepted[event_type]:,}", str(bad[event_type]))
    table.add_row("[bold]total", f"{len(events):,}", f"{sum(accepted.values()):,}", str(len(rejected)))
    return table


def _fail(console: Console, message: str) -> NoReturn:
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(2)


def setup_table(report: demo_setup.SetupReport) -> Table:
    table = Table(title="Demo workspace setup")
    table.add_column("what")
    table.add_column("this run", justify="left")
    for what in report.created:
        table.add_row(what, "created")
    for what in report.found:
        table.add_row(what, "already there")
    table.add_row("key owner (tasks, deals, quote approvals)", report.owner)
    journeys = ", ".join(f"{name}: {status}" for name, (_, status) in report.journeys.items())
    table.add_row("journeys", journeys)
    table.add_row("blocked deal / movable deal", f"{report.blocked_deal_id} / {report.movable_deal_id}")
    table.add_row("quotes awaiting approval", str(len(report.pending_quote_ids)))
    table.add_row("open tasks of the owner", str(len(report.open_task_ids)))
    table.add_row("a customer to open in the console", report.customer_email)
    return table


@dataclass
class DemoRun:
    events: list[dict[str, Any]]
    accepted: Counter[str]
    rejected: list[tuple[dict[str, Any], str]]
    setup: demo_setup.SetupReport | None


def run(
    gateway: str,
    key: str,
    workspace: str,
    customers: int,
    seed: int,
    console: Console,
    *,
    setup: bool = True,
    wait_s: float = 900.0,
    now: datetime | None = None,
) -> DemoRun:
    """The events, and around them the workspace's setup (what `flywheel demo` does; the console tests' fixture
    runs it too). DemoError when the gateway cannot take them."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    gateway = gateway.rstrip("/")
    events = generate(seed, customers, now, workspace)
    console.print(f"{customers:,} customers, {len(events):,} events (seed {seed})")
    if not setup:
        return DemoRun(events, *send(events, gateway, key, console), None)
    report = demo_setup.SetupReport()
    with DemoApi(gateway, key, f"demo/{workspace}/{seed}") as api:
        demo_setup.configure(api, report, now)
        accepted, rejected = send(events, gateway, key, console)
        more: list[dict[str, Any]] = []

        def send_more(batch: list[dict[str, Any]]) -> None:
            more.extend(batch)
            extra_accepted, extra_rejected = send(batch, gateway, key, console)
            accepted.update(extra_accepted)
            rejected.extend(extra_rejected)

        with console.status("waiting for the services to take the events in"):
            demo_setup.wait_for_customers(api, events, max(1, customers // 2), wait_s)
        demo_setup.populate(api, report, send_more, workspace, seed, now)
    return DemoRun(events + more, accepted, rejected, report)


@app.callback(invoke_without_command=True)
def demo(
    gateway: Annotated[str, typer.Option("--gateway", help="Gateway base URL.")] = "http://127.0.0.1:8080",
    key: Annotated[
        str | None, typer.Option("--key", help="API key (default: FLYWHEEL_DEMO_KEY, then .flywheel/demo-key).")
    ] = None,
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace of the events.")] = "demo",
    customers: Annotated[int, typer.Option("--customers", min=1, help="How many customers.")] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same customers and event ids.")] = 42,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the events as JSONL here instead of sending them.")
    ] = None,
    setup: Annotated[
        bool,
        typer.Option(
            "--setup/--no-setup",
            help="Also set the workspace up for the console (targets, spend, segments, journeys, referral and "
            "loyalty programs, a pipeline with deals, tasks and quotes).",
        ),
    ] = True,
    wait: Annotated[
        float, typer.Option("--wait", min=1, help="Seconds to wait for the services to take the events in.")
    ] = 900.0,
) -> None:
    """Generate ~18 months of customers (purchases, refunds, visits, tickets, referrals), send them, and set the
    workspace up so every console screen has something to show."""
    console = Console(stderr=True)
    if not is_valid_workspace(workspace):
        _fail(console, f"invalid --workspace {workspace!r}: lowercase letters, digits, '-' and '_'")
    resolved_key = None if out else resolve_key(key)
    if out is None and resolved_key is None:
        _fail(console, f"no API key: pass --key, set FLYWHEEL_DEMO_KEY, or start the dev stack (writes {KEY_FILE})")
    if out is not None:
        with console.status("generating customers"):
            events = generate(seed, customers, datetime.now(UTC), workspace)
        console.print(f"{customers:,} customers, {len(events):,} events (seed {seed})")
        try:
            out.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))
        except OSError as exc:
            _fail(console, f"cannot write {out}: {exc.strerror or exc}")
        console.print(f"wrote {out}; load it with: flywheel import jsonl {out}")
        raise typer.Exit(0)
    assert resolved_key is not None
    try:
        result = run(gateway, resolved_key, workspace, customers, seed, console, setup=setup, wait_s=wait)
    except DemoError as exc:
        _fail(console, f"{exc}\nRe-running the demo with the same seed is safe (ids are de-duplicated).")
    Console().print(summary(result.events, result.accepted, result.rejected))
    if result.setup is not None:
        Console().print(setup_table(result.setup))
    for event, reason in result.rejected[:20]:
        console.print(f"[red]rejected[/] {event['type']} {event['id']}: {reason}")
    raise typer.Exit(1 if result.rejected else 0)
