"""Gateway load: `POST /v1/events` in batches from a separate process (`python -m bench.gateway_load`).

The worker reads its job as JSON on stdin, pre-encodes every request body, posts them over `concurrency`
keep-alive connections (httpx, asyncio), and prints its result as JSON on stdout. The bench process
meanwhile polls profile's timeline to time when the last event is committed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from itertools import count
from typing import Any

import asyncpg
import httpx
import orjson

from bench.events import batches, generate
from bench.report import Measurement, latency_summary, rate

BATCH = 500
CONCURRENCY = 8


async def post_all(url: str, key: str, bodies: list[tuple[int, bytes]], concurrency: int) -> dict[str, Any]:
    """Post every (event count, body); per-request latency, statuses, accepted events and timing."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    accepted = 0
    next_index = count()
    headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=120) as client:

        async def worker() -> None:
            nonlocal accepted
            while (index := next(next_index)) < len(bodies):
                events, body = bodies[index]
                sent = time.perf_counter()
                response = await client.post("/v1/events", content=body)
                latencies.append((time.perf_counter() - sent) * 1000)
                statuses[response.status_code] += 1
                if response.status_code == 202:
                    accepted += events

        started_wall, started = time.time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return {
        "started_wall": started_wall,
        "seconds": seconds,
        "accepted": accepted,
        "requests": len(bodies),
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
        "request_latency_ms": latency_summary(latencies),
    }


def job_bodies(job: dict[str, Any]) -> list[tuple[int, bytes]]:
    docs = generate(job["workspace"], job["events"], prefix=job.get("prefix", "gw"))
    return [(len(chunk), orjson.dumps(chunk)) for chunk in batches(docs, job["batch"])]


def main() -> None:
    job = orjson.loads(sys.stdin.buffer.read())
    bodies = job_bodies(job)
    result = asyncio.run(post_all(job["url"], job["key"], bodies, job["concurrency"]))
    sys.stdout.buffer.write(orjson.dumps(result))


async def gateway_throughput(
    url: str,
    key: str,
    workspace: str,
    n: int,
    pool: asyncpg.Pool,
    *,
    batch: int = BATCH,
    concurrency: int = CONCURRENCY,
) -> Measurement:
    """Run the worker process; events/s accepted by the gateway, and when profile had committed them all."""
    from bench.flywheel import deadline_for, wait_visible

    job = {"url": url, "key": key, "workspace": workspace, "events": n, "batch": batch, "concurrency": concurrency}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.gateway_load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    spawned_wall, spawned = time.time(), time.perf_counter()
    polling = asyncio.create_task(wait_visible(pool, workspace, n, spawned, deadline_for(n) + 60))
    out, _ = await process.communicate(orjson.dumps(job))
    if process.returncode != 0:
        polling.cancel()
        raise RuntimeError(f"gateway load worker exited with {process.returncode}")
    result = orjson.loads(out)
    samples = await polling
    committed_wall = spawned_wall + samples[-1][0]
    return Measurement(
        "gateway",
        rate(result["accepted"], result["seconds"]),
        "events/s",
        n,
        {
            "seconds": round(result["seconds"], 3),
            "batch": batch,
            "concurrency": concurrency,
            "requests": result["requests"],
            "statuses": result["statuses"],
            "request_latency_ms": result["request_latency_ms"],
            "committed": samples[-1][1],
            "profile_committed_all_after_s": round(committed_wall - result["started_wall"], 3),
            "client": "separate process: httpx AsyncClient, keep-alive, bodies pre-encoded",
            "workspace": workspace,
        },
    )


if __name__ == "__main__":
    main()
