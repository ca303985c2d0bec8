"""What the gateway knows of a request before running it: the route it reaches, the scope that route needs,
whether its answer carries a secret, and every method its path allows.

The protection middleware (services.gateway.protection) needs these before any endpoint runs: a stored answer
may only be replayed to a key the route would authorise, an answer holding a secret is never stored, and a
method no route takes is refused with every method the path does take (Starlette names only the first route
of the path that matched it, so `Allow` missed the methods declared on other routes of the same path).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin
from urllib.parse import parse_qsl

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

# `openapi_extra` of a route whose answer carries a secret (a new API key, a webhook signing secret): the
# answer is never stored for Idempotency-Key replays, and the OpenAPI document says so to clients.
ANSWER_HOLDS_SECRET_FLAG = "x-flywheel-answer-holds-secret"  # noqa: S105 (a name, not a secret)
ANSWER_HOLDS_SECRET: dict[str, Any] = {ANSWER_HOLDS_SECRET_FLAG: True}


class RequiredScope:
    """Marks the dependency `deps.require(scope)` makes, so the scope a route needs can be read off the route."""

    scope: str


@dataclass(frozen=True)
class RoutePolicy:
    path: str  # the route's template, e.g. /v1/keys/{key_id}/rotate
    scope: str | None  # the scope the route requires; None: any valid key
    answer_holds_secret: bool


def _required_scope(dependant: Dependant) -> str | None:
    stack = [dependant]
    while stack:
        current = stack.pop()
        if isinstance(current.call, RequiredScope):
            return current.call.scope
        stack.extend(current.dependencies)
    return None


class RouteTable:
    """The public API's routes (those of its APIRouters, in the order the app includes them), matched as the
    app's router matches them; policies are worked out once per route."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self._routes = routes
        self._policies: dict[int, RoutePolicy] = {}
        # Every request asks which methods its path allows: only the routes that could take the path are matched,
        # by their first two literal segments (/v1/customers/...), not all of them (about 0.2 ms a request).
        self._by_prefix: dict[tuple[str, ...], list[BaseRoute]] = {}
        self._any_prefix: list[BaseRoute] = []
        for route in routes:
            prefix = _literal_prefix(route)
            (self._by_prefix.setdefault(prefix, []) if prefix else self._any_prefix).append(route)
        # Matching a request against every route cost about 0.3 ms of the gateway's CPU per request (twice over
        # some 130 routes); what a path matches never changes, so the answers are kept, a bounded number of paths.
        self._policy_by_path: dict[tuple[str, str, str], RoutePolicy | None] = {}
        self._allowed_by_path: dict[tuple[str, str], list[str] | None] = {}

    def policy(self, scope: Scope) -> RoutePolicy | None:
        """The policy of the route that takes this request, or None when none does (the app answers 404/405)."""
        key = (scope.get("root_path", ""), scope["path"], scope["method"])
        if key not in self._policy_by_path:
            _bounded(self._policy_by_path)[key] = self._match_policy(scope)
        return self._policy_by_path[key]

    def _match_policy(self, scope: Scope) -> RoutePolicy | None:
        for route in self._routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return self._policy_of(route) if isinstance(route, APIRoute) else None
        return None

    def allowed_methods(self, scope: Scope) -> list[str] | None:
        """Every method the resource at this path takes, or None when no route matches the path (a 404).

        The resource is the most specific route template matching the path, a literal segment before a
        parameter: /v1/journeys/validate is that operation, not a journey named "validate", whatever the
        order of the routes; so GET /v1/journeys/validate is a 405 naming POST, not a journey not found."""
        key = (scope.get("root_path", ""), scope["path"])
        if key not in self._allowed_by_path:
            _bounded(self._allowed_by_path)[key] = self._match_allowed_methods(scope)
        return self._allowed_by_path[key]

    def _match_allowed_methods(self, scope: Scope) -> list[str] | None:
        templates: dict[str, set[str]] = {}
        path = get_route_path(scope)
        candidates = self._by_prefix.get(tuple(path.split("/")[1:3]), [])
        for route in (*candidates, *self._any_prefix):
            if route.matches(scope)[0] is not Match.NONE:
                templates.setdefault(getattr(route, "path", ""), set()).update(getattr(route, "methods", None) or ())
        if not templates:
            return None
        return sorted(templates[max(templates, key=_specificity)])

    def repeated_single_values(self, scope: Scope) -> list[str]:
        """The query parameters given more than once that the route taking the request takes one value of (the
        document says one: FastAPI would keep the last and drop the others unsaid)."""
        query = scope.get("query_string", b"").decode("latin-1")
        counts = Counter(name for name, _ in parse_qsl(query, keep_blank_values=True))
        repeated = {name for name, count in counts.items() if count > 1}
        if not repeated:
            return []
        route = next((r for r in self._routes if r.matches(scope)[0] is Match.FULL), None)
        if not isinstance(route, APIRoute):
            return []
        single = {field.alias for field in route.dependant.query_params if not _takes_many(field.field_info.annotation)}
        return sorted(repeated & single)

    def _policy_of(self, route: APIRoute) -> RoutePolicy:
        policy = self._policies.get(id(route))
        if policy is None:
            holds_secret = bool((route.openapi_extra or {}).get(ANSWER_HOLDS_SECRET_FLAG))
            policy = RoutePolicy(route.path, _required_scope(route.dependant), holds_secret)
            self._policies[id(route)] = policy
        return policy


def _literal_prefix(route: BaseRoute) -> tuple[str, ...] | None:
    """The first two segments of a route's template when both are literal (("v1", "customers")), else None."""
    if not isinstance(route, Route):
        return None
    prefix = tuple(route.path.split("/")[1:3])
    return prefix if len(prefix) == 2 and not any("{" in part for part in prefix) else None


MAX_PATHS_KEPT = 10_000  # paths hold ids: a client making up paths only ever empties the table


K = TypeVar("K")
V = TypeVar("V")


def _bounded(kept: dict[K, V]) -> dict[K, V]:
    """`kept`, emptied first when it holds MAX_PATHS_KEPT entries."""
    if len(kept) >= MAX_PATHS_KEPT:
        kept.clear()
    return kept


def _specificity(template: str) -> tuple[int, ...]:
    """Orders templates matching the same path: at the first segment where they differ, a literal one wins."""
    return tuple(0 if "{" in part else 1 for part in template.split("/"))


def _takes_many(annotation: Any) -> bool:
    """Whether a query parameter's annotation takes a list of values (list[str] | None, say)."""
    if get_origin(annotation) is Annotated:
        return _takes_many(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return any(_takes_many(arg) for arg in get_args(annotation))
    return get_origin(annotation) in (list, set, tuple, frozenset, Sequence)
