"""What the gateway knows of a request before running it: the route it reaches, the scope that route needs,
whether its answer carries a secret, and every method its path allows.

The protection middleware (services.gateway.protection) needs these before any endpoint runs: a stored answer
may only be replayed to a key the route would authorise, an answer holding a secret is never stored, and a
method no route takes is refused with every method the path does take (Starlette names only the first route
of the path that matched it, so `Allow` missed the methods declared on other routes of the same path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match
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

    def policy(self, scope: Scope) -> RoutePolicy | None:
        """The policy of the route that takes this request, or None when none does (the app answers 404/405)."""
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
        templates: dict[str, set[str]] = {}
        for route in self._routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                templates.setdefault(getattr(route, "path", ""), set()).update(getattr(route, "methods", None) or ())
        if not templates:
            return None
        return sorted(templates[max(templates, key=_specificity)])

    def _policy_of(self, route: APIRoute) -> RoutePolicy:
        policy = self._policies.get(id(route))
        if policy is None:
            holds_secret = bool((route.openapi_extra or {}).get(ANSWER_HOLDS_SECRET_FLAG))
            policy = RoutePolicy(route.path, _required_scope(route.dependant), holds_secret)
            self._policies[id(route)] = policy
        return policy


def _specificity(template: str) -> tuple[int, ...]:
    """Orders templates matching the same path: at the first segment where they differ, a literal one wins."""
    return tuple(0 if "{" in part else 1 for part in template.split("/"))
