"""The checked-in OpenAPI document is the one the gateway serves."""

from services.gateway.openapi import DOCUMENT, render


def test_checked_in_openapi_matches_the_gateway() -> None:
    assert DOCUMENT.read_text() == render(), "contracts/openapi.json is out of date: run `make contracts`"


def test_every_public_path_is_documented_with_errors() -> None:
    import json

    paths = json.loads(DOCUMENT.read_text())["paths"]
    for pinned in (
        "/v1/events",
        "/v1/customers",
        "/v1/customers/{customer_id}",
        "/v1/customers/{customer_id}/timeline",
        "/v1/customers/{customer_id}/export",
    ):
        assert pinned in paths
    for path, operations in paths.items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            errors = [s for s in operation["responses"] if s[0] in "45"]
            assert errors, f"{method.upper()} {path} declares no error response"
            for status in errors:
                content = operation["responses"][status].get("content", {})
                assert "application/problem+json" in content, f"{method.upper()} {path} {status}"
