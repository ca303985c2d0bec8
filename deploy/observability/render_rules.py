"""Write deploy/observability/prometheusrule.yaml, the Prometheus operator's PrometheusRule holding the
rule groups of deploy/observability/prometheus/alerts.yml, so Kubernetes and docker-compose alert alike.

    .venv/bin/python deploy/observability/render_rules.py            # write it
    .venv/bin/python deploy/observability/render_rules.py --check    # exit 1 if it differs from alerts.yml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from runtime.generated import write_or_check  # noqa: E402

ALERTS = HERE / "prometheus" / "alerts.yml"
OUTPUT = HERE / "prometheusrule.yaml"

HEADER = """\
# Generated from prometheus/alerts.yml by render_rules.py: edit alerts.yml, then run
#   .venv/bin/python deploy/observability/render_rules.py
"""

# The Prometheus operator selects rules by label (kube-prometheus-stack: `release: <its release name>`);
# an overlay adds that label with a patch rather than this file guessing a release name.
LABELS = {
    "app.kubernetes.io/name": "flywheel-alerts",
    "app.kubernetes.io/part-of": "flywheel",
    "app.kubernetes.io/component": "monitoring",
}


class _Dumper(yaml.SafeDumper):
    """Block scalars for multi-line strings (the expressions stay readable in the rendered file)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def prometheus_rule(groups: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "flywheel-alerts", "labels": LABELS},
        "spec": {"groups": groups},
    }


def render(alerts_text: str) -> str:
    rules = yaml.safe_load(alerts_text)
    if not isinstance(rules, dict) or not isinstance(rules.get("groups"), list):
        raise ValueError(f"{ALERTS.name}: expected a mapping with a list of groups")
    body = yaml.dump(prometheus_rule(rules["groups"]), Dumper=_Dumper, sort_keys=False, width=120)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        {OUTPUT: render(ALERTS.read_text())},
        ".venv/bin/python deploy/observability/render_rules.py",
        argv,
        description="Write prometheusrule.yaml from prometheus/alerts.yml.",
    )


if __name__ == "__main__":
    sys.exit(main())
