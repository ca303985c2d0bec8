"""Write Flywheel's Grafana dashboards (deploy/observability/grafana/dashboards/*.json).

The JSON is generated so every panel has the same data source variable, legend and layout, and so the
queries live next to each other where a reviewer can read them. Edit this file, then run
`.venv/bin/python deploy/observability/grafana/render_dashboards.py`; `--check` exits 1 when a JSON file
differs from what this script writes (tests/deploy/test_observability.py runs it).

Queries follow three rules:
- rates use `$__rate_interval`, so panels stay correct whatever the scrape interval;
- consumer lag is a gauge each replica reports for the partitions it owns: `max by (partition)` first, so
  a partition reported by two replicas (just after a rebalance) is counted once;
- HTTP panels leave out the probe and metrics routes, which would drown real traffic in fast 200s.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from panels import NOT_PROBES, SVC, Layout, Panel, dashboard, quantile, service_variable, stat, sum_rate, timeseries

HERE = Path(__file__).resolve().parent
OUT = HERE / "dashboards"


def overview() -> Panel:
    lag = f"max by (service, topic, partition) (flywheel_consumer_lag{{{SVC}}})"
    dead, consumed = "flywheel_consumer_deadlettered_total", "flywheel_consumer_consumed_total"
    retries, batch = "flywheel_consumer_retries_total", "flywheel_consumer_batch_seconds"
    p = Layout()
    p.add(stat("Events consumed /s", "All services, all topics.", "ops", sum_rate(consumed, SVC), []), w=6, h=4)
    p.add(
        stat(
            "Consumer lag",
            "Messages behind, all services and topics.",
            "short",
            f"sum({lag})",
            [(10000, "orange"), (100000, "red")],
        ),
        w=6,
        h=4,
    )
    p.add(
        stat(
            "Dead letters (24 h)",
            "Messages sent to flywheel.deadletter in the last 24 hours.",
            "short",
            sum_rate(dead, SVC, window="24h", fn="increase"),
            [(1, "orange"), (100, "red")],
        ),
        w=6,
        h=4,
    )
    p.add(
        stat(
            "Batch retries (1 h)",
            "Batches retried after a transient error (database or broker away).",
            "short",
            sum_rate(retries, SVC, window="1h", fn="increase"),
            [(1, "orange")],
        ),
        w=6,
        h=4,
    )
    p.row("Events in and out")
    p.add(
        timeseries(
            "Consumed per service",
            "Messages fetched from Kafka.",
            "ops",
            [(sum_rate(consumed, SVC, "service"), "{{service}}")],
        )
    )
    p.add(
        timeseries(
            "Processed per service",
            "Events whose effects committed (no duplicates, no dead letters).",
            "ops",
            [(sum_rate("flywheel_consumer_processed_total", SVC, "service"), "{{service}}")],
        )
    )
    p.add(
        timeseries(
            "Published per service and topic",
            "Outbox messages the relay published (acknowledged).",
            "ops",
            [(sum_rate("flywheel_outbox_published_total", SVC, "service, topic"), "{{service}} → {{topic}}")],
        )
    )
    p.add(
        timeseries(
            "Duplicates skipped and batches retried",
            "Duplicates: redeliveries de-duplicated on event id "
            "(normal after a restart or rebalance). Retries: transient failures.",
            "ops",
            [
                (sum_rate("flywheel_consumer_duplicates_total", SVC, "service"), "{{service}} duplicates"),
                (sum_rate(retries, SVC, "service"), "{{service}} retries"),
            ],
        )
    )
    p.row("Consumer lag")
    p.add(
        timeseries(
            "Lag per service and topic",
            "Messages behind the high watermark, summed over partitions.",
            "short",
            [(f"sum by (service, topic) ({lag})", "{{service}} ← {{topic}}")],
        ),
        w=16,
    )
    p.add(
        timeseries(
            "Lag per partition (top 10)",
            "One hot partition shows here: more replicas will not help it.",
            "short",
            [(f"topk(10, {lag})", "{{service}} {{topic}}/{{partition}}")],
        ),
        w=8,
    )
    p.row("Dead letters")
    p.add(
        timeseries(
            "Dead letters by service and reason kind",
            "decode_error, invalid (schema), rejected (by the "
            "handler, with a reason), handler_error (failed alone after isolation).",
            "short",
            [(sum_rate(dead, SVC, "service, reason_kind", fn="increase"), "{{service}} {{reason_kind}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Dead letters by source topic",
            "The topic each dead letter came from (a replay publishes there).",
            "short",
            [(sum_rate(dead, SVC, "topic", fn="increase"), "{{topic}}")],
            stack=True,
        )
    )
    p.row("Batches")
    p.add(
        timeseries(
            "Batch latency p50 / p99",
            "Time to handle and commit one batch (one transaction).",
            "s",
            [
                (quantile(0.5, batch, SVC, "service"), "{{service}} p50"),
                (quantile(0.99, batch, SVC, "service"), "{{service}} p99"),
            ],
        )
    )
    size = "flywheel_consumer_batch_size"
    mean_size = f"{sum_rate(size + '_sum', SVC, 'service')} / {sum_rate(size + '_count', SVC, 'service')}"
    p.add(
        timeseries(
            "Batch size (mean and p99)",
            "Messages per batch: large batches mean a consumer is catching up.",
            "short",
            [(mean_size, "{{service}} mean"), (quantile(0.99, size, SVC, "service"), "{{service}} p99")],
        )
    )
    return dashboard(
        "flywheel-overview",
        "Flywheel / Overview",
        "Event path: events in and out per service, consumer lag, dead letters, batches.",
        p,
        [service_variable(consumed)],
    )


def http() -> Panel:
    sel = f'{SVC}, {NOT_PROBES}, route=~"$route"'
    e5, e4 = f'{sel}, status=~"5.."', f'{sel}, status=~"4.."'
    req, lat = "flywheel_http_requests_total", "flywheel_http_request_seconds"
    by_route = "service, method, route"
    p = Layout()
    p.row("Per service")
    p.add(
        timeseries(
            "Requests per service",
            "Requests answered (probes and /metrics excluded).",
            "reqps",
            [(sum_rate(req, sel, "service"), "{{service}}")],
        )
    )
    p.add(
        timeseries(
            "Error ratio per service",
            "Share of answers that are 5xx (server) and 4xx (client).",
            "percentunit",
            [
                (f"{sum_rate(req, e5, 'service')} / {sum_rate(req, sel, 'service')}", "{{service}} 5xx"),
                (f"{sum_rate(req, e4, 'service')} / {sum_rate(req, sel, 'service')}", "{{service}} 4xx"),
            ],
        )
    )
    p.add(
        timeseries(
            "Latency p50 / p99 per service",
            "From the request's arrival to the end of its answer.",
            "s",
            [
                (quantile(0.5, lat, sel, "service"), "{{service}} p50"),
                (quantile(0.99, lat, sel, "service"), "{{service}} p99"),
            ],
        )
    )
    p.add(
        timeseries(
            "Answers by status",
            "429: rate limited per key; 401/403: keys; 503: a service not ready.",
            "reqps",
            [(sum_rate(req, sel, "service, status"), "{{service}} {{status}}")],
            stack=True,
        )
    )
    p.row("Per route")
    legend = "{{service}} {{method}} {{route}}"
    p.add(
        timeseries(
            "Requests per route",
            "Route templates, not raw paths (bounded label values).",
            "reqps",
            [(sum_rate(req, sel, by_route), legend)],
        ),
        w=24,
    )
    p.add(
        timeseries(
            "5xx ratio per route",
            "Routes answering server errors.",
            "percentunit",
            [(f"{sum_rate(req, e5, by_route)} / {sum_rate(req, sel, by_route)}", legend)],
        )
    )
    p.add(
        timeseries(
            "4xx ratio per route",
            "Client errors: bad requests, unknown ids, rate limits.",
            "percentunit",
            [(f"{sum_rate(req, e4, by_route)} / {sum_rate(req, sel, by_route)}", legend)],
        )
    )
    p.add(
        timeseries(
            "p50 latency per route",
            "Half the requests answered within this.",
            "s",
            [(quantile(0.5, lat, sel, by_route), legend)],
        )
    )
    p.add(
        timeseries(
            "p99 latency per route",
            "The gateway's 360 view waits for its slowest service (at most FLYWHEEL_SERVICE_TIMEOUT_S).",
            "s",
            [(quantile(0.99, lat, sel, by_route), legend)],
        )
    )
    p.row("Gateway 360 view cache")
    p.add(
        timeseries(
            "360 views by source",
            "hit: served from the gateway's cache; miss: assembled from the services, then cached; bypass: "
            "assembled, the cache not live (see the next panel) or the client asked for no-cache.",
            "reqps",
            [(sum_rate("flywheel_gateway_view_reads_total", "", "result"), "{{result}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Change feed followed",
            "1 per gateway replica following flywheel.customer.changes; a replica at 0 caches nothing.",
            "short",
            [("flywheel_gateway_change_feed_live", "{{instance}}")],
        )
    )
    p.row("Probes")
    p.add(
        timeseries(
            "Probe answers",
            "/healthz 503: a background loop died (the pod restarts); /readyz 503: the "
            "database or the broker does not answer.",
            "reqps",
            [
                (
                    sum_rate(req, f'{SVC}, route=~"/healthz|/readyz"', "service, route, status"),
                    "{{service}} {{route}} {{status}}",
                )
            ],
        ),
        w=24,
    )
    route_query = f"label_values({req}{{{SVC}}}, route)"
    route_variable = service_variable(req) | {
        "name": "route",
        "label": "Route",
        "definition": route_query,
        "query": {"query": route_query, "refId": "route"},
        "regex": "/^(?!/healthz$|/readyz$|/metrics$).*/",
    }
    return dashboard(
        "flywheel-http",
        "Flywheel / HTTP",
        "Rate, errors and latency per service and route.",
        p,
        [service_variable(req), route_variable],
    )


def journeys_scoring() -> Panel:
    attempts, refits = "flywheel_journey_webhook_attempts_total", "flywheel_scoring_refit_seconds"
    not_delivered, failed = sum_rate(attempts, 'outcome=~"retry|failed"'), sum_rate(attempts, 'outcome="failed"')
    p = Layout()
    p.row("Journeys")
    p.add(
        timeseries(
            "Actions by kind",
            "Actions journeys performed (webhook, sales_task, tag, set_attribute, coupon, "
            "referral_invite, survey, points); duplicate: claimed before (a redelivered batch), not performed again.",
            "ops",
            [(sum_rate("flywheel_journey_actions_total", by="kind, outcome"), "{{kind}} {{outcome}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Webhook attempts by outcome",
            "delivered; retry (sent again with back-off); failed (gave up "
            "after about three hours, or a permanent 4xx).",
            "ops",
            [(sum_rate(attempts, by="outcome"), "{{outcome}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Webhook failure ratio",
            "Share of attempts that did not deliver.",
            "percentunit",
            [
                (f"{not_delivered} / {sum_rate(attempts)}", "not delivered"),
                (f"{failed} / {sum_rate(attempts)}", "failed for good"),
            ],
        )
    )
    p.add(
        timeseries(
            "Webhook latency p50 / p99",
            "One attempt, answer or error (at most 30 s).",
            "s",
            [
                (quantile(0.5, "flywheel_journey_webhook_seconds"), "p50"),
                (quantile(0.99, "flywheel_journey_webhook_seconds"), "p99"),
            ],
        )
    )
    p.row("Scoring")
    total, count = (sum_rate(refits + suffix, window="6h", fn="increase") for suffix in ("_sum", "_count"))
    mean = f"{total} / {count}"
    p.add(
        timeseries(
            "Refit duration",
            "One workspace's refit: load inputs, fit, re-score everyone. Mean and p99 "
            "over 6 hours (each workspace refits once a day).",
            "s",
            [(mean, "mean"), (quantile(0.99, refits, window="6h", fn="increase"), "p99")],
        ),
        w=8,
    )
    p.add(
        timeseries(
            "Refits by outcome",
            "fitted; kept (too little history or no convergence: earlier parameters "
            "kept); failed (an error: see the scoring logs).",
            "short",
            [(sum_rate("flywheel_scoring_refits_total", by="outcome", window="1h", fn="increase"), "{{outcome}}")],
            stack=True,
        ),
        w=8,
    )
    p.add(
        timeseries(
            "Dormant customers found",
            "customer.dormant published by the sweep, per hour.",
            "short",
            [(sum_rate("flywheel_scoring_dormant_total", window="1h", fn="increase"), "dormant")],
        ),
        w=8,
    )
    p.row("Their consumers")
    js = 'service=~"journey|scoring"'
    p.add(
        timeseries(
            "Processed by journey and scoring",
            "Events applied per topic.",
            "ops",
            [(sum_rate("flywheel_consumer_processed_total", js, "service, topic"), "{{service}} ← {{topic}}")],
        )
    )
    p.add(
        timeseries(
            "Lag of journey and scoring",
            "Messages behind, summed over partitions.",
            "short",
            [
                (
                    f"sum by (service, topic) (max by (service, topic, partition) (flywheel_consumer_lag{{{js}}}))",
                    "{{service}} ← {{topic}}",
                )
            ],
        )
    )
    return dashboard(
        "flywheel-journeys-scoring",
        "Flywheel / Journeys and scoring",
        "Journey actions and webhooks; scoring refits and dormancy.",
        p,
        [],
    )


def loyalty() -> Panel:
    points, redemptions = "flywheel_loyalty_points_total", "flywheel_loyalty_redemptions_total"
    own = 'service="loyalty"'
    rounds = "flywheel_job_rounds_total"
    lag = f"max by (service, topic, partition) (flywheel_consumer_lag{{{own}}})"
    requests = sum_rate(redemptions, 'outcome=~"held|repeated|short|refused"')
    short = sum_rate(redemptions, 'outcome=~"short|refused"')
    released = sum_rate(redemptions, 'outcome="released"')
    ended = sum_rate(redemptions, 'outcome=~"confirmed|released"')
    p = Layout()
    for kind in ("earned", "redeemed", "expired"):
        p.add(
            stat(
                f"Points {kind} (24 h)",
                f"Points {kind} in members' ledgers over the last 24 hours, all workspaces.",
                "short",
                sum_rate(points, f'kind="{kind}"', window="24h", fn="increase"),
                [],
            ),
            w=6,
            h=4,
        )
    p.add(
        stat(
            "Consumer lag",
            "Messages loyalty is behind, all its topics: purchases, refunds, referral rewards, journey actions.",
            "short",
            f"sum({lag})",
            [(10000, "orange"), (100000, "red")],
        ),
        w=6,
        h=4,
    )
    p.row("Points")
    p.add(
        timeseries(
            "Points by kind (per hour)",
            "earned (purchases, bonuses, referrals, journeys), redeemed, expired, reversed (refunds, referral "
            "reversals), adjusted (by hand, either sign).",
            "short",
            [(sum_rate(points, by="kind", window="1h", fn="increase"), "{{kind}}")],
        )
    )
    earned_1d, redeemed_1d, expired_1d = (
        sum_rate(points, f'kind="{kind}"', window="1d", fn="increase") for kind in ("earned", "redeemed", "expired")
    )
    p.add(
        timeseries(
            "Redeemed and expired per point earned (1 d)",
            "Points redeemed, and points expired, over points earned in the last day: the program's "
            "redemption rate, and the share customers let lapse.",
            "percentunit",
            [
                (f"{redeemed_1d} / {earned_1d}", "redeemed"),
                (f"{expired_1d} / {earned_1d}", "expired"),
            ],
        )
    )
    p.row("Redemptions")
    p.add(
        timeseries(
            "Redemptions by outcome",
            "held (points held for an order); repeated (the same order asked again); short (409: not enough "
            "available); refused (422: a program rule); confirmed (the order's purchase arrived); released "
            "(the hold ran out unconfirmed).",
            "ops",
            [(sum_rate(redemptions, by="outcome"), "{{outcome}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Requests short or refused; holds released",
            "Share of redemption requests answered 409 (short) or 422 (refused); share of holds released "
            "unconfirmed (the order never arrived within the program's hold_minutes).",
            "percentunit",
            [
                (f"{short} / {requests}", "short or refused"),
                (f"{released} / {ended}", "holds released"),
            ],
        )
    )
    p.row("Jobs")
    p.add(
        timeseries(
            "Job rounds done (per hour)",
            "Rounds of expiry, expiry notices, hold releases and tier reviews (every "
            "FLYWHEEL_LOYALTY_JOB_INTERVAL_SECONDS, one replica at a time). A job at 0 is stalled.",
            "short",
            [(sum_rate(rounds, f'{own}, outcome="done"', "job", window="1h", fn="increase"), "{{job}}")],
        )
    )
    p.add(
        timeseries(
            "Job rounds failed (per hour)",
            'Rounds that raised (loyalty\'s database away, usually; logged "periodic job failed"): run again '
            "next interval.",
            "short",
            [(sum_rate(rounds, f'{own}, outcome="failed"', "job", window="1h", fn="increase"), "{{job}}")],
            stack=True,
        )
    )
    p.add(
        timeseries(
            "Workspaces skipped in job rounds (per hour)",
            "A workspace's part of a round that raised: rolled back alone, logged with the workspace and the "
            "exception, the others done; tried again next run.",
            "short",
            [(sum_rate("flywheel_loyalty_job_failures_total", by="job", window="1h", fn="increase"), "{{job}}")],
            stack=True,
        ),
        w=24,
    )
    p.row("Its consumer and API")
    p.add(
        timeseries(
            "Processed by loyalty",
            "Events applied per topic.",
            "ops",
            [(sum_rate("flywheel_consumer_processed_total", own, "topic"), "{{topic}}")],
        ),
        w=8,
    )
    p.add(
        timeseries(
            "Lag of loyalty",
            "Messages behind, summed over partitions.",
            "short",
            [(f"sum by (topic) ({lag})", "{{topic}}")],
        ),
        w=8,
    )
    p.add(
        timeseries(
            "Dead letters of loyalty",
            "Messages loyalty sent to flywheel.deadletter, by source topic and reason kind.",
            "short",
            [
                (
                    sum_rate("flywheel_consumer_deadlettered_total", own, "topic, reason_kind", fn="increase"),
                    "{{topic}} {{reason_kind}}",
                )
            ],
            stack=True,
        ),
        w=8,
    )
    api = f"{own}, {NOT_PROBES}"
    p.add(
        timeseries(
            "Requests by route and status",
            "Loyalty's API as the gateway calls it: the program, points, redemptions, the report.",
            "reqps",
            [(sum_rate("flywheel_http_requests_total", api, "route, status"), "{{route}} {{status}}")],
        )
    )
    p.add(
        timeseries(
            "p99 latency by route",
            "A redemption locks its member's row: slow redemptions mean contention on one member.",
            "s",
            [(quantile(0.99, "flywheel_http_request_seconds", api, "route"), "{{route}}")],
        )
    )
    return dashboard(
        "flywheel-loyalty",
        "Flywheel / Loyalty",
        "Points earned, redeemed and expired; redemptions by outcome; loyalty's jobs, consumer and API.",
        p,
        [],
    )


DASHBOARDS = {
    "flywheel-overview.json": overview,
    "flywheel-http.json": http,
    "flywheel-journeys-scoring.json": journeys_scoring,
    "flywheel-loyalty.json": loyalty,
}


def rendered() -> dict[str, str]:
    return {name: json.dumps(build(), indent=2, ensure_ascii=False) + "\n" for name, build in DASHBOARDS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if a dashboard file differs; write nothing")
    args = parser.parse_args(argv)
    drift = []
    for name, text in rendered().items():
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text() != text:
                drift.append(name)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if drift:
        print(f"dashboards out of date: {', '.join(drift)}; run {Path(__file__).name} to regenerate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
