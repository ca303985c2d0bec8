"""`python -m services.gateway.openapi [--check]`: the public API's OpenAPI document, checked in as
contracts/openapi.json so front-end teams can read (and diff) it without running anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app

DOCUMENT = Path(__file__).resolve().parents[2] / "contracts" / "openapi.json"


def render() -> str:
    document: dict[str, Any] = create_app(GatewayServiceSettings(service_name="gateway")).openapi()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    current = render()
    if "--check" in argv:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != current:
            sys.stderr.write(f"{DOCUMENT} is out of date: run `make contracts`\n")
            return 1
        return 0
    DOCUMENT.write_text(current)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
