"""`python -m services.gateway.openapi [--check]`: the public API's OpenAPI document, checked in as
contracts/openapi.json so front-end teams can read (and diff) it without running anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from runtime.generated import write_or_check
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app

DOCUMENT = Path(__file__).resolve().parents[2] / "contracts" / "openapi.json"


def render() -> str:
    document: dict[str, Any] = create_app(GatewayServiceSettings(service_name="gateway")).openapi()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check({DOCUMENT: render()}, "python -m services.gateway.openapi", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
