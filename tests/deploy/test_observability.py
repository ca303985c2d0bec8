"""The dashboards, alert rules and their Kubernetes form (deploy/observability/) hang together:
valid dashboards, alerts with severity, summary and a runbook that exists, generated files in sync
with their sources, and a kustomization that renders them as ConfigMaps and a PrometheusRule."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OBS = ROOT / "deploy" / "observability"
DASHBOARD_DIR = OBS / "grafana" / "dashboards"
ALERTS = OBS / "prometheus" / "alerts.yml"
ALERT_TESTS = OBS / "prometheus" / "alerts_test.yml"
OPERATIONS = ROOT / "docs" / "operations.md"
RUNBOOK_BASE = "https://github.com/flywheel-oss/flywheel/blob/main/docs/operations.md#"
SEVERITIES = {"warning", "critical"}


def _dashboards() -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARD_DIR.glob("*.json"))}


def _panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel, rows' nested panels included, rows themselves excluded."""
    top = board["panels"]
    nested = [p for row in top if row.get("type") == "row" for p in row.get("panels", [])]
    return [p for p in [*top, *nested] if p.get("type") != "row"]


def _rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def anchors(markdown: str) -> set[str]:
    """Anchors GitHub makes for the headings (lower case, punctuation dropped, spaces to hyphens),
    plus explicit `<a id="...">`."""
    found = set(re.findall(r"<a (?:id|name)=\"([^\"]+)\"", markdown))
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        found.add(slug)
    return found


def _load_script(path: Path) -> ModuleType:
    sys.path.insert(0, str(path.parent))  # render_dashboards imports its sibling `panels`
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))


def _kustomize(directory: Path) -> list[dict[str, Any]]:
    if shutil.which("kubectl"):
        command = ["kubectl", "kustomize", str(directory)]
    elif shutil.which("kustomize"):
        command = ["kustomize", "build", str(directory)]
    else:
        pytest.fail("neither kubectl nor kustomize is on PATH: install kubectl (CI does) to render the kustomization")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


# --- dashboards ------------------------------------------------------------------------------------


def test_the_three_dashboards_exist_with_unique_uids_and_titles() -> None:
    boards = _dashboards()
    assert {"flywheel-overview.json", "flywheel-http.json", "flywheel-journeys-scoring.json"} <= set(boards)
    uids = [b["uid"] for b in boards.values()]
    titles = [b["title"] for b in boards.values()]
    assert len(set(uids)) == len(uids) and len(set(titles)) == len(titles)
    for name, board in boards.items():
        assert board["uid"] == name.removesuffix(".json"), "the uid is the file name: links and provisioning rely on it"
        assert board["schemaVersion"] >= 36 and board.get("id") is None


def test_every_panel_has_the_datasource_variable_and_queries() -> None:
    for name, board in _dashboards().items():
        variables = {v["name"]: v for v in board["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource"
        assert variables["datasource"]["current"]["value"] == "prometheus", "compose provisions uid 'prometheus'"
        ids = [p["id"] for p in board["panels"]]
        assert len(set(ids)) == len(ids), f"{name}: duplicate panel ids"
        for panel in _panels(board):
            where = f"{name} / {panel['title']}"
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, where
            assert panel["targets"], f"{where}: no queries"
            refs = [t["refId"] for t in panel["targets"]]
            assert len(set(refs)) == len(refs), where
            for target in panel["targets"]:
                assert target["expr"].strip() and target["datasource"] == panel["datasource"], where
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24, f"{where}: wider than the grid"


def test_service_variables_come_from_label_values() -> None:
    boards = _dashboards()
    for name in ("flywheel-overview.json", "flywheel-http.json"):
        service = next(v for v in boards[name]["templating"]["list"] if v["name"] == "service")
        assert service["query"]["query"].startswith("label_values(flywheel_")
        assert any("$service" in t["expr"] for p in _panels(boards[name]) for t in p["targets"])


def test_dashboards_are_what_render_dashboards_writes() -> None:
    script = OBS / "grafana" / "render_dashboards.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{done.stderr}(edit {script.name} and run it rather than the JSON)"


def test_render_dashboards_check_fails_on_a_hand_edited_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _load_script(OBS / "grafana" / "render_dashboards.py")
    monkeypatch.setattr(module, "OUT", tmp_path)
    assert module.main([]) == 0 and module.main(["--check"]) == 0
    edited = tmp_path / "flywheel-http.json"
    edited.write_text(edited.read_text().replace("Flywheel / HTTP", "Flywheel / HTTP (edited)"))
    assert module.main(["--check"]) == 1


# --- alerts ----------------------------------------------------------------------------------------


def test_every_alert_has_severity_summary_description_and_an_existing_runbook() -> None:
    rules = _rules()
    names = [r["alert"] for r in rules]
    assert len(set(names)) == len(names)
    documented = anchors(OPERATIONS.read_text())
    for rule in rules:
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        annotations = rule["annotations"]
        assert annotations["summary"].strip() and annotations["description"].strip(), rule["alert"]
        url = annotations["runbook_url"]
        assert url.startswith(RUNBOOK_BASE), rule["alert"]
        assert url.removeprefix(RUNBOOK_BASE) in documented, f"{rule['alert']}: no section #{url.split('#')[1]}"


def test_the_issue_s_alerts_are_all_there() -> None:
    exprs = {r["alert"]: r["expr"] for r in _rules()}
    wanted = {
        "FlywheelConsumerLagGrowing": "deriv(flywheel_consumer_lag",
        "FlywheelDeadLetters": "flywheel_consumer_deadlettered_total",
        "FlywheelHTTPErrorRatio": 'status=~"5.."',
        "FlywheelHTTPLatencyP99": "histogram_quantile(0.99",
        "FlywheelWebhookFailureRate": "flywheel_journey_webhook_attempts_total",
        "FlywheelScoringRefitFailed": 'flywheel_scoring_refits_total{outcome="failed"}',
        "FlywheelTargetDown": "up{",
    }
    for alert, fragment in wanted.items():
        assert fragment in exprs[alert], alert


def _promtool() -> str:
    """Debian's promtool (the prometheus package): CI installs it, so there its absence fails."""
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is missing: apt-get install prometheus (CI does)")
        pytest.skip("promtool is missing (apt-get install prometheus)")
    return found


def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    promtool = _promtool()
    checked = subprocess.run([promtool, "check", "rules", str(ALERTS)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        [promtool, "test", "rules", str(ALERT_TESTS)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ALERT_TESTS.parent,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_unit_test_where_it_fires_and_one_where_it_does_not() -> None:
    cases = [case for test in yaml.safe_load(ALERT_TESTS.read_text())["tests"] for case in test["alert_rule_test"]]
    firing = {case["alertname"] for case in cases if case.get("exp_alerts")}
    quiet = {case["alertname"] for case in cases if not case.get("exp_alerts")}
    alerts = {rule["alert"] for rule in _rules()}
    assert alerts - firing == set(), "alerts no promtool case shows firing"
    assert alerts - quiet == set(), "alerts no promtool case shows quiet"


def test_the_anchor_check_knows_github_s_slugs() -> None:
    markdown = '# Ops\n## Consumer lag growing\n### HTTP errors (5xx)\n```\n# not a heading\n```\n<a id="x-y"></a>'
    found = anchors(markdown)
    assert found == {"ops", "consumer-lag-growing", "http-errors-5xx", "x-y"}


# --- the PrometheusRule ----------------------------------------------------------------------------


def test_prometheusrule_is_in_sync_with_alerts_yml() -> None:
    script = OBS / "render_rules.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_render_rules_check_fails_on_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _load_script(OBS / "render_rules.py")
    alerts = tmp_path / "alerts.yml"
    alerts.write_text(ALERTS.read_text())
    monkeypatch.setattr(module, "ALERTS", alerts)
    monkeypatch.setattr(module, "OUTPUT", tmp_path / "prometheusrule.yaml")
    assert module.main([]) == 0 and module.main(["--check"]) == 0
    alerts.write_text(ALERTS.read_text().replace("> 1000", "> 5000"))
    assert module.main(["--check"]) == 1


def test_kustomize_renders_dashboard_configmaps_and_the_prometheusrule() -> None:
    docs = _kustomize(OBS)
    maps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
    boards = _dashboards()
    assert len(maps) == len(boards), "every dashboard needs a configMapGenerator entry in kustomization.yaml"
    for cm in maps.values():
        assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
        (file_name, content), *rest = cm["data"].items()
        assert not rest and json.loads(content) == boards[file_name]
    (rule,) = [d for d in docs if d["kind"] == "PrometheusRule"]
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["spec"]["groups"] == yaml.safe_load(ALERTS.read_text())["groups"]


# --- docs/operations.md ----------------------------------------------------------------------------

_CLI_CALL = re.compile(r"(?<!-n )\bflywheel ([a-z]+) ([a-z]+)\b([^\n`]*)")


def cli_calls(markdown: str) -> list[tuple[str, str, set[str]]]:
    """(group, command, long options) of every `flywheel GROUP COMMAND ...` the text shows; an indented
    line starting with `[` or `--` continues the line before (a wrapped synopsis)."""
    text = re.sub(r"\n\s+(?=\[|--)", " ", markdown)
    return [(g, c, set(re.findall(r"--[a-z][a-z-]*", rest))) for g, c, rest in _CLI_CALL.findall(text)]


def test_every_flywheel_command_the_runbooks_show_exists_with_its_options() -> None:
    import typer.main

    from cli.main import app

    root = typer.main.get_command(app)
    groups = getattr(root, "commands", {})
    calls = cli_calls(OPERATIONS.read_text())
    assert {("deadletter", "list"), ("deadletter", "replay"), ("key", "rotate")} <= {(g, c) for g, c, _ in calls}
    for group, command, options in calls:
        assert group in groups, f"`flywheel {group}` does not exist"
        commands = getattr(groups[group], "commands", {})
        assert command in commands, f"`flywheel {group} {command}` does not exist"
        known = {opt for param in commands[command].params for opt in param.opts}
        assert options <= known, f"`flywheel {group} {command}` has no {sorted(options - known)}"


def test_the_documented_deadletter_filters_are_exactly_the_cli_s() -> None:
    import typer.main

    from cli.main import app

    root = typer.main.get_command(app)
    deadletter = getattr(root, "commands", {})["deadletter"]
    documented = [opts for g, c, opts in cli_calls(OPERATIONS.read_text()) if (g, c) == ("deadletter", "list")]
    synopsis = max(documented, key=len)
    listed = {o for p in deadletter.commands["list"].params for o in p.opts if o.startswith("--") and o != "--help"}
    assert synopsis == listed


def test_the_command_check_catches_an_unknown_option() -> None:
    calls = cli_calls("```\nflywheel key rotate KEY --grace-hours 2 --colour red\n```")
    assert calls == [("key", "rotate", {"--grace-hours", "--colour"})]
    assert cli_calls("kubectl -n flywheel create secret generic x") == []


def test_every_link_inside_operations_md_has_its_section() -> None:
    text = OPERATIONS.read_text()
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert targets, "the table of contents links to the sections"
    assert targets <= anchors(text), f"no section for {sorted(targets - anchors(text))}"
