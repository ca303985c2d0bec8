"""Building blocks of the Grafana dashboards render_dashboards.py writes: layout, panels, variables,
and the two PromQL shapes every panel uses (a summed rate, a quantile of a histogram)."""

from __future__ import annotations

from typing import Any

DS = {"type": "prometheus", "uid": "${datasource}"}
SVC = 'service=~"$service"'
NOT_PROBES = 'route!~"/healthz|/readyz|/metrics"'
RI = "$__rate_interval"

Panel = dict[str, Any]


class Layout:
    """Places panels left to right on Grafana's 24-column grid, wrapping to a new line."""

    def __init__(self) -> None:
        self.panels: list[Panel] = []
        self.x = 0
        self.y = 0
        self.row_h = 0

    def row(self, title: str) -> None:
        self._newline()
        self.panels.append(
            {"id": len(self.panels) + 1, "type": "row", "title": title, "collapsed": False, "panels": []}
            | {"gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}}
        )
        self.y += 1

    def add(self, panel: Panel, w: int = 12, h: int = 8) -> None:
        if self.x + w > 24:
            self._newline()
        panel["id"] = len(self.panels) + 1
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)

    def _newline(self) -> None:
        if self.x:
            self.y += self.row_h
        self.x, self.row_h = 0, 0


def _targets(queries: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"refId": chr(ord("A") + i), "datasource": DS, "expr": expr, "legendFormat": legend, "range": True}
        for i, (expr, legend) in enumerate(queries)
    ]


def timeseries(title: str, description: str, unit: str, queries: list[tuple[str, str]], stack: bool = False) -> Panel:
    return {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DS,
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "min": 0,
                "custom": {
                    "drawStyle": "line",
                    "lineWidth": 1,
                    "fillOpacity": 10,
                    "showPoints": "never",
                    "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                },
            },
            "overrides": [],
        },
        "options": {
            "legend": {"displayMode": "table", "placement": "bottom", "showLegend": True, "calcs": ["mean", "max"]},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": _targets(queries),
    }


def stat(title: str, description: str, unit: str, expr: str, thresholds: list[tuple[float, str]]) -> Panel:
    """A single number; `thresholds` (value, colour) above a green base."""
    return {
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": DS,
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "thresholds": {
                    "mode": "absolute",
                    "steps": [{"value": v, "color": c} for v, c in [(None, "green"), *thresholds]],
                },
            },
            "overrides": [],
        },
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, "colorMode": "value"},
        "targets": _targets([(expr, "")]),
    }


def service_variable(metric: str) -> dict[str, Any]:
    query = f"label_values({metric}, service)"
    return {
        "name": "service",
        "label": "Service",
        "type": "query",
        "datasource": DS,
        "definition": query,
        "query": {"query": query, "refId": "service"},
        "refresh": 2,
        "sort": 1,
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "hide": 0,
        "options": [],
        "regex": "",
    }


DATASOURCE_VARIABLE = {
    "name": "datasource",
    "label": "Data source",
    "type": "datasource",
    "query": "prometheus",
    # The uid docker-compose provisions and kube-prometheus-stack creates; pick another one here if yours differs.
    "current": {"selected": True, "text": "Prometheus", "value": "prometheus"},
    "hide": 0,
    "options": [],
    "refresh": 1,
    "regex": "",
}


def dashboard(uid: str, title: str, description: str, layout: Layout, variables: list[dict[str, Any]]) -> Panel:
    return {
        "id": None,
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["flywheel"],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-3h", "to": "now"},
        "annotations": {
            "list": [
                {
                    "builtIn": 1,
                    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                    "enable": True,
                    "hide": True,
                    "iconColor": "rgba(0, 211, 255, 1)",
                    "name": "Annotations & Alerts",
                    "type": "dashboard",
                }
            ]
        },
        "links": [
            {"type": "dashboards", "tags": ["flywheel"], "asDropdown": True, "title": "Flywheel", "includeVars": True}
        ],
        "templating": {"list": [DATASOURCE_VARIABLE, *variables]},
        "panels": layout.panels,
    }


def sum_rate(metric: str, sel: str = "", by: str = "", window: str = RI, fn: str = "rate") -> str:
    """`sum by (by) (rate(metric{sel}[window]))`; fn="increase" for counts per window."""
    inner = f"{fn}({metric}{{{sel}}}[{window}])" if sel else f"{fn}({metric}[{window}])"
    return f"sum by ({by}) ({inner})" if by else f"sum({inner})"


def quantile(q: float, histogram: str, sel: str = "", by: str = "", window: str = RI, fn: str = "rate") -> str:
    return f"histogram_quantile({q}, {sum_rate(histogram + '_bucket', sel, f'{by}, le' if by else 'le', window, fn)})"
