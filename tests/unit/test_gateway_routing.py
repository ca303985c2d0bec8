"""The route table the protection middleware reads agrees with the router: a path naming an operation is that
operation, never a resource of the same name under a template (/v1/customers/search is not a customer)."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from starlette.routing import Match

from services.gateway.api import routers
from services.gateway.routing import RouteTable


def test_a_path_naming_an_operation_reaches_that_operation_first() -> None:
    """The protection middleware takes the most specific route template as the resource a path names (a 405
    for any other method); the router must route each of its methods to that template too, so a literal route
    is declared before a template that also matches it (/v1/customers/search before /v1/customers/{id})."""
    routes = [route for router in routers() for route in router.routes if isinstance(route, APIRoute)]
    table = RouteTable(list(routes))
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        assert route.methods is not None  # an APIRoute always has its methods (GET by default)
        for method in route.methods:
            scope = {"type": "http", "path": path, "method": method, "root_path": ""}
            first = next(r for r in routes if r.matches(scope)[0] is Match.FULL)
            assert first.path == route.path, (method, path, first.path)
            assert method in (table.allowed_methods(scope) or [])


def test_the_methods_of_a_path_are_those_of_its_most_specific_template() -> None:
    """Found by Schemathesis (allow_header_conformance): OPTIONS /v1/customers/search offered DELETE, the method
    of /v1/customers/{customer_id}, and /v1/journeys/validate offered the methods of a journey."""
    table = RouteTable([route for router in routers() for route in router.routes])

    def methods(path: str) -> list[str] | None:
        return table.allowed_methods({"type": "http", "path": path, "method": "OPTIONS", "root_path": ""})

    assert methods("/v1/customers/search") == ["GET"]
    assert methods("/v1/customers/c_1") == ["DELETE", "GET"]
    assert methods("/v1/journeys/validate") == ["POST"]
    assert methods("/v1/journeys/j_1") == ["DELETE", "GET", "PUT"]
    assert methods("/v1/keys") == ["GET", "POST"]
    assert methods("/v1/no-such-thing") is None


def test_a_query_parameter_of_one_value_given_twice_is_named() -> None:
    """Found by Schemathesis (negative_data_rejection): GET /v1/deals?pipeline_id=a&pipeline_id=b answered the
    deals of b, the document saying pipeline_id is one string."""
    table = RouteTable([route for router in routers() for route in router.routes])

    def repeated(path: str, query: bytes) -> list[str]:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "query_string": query}
        return table.repeated_single_values(scope)

    assert repeated("/v1/deals", b"pipeline_id=a&pipeline_id=b&status=open&status=won&owner=x") == [
        "pipeline_id",
        "status",
    ]
    assert repeated("/v1/deals", b"pipeline_id=a&status=open") == []
    assert repeated("/v1/customers/search", b"tag=vip&tag=new") == []  # tag takes a list
    assert repeated("/v1/customers/search", b"tag=vip&tag=new&sort=created_at&sort=x") == ["sort"]
    assert repeated("/v1/no-such-thing", b"a=1&a=2") == []
