"""Operation ids for client generators: the handlers' names."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

# snake_case, as the handlers and operations.yaml name them: openapi-python-client makes functions of them as
# they are, and openapi-typescript keys its `operations` type by them (any identifier-safe name works there).
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def operation_id(route: APIRoute) -> str:
    """An operation's id is its handler's name (a passthrough row's `name`, a written-out route's function): what
    operations.yaml calls it. FastAPI's default appends the path and method (`post_events_v1_events_post`), which
    changes with any path and makes long client method names; these are stable, and client method names."""
    return route.name
