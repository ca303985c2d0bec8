"""Schemathesis hooks for `st run` against the running stack (SCHEMATHESIS_HOOKS=tests.e2e.schemathesis_hooks,
set by tests/e2e/test_openapi_fuzz.py): registers Flywheel's check (`problem_type_is_documented`, so
`--checks all` runs it) and applies the documented choices of tests/schemathesis_rules.py."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.core.failures import Failure

from tests.schemathesis_rules import fresh_idempotency_key, set_aside


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext,
    failure: Failure,
    case: schemathesis.Case[Any],
    response: schemathesis.Response,
) -> bool:
    """Sets aside what is only the API's documented design (tests.schemathesis_rules.set_aside): a schema-valid
    request refused only for a made-up cursor or text holding U+0000; an archived journey still readable."""
    return not set_aside(failure, response, case)


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: dict[str, Any]) -> None:
    fresh_idempotency_key(case)
