"""Writes the openAPIV3Schema of one version of each CRD as JSON, the part tests/deploy/test_k8s.py needs.

The full CRDs are large (CloudNativePG's Cluster alone is ~300 kB of YAML with descriptions); the
validator needs only the schema of the version our manifests use. Descriptions are dropped to keep the
files small; everything else is kept as the operator publishes it. See README.md for the sources.

    python deploy/k8s/schemas/extract.py CRD.yaml VERSION [CRD.yaml VERSION ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def strip_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        # A property may itself be named "description" (e.g. PrometheusRule annotations): keep those.
        return {k: strip_descriptions(v) for k, v in node.items() if not (k == "description" and isinstance(v, str))}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def extract(crd_path: Path, version: str) -> Path:
    crd = yaml.safe_load(crd_path.read_text())
    spec = crd["spec"]
    (found,) = [v for v in spec["versions"] if v["name"] == version]
    out = HERE / f"{spec['group']}_{spec['names']['kind']}_{version}.json"
    schema = strip_descriptions(found["schema"]["openAPIV3Schema"])
    out.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    return out


def main(argv: list[str]) -> None:
    if not argv or len(argv) % 2:
        raise SystemExit(__doc__)
    for path, version in zip(argv[::2], argv[1::2], strict=True):
        print(extract(Path(path), version))


if __name__ == "__main__":
    main(sys.argv[1:])
