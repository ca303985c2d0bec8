"""devstack runs a service as several processes (`--replicas profile=3`): one service name, database and
consumer group, each process on ports of its own, with its own pid and log files."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack.__main__ import _replicas_left
from devstack.stack import Stack, StackConfig


def test_replicas_share_the_service_and_have_ports_of_their_own(tmp_path: Path) -> None:
    stack = Stack(StackConfig(home=tmp_path, replicas={"profile": 3, "scoring": 2}))
    instances = [spec.instance for spec in stack.config.instances]
    assert instances == [
        "profile",
        "profile-2",
        "profile-3",
        "scoring",
        "scoring-2",
        "journey",
        "referral",
        "sales",
        "loyalty",
        "gateway",
    ]
    env = {spec.instance: stack.env(spec) for spec in stack.config.instances}
    for name in ("profile-2", "profile-3"):
        same = ("FLYWHEEL_SERVICE_NAME", "FLYWHEEL_DATABASE_URL", "FLYWHEEL_KAFKA_BOOTSTRAP")
        assert {key: env[name][key] for key in same} == {key: env["profile"][key] for key in same}
        assert "FLYWHEEL_CONSUMER_GROUP" not in env[name]  # the service's group: flywheel-profile
    assert (env["profile-2"]["FLYWHEEL_HTTP_PORT"], env["profile-2"]["FLYWHEEL_METRICS_PORT"]) == ("8181", "9181")
    assert (env["scoring-2"]["FLYWHEEL_HTTP_PORT"], env["scoring-2"]["FLYWHEEL_METRICS_PORT"]) == ("8182", "9182")
    ports = [int(env[i][key]) for i in instances for key in ("FLYWHEEL_HTTP_PORT", "FLYWHEEL_METRICS_PORT")]
    assert len(set(ports)) == len(ports), "no two processes share a port"
    # The other services call the first replica.
    assert env["gateway"]["FLYWHEEL_PROFILE_URL"] == "http://127.0.0.1:8081" == stack.url("profile")
    assert stack.url("profile-3") == "http://127.0.0.1:8281"
    assert stack.processes["profile-2"].pid_file == tmp_path / "run" / "profile-2.pid"
    assert stack.processes["profile-2"].log_file == tmp_path / "logs" / "profile-2.log"


def test_replicas_on_free_ports_and_only_the_services_run(tmp_path: Path) -> None:
    config = StackConfig.on_free_ports(tmp_path, "embedded", only=("profile",), replicas={"profile": 2})
    assert [spec.instance for spec in config.instances] == ["profile", "profile-2"]
    assert set(config.replica_ports) == {"profile-2"}
    ports = [config.instance(i).port for i in ("profile", "profile-2")]
    ports += [config.metrics_port(i) for i in ("profile", "profile-2")]
    assert len(set(ports)) == 4


def test_replicas_of_an_unknown_service_or_none_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="do not exist: profil"):
        StackConfig(home=tmp_path, replicas={"profil": 2})
    with pytest.raises(ValueError, match="at least one"):
        _ = StackConfig(home=tmp_path, replicas={"profile": 0}).instances


def test_stop_finds_the_replicas_a_run_left(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    for name in ("profile", "profile-2", "profile-3", "scoring-2", "gateway", "strange-x"):
        (run / f"{name}.pid").write_text("1\n")
    assert _replicas_left(tmp_path) == {"profile": 3, "scoring": 2}
