"""`python -m devstack run`: the whole stack in the foreground until Ctrl-C (what `make run` calls)."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel

from devstack.stack import REPO_ROOT, Stack, StackConfig

SERVICES = tuple(spec.name for spec in StackConfig().every_service)

app = typer.Typer(help="Local Flywheel stack: PostgreSQL, a broker and every service.", no_args_is_help=True)
console = Console()
log = logging.getLogger("devstack")


@app.command()
def run(
    broker: Annotated[str, typer.Option(envvar="BROKER", help="kafka (Apache Kafka, KRaft) or embedded")] = "kafka",
    home: Annotated[Path, typer.Option(help="Where data and logs live")] = REPO_ROOT / ".flywheel",
    postgres_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_POSTGRES_PORT")] = 54329,
    kafka_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_KAFKA_PORT")] = 19092,
    gateway_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_GATEWAY_PORT")] = 8080,
    profile_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_PROFILE_PORT")] = 8081,
    scoring_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_SCORING_PORT")] = 8082,
    journey_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_JOURNEY_PORT")] = 8083,
    referral_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_REFERRAL_PORT")] = 8084,
    sales_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_SALES_PORT")] = 8085,
    loyalty_port: Annotated[int, typer.Option(envvar="FLYWHEEL_DEV_LOYALTY_PORT")] = 8086,
    metrics_port: Annotated[
        list[str] | None,
        typer.Option(
            help="SERVICE=PORT: where a service serves /healthz, /readyz and /metrics (default: its port + 1000)"
        ),
    ] = None,
    replicas: Annotated[
        list[str] | None,
        typer.Option(
            help="SERVICE=N: run N processes of a service (one consumer group); replica k listens on the "
            "service's port + 100 * (k - 1), its metrics 1000 above (e.g. --replicas profile=3)"
        ),
    ] = None,
    images: Annotated[
        str | None,
        typer.Option(help="TAG: run the services from their images of this tag (`make images`) instead of the code"),
    ] = None,
) -> None:
    """Start everything, print the URLs and the demo key, and run until Ctrl-C."""
    if broker not in {"kafka", "embedded"}:
        console.print(f"[red]BROKER={broker!r}: use 'kafka' or 'embedded'[/red]")
        raise typer.Exit(2)
    metrics_ports: dict[str, int] = {}
    for item in metrics_port or []:
        service, _, port = item.partition("=")
        if not port.isdigit():
            console.print(f"[red]--metrics-port {item!r}: use SERVICE=PORT[/red]")
            raise typer.Exit(2)
        metrics_ports[service] = int(port)
    replica_counts: dict[str, int] = {}
    for item in replicas or []:
        service, _, count = item.partition("=")
        if service not in SERVICES or not count.isdigit() or int(count) < 1:
            console.print(f"[red]--replicas {item!r}: use SERVICE=N, N at least 1, of {', '.join(SERVICES)}[/red]")
            raise typer.Exit(2)
        replica_counts[service] = int(count)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not every readiness poll
    config = StackConfig(
        home=home,
        broker=broker,
        postgres_port=postgres_port,
        kafka_port=kafka_port,
        gateway_port=gateway_port,
        profile_port=profile_port,
        scoring_port=scoring_port,
        journey_port=journey_port,
        referral_port=referral_port,
        sales_port=sales_port,
        loyalty_port=loyalty_port,
        metrics_ports=metrics_ports,
        replicas=replica_counts,
        images=images,
    )
    stack = Stack(config)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    try:
        with console.status("starting PostgreSQL, the broker and the services…"):
            stack.start()
        gateway = stack.url("gateway")
        console.print(
            Panel.fit(
                f"Gateway   {gateway}\n"
                f"Console   {gateway}/console/ (sign in with the API key below)\n"
                f"API docs  {gateway}/docs\n"
                f"Metrics   {stack.metrics_url('gateway')}/metrics (probes and metrics: each service's own port)\n"
                f"Workspace {stack.config.workspace}\n"
                f"API key   {stack.api_key}\n"
                f"Logs      {home / 'logs'}\n"
                f"Replicas  {_replicas_line(stack)}\n\n"
                f'Try: curl -H "Authorization: Bearer {stack.api_key}" '
                f'"{gateway}/v1/customers?email=ada@example.com"\n'
                "Ctrl-C stops everything; the data stays for the next run.",
                title="Flywheel is running",
            )
        )
        console.file.flush()
        while not stopping.wait(2.0):
            for name in stack.dead_services():
                code = stack.processes[name].returncode
                log.warning(
                    "%s exited with code %s; restarting it. Last log lines:\n%s",
                    name,
                    code,
                    stack.processes[name].log_tail(15),
                )
                try:
                    stack.start_service(name)
                except (RuntimeError, TimeoutError) as exc:
                    log.error("%s did not come back (%s); trying again", name, exc)
    except (RuntimeError, TimeoutError) as exc:
        console.print(f"[red]could not start the stack:[/red] {exc}")
        raise typer.Exit(1) from None
    finally:
        with console.status("stopping…"):
            stack.stop()
        console.print("stopped.")


def _replicas_line(stack: Stack) -> str:
    """The processes beyond one per service, with their API ports (none: `--replicas` was not given)."""
    extra = [f"{spec.instance} :{spec.port}" for spec in stack.config.instances if spec.replica > 1]
    return ", ".join(extra) or "one process per service (--replicas SERVICE=N for more)"


@app.command()
def stop(home: Annotated[Path, typer.Option()] = REPO_ROOT / ".flywheel") -> None:
    """Stop a stack left running (e.g. after a terminal was closed)."""
    for broker in ("kafka", "embedded"):
        Stack(StackConfig(home=home, broker=broker, replicas=_replicas_left(home))).stop()


def _replicas_left(home: Path) -> dict[str, int]:
    """The replicas a run started with `--replicas` left pid files of (`profile-3.pid`), so that stop stops them."""
    counts: dict[str, int] = {}
    for pid_file in (home / "run").glob("*-*.pid"):
        service, _, replica = pid_file.stem.rpartition("-")
        if service in SERVICES and replica.isdigit():
            counts[service] = max(counts.get(service, 1), int(replica))
    return counts


if __name__ == "__main__":
    app()
