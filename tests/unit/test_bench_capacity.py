"""docs/capacity.md's sizing: costs read from a results.json, limits derived from them (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.capacity import (
    BEGIN,
    END,
    Costs,
    Deployment,
    costs_from_results,
    events_per_s,
    render,
    replace_generated,
    views_per_s,
)

# µs per event: the services 300 in all, PostgreSQL 100, Kafka 50.
EVENT_US = {"profile": 100.0, "scoring": 80.0, "journey": 40.0, "referral": 30.0, "sales": 30.0, "loyalty": 20.0}
COSTS = Costs(event_us={**EVENT_US, "postgres": 100.0, "kafka": 50.0}, relay_events_per_s=40_000.0)


def deployment(**overrides: Any) -> Deployment:
    options: dict[str, Any] = {"name": "d", "service_cores": 4, "postgres_cores": 2, "kafka_cores": 2}
    options |= {"partitions": 6, "processes": {}}
    return Deployment(**(options | overrides))


def test_one_process_per_service_is_bound_by_its_busiest_service() -> None:
    limit = events_per_s(COSTS, deployment())
    assert limit.rate == pytest.approx(10_000) and limit.bound_by == "profile: 1 process of one core"


def test_replicas_scale_until_the_cores_run_out() -> None:
    limit = events_per_s(COSTS, deployment(processes={"profile": 2, "scoring": 2}))
    assert limit.rate == pytest.approx(4e6 / 300) and limit.bound_by == "4 service cores"
    more_cores = events_per_s(COSTS, deployment(service_cores=16, processes={"profile": 4, "scoring": 4}))
    assert more_cores.rate == pytest.approx(20_000) and more_cores.bound_by == "PostgreSQL's cores"


def test_members_beyond_the_partitions_add_nothing() -> None:
    processes = {name: 12 for name in EVENT_US}
    no_relay_cap = Costs(event_us=COSTS.event_us)
    six = events_per_s(
        no_relay_cap, deployment(service_cores=64, postgres_cores=64, kafka_cores=64, processes=processes)
    )
    # Two consumer loops a process: 6 partitions keep 3 processes busy.
    assert six.rate == pytest.approx(3e6 / 100) and six.bound_by == "profile: 3 processes of one core (6 partitions)"


def test_one_relay_per_database_caps_what_more_of_everything_gives() -> None:
    big = deployment(service_cores=64, postgres_cores=64, kafka_cores=64, partitions=48)
    limit = events_per_s(COSTS, Deployment(**{**big.__dict__, "processes": {name: 48 for name in EVENT_US}}))
    assert limit.rate == 40_000 and limit.bound_by == "profile's outbox relay (one per database)"


def test_shared_cores_carry_the_database_and_the_broker_too() -> None:
    limit = events_per_s(COSTS, deployment(service_cores=2, shared=True))
    assert limit.rate == pytest.approx(2e6 / 450) and limit.bound_by == "2 shared cores"


def test_views_are_bound_by_the_gateway_processes_or_the_services() -> None:
    view_us = {"gateway": 2000.0, "profile": 1000.0, "scoring": 1000.0, "postgres": 1500.0}
    assert views_per_s(view_us, deployment(service_cores=16)) == views_per_s(view_us, deployment(service_cores=16))
    one = views_per_s(view_us, deployment(service_cores=16))
    assert one is not None and one.rate == pytest.approx(500) and one.bound_by == "gateway: 1 process of one core"
    four = views_per_s(view_us, deployment(service_cores=16, processes={"gateway": 4, "profile": 4, "scoring": 4}))
    assert four is not None and four.rate == pytest.approx(2e6 / 1500) and four.bound_by == "PostgreSQL's cores"
    assert views_per_s({}, deployment()) is None


def results() -> dict[str, Any]:
    spent = {"profile": 2.0, "scoring": 1.0, "postgres": 1.5, "kafka": 0.5, "bench": 3.0, "other": 9.0}
    return {
        "machine": {"started_at": "2026-12-07T09:00:00+00:00"},
        "results": {
            "raw_produce": {"value": 35_000.0, "n": 10_000},
            "gateway": {"value": 20_000.0, "n": 10_000, "cpu_seconds_during_stage": {"gateway": 0.5, "kafka": 1.0}},
            "pipeline": {
                "value": 3_000.0,
                "n": 10_000,
                "cpu_us_per_event": {g: v / 10_000 * 1e6 for g, v in spent.items() if g != "other"},
                "postgres_wal_bytes_per_event": 2_500.0,
            },
        },
        "gateway_load": {
            "machine": {"closed_loop": {"warmup_s": 2.0}},
            "customer_360_uncached": {
                "gateway": {
                    "requests": 1_000,
                    "seconds": 8.0,
                    "cpu_seconds_during_run": {"gateway": 2.5, "profile": 1.0, "kafka": 0.5, "load_generator": 9},
                }
            },
            "customer_360": {
                "gateway": {
                    "requests": 10_000,
                    "seconds": 8.0,
                    "cpu_seconds_during_run": {"gateway": 5.0, "profile": 1.0},
                }
            },
        },
    }


def test_costs_come_from_the_stages_of_a_results_file() -> None:
    costs = costs_from_results(results())
    assert costs.event_us == pytest.approx({"profile": 200, "scoring": 100, "postgres": 150, "kafka": 50})
    assert costs.gateway_intake_us == pytest.approx(50)
    # The warm-up's share taken off; only the groups on the view's path (no Kafka; the gateway alone from the cache).
    assert costs.view_us == pytest.approx({"gateway": 2.5 * 0.8 / 1_000 * 1e6, "profile": 0.8 / 1_000 * 1e6})
    assert costs.cached_view_us == pytest.approx({"gateway": 400})
    assert (costs.wal_bytes_per_event, costs.relay_events_per_s) == (2_500, 35_000)
    assert costs.measured == "2026-12-07T09:00:00+00:00"


def test_without_the_pipeline_stage_profile_ingest_gives_profile_alone() -> None:
    report = results()
    del report["results"]["pipeline"]
    report["results"]["profile_ingest"] = {"n": 10_000, "cpu_seconds_during_stage": {"profile": 1.0, "postgres": 0.5}}
    assert costs_from_results(report).event_us == pytest.approx({"profile": 100, "postgres": 50})
    del report["results"]["profile_ingest"]
    with pytest.raises(ValueError, match="nothing to size from"):
        costs_from_results(report)


def test_the_doc_gets_its_tables_between_the_markers_and_keeps_the_rest() -> None:
    generated = render(costs_from_results(results()))
    assert "| development VM (everything on 2 cores) | 2 shared |" in generated
    assert "2,500 bytes of WAL per event" in generated
    doc = f"# Capacity\n\nmethod\n\n{BEGIN}\nold tables\n{END}\n\nwhat does not scale\n"
    rewritten = replace_generated(doc, generated)
    assert rewritten.startswith("# Capacity\n\nmethod\n\n") and rewritten.endswith(f"{END}\n\nwhat does not scale\n")
    assert "old tables" not in rewritten and generated in rewritten
    assert replace_generated(rewritten, generated) == rewritten
    with pytest.raises(ValueError, match="markers"):
        replace_generated("# no markers", generated)
