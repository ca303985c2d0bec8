"""What the Schemathesis runs against the gateway share (tests/integration/test_gateway_schemathesis.py, in
process, and tests/e2e/test_openapi_fuzz.py, `st run --checks all` against the running stack): the documented
choices of the API a check cannot know of, and a check of Flywheel's own, `problem_type_is_documented`.

Importing this module registers that check, so `--checks all` (and CHECKS, every registered check) runs it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import schemathesis
from jsonschema import Draft202012Validator
from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import response_content_type
from schemathesis.openapi.checks import RejectedPositiveData, UseAfterFree

from runtime.problems import PROBLEM_JSON
from services.gateway.idempotency import is_valid_key

# Not exercised: the run's only admin key could be revoked or rotated away; their own tests cover them.
KEY_CHANGES = ["DELETE /v1/keys/{key_id}", "POST /v1/keys/{key_id}/rotate"]

DOCUMENTS = "documents are validated beyond their schema: conditions, graphs, references, budgets"
# positive_data_acceptance also expects 422 from these operations: each refuses some schema-valid requests by
# a documented rule no JSON Schema can state (operation -> the rule, said in its description).
VALIDATED_BEYOND_SCHEMA = {
    "POST /v1/journeys": DOCUMENTS,
    "PUT /v1/journeys/{journey_id}": DOCUMENTS,
    "POST /v1/journeys/validate": DOCUMENTS,
    "POST /v1/journey-templates/{name}": "a template's parameters are checked against the template",
    "POST /v1/journeys/{journey_id}/simulate": "a `horizon` from 1 minute to 365 days (in any of its units)",
    "POST /v1/segments": DOCUMENTS,
    "PUT /v1/segments/{segment_id}": DOCUMENTS,
    "POST /v1/referral-programs": DOCUMENTS,
    "PUT /v1/referral-programs/{program_id}": DOCUMENTS,
    "PUT /v1/pipelines/{pipeline_id}": DOCUMENTS,
    "PUT /v1/lead-rules": DOCUMENTS,
    "PUT /v1/loyalty-program": DOCUMENTS,
    "POST /v1/customers/{customer_id}/points/redemptions": "the program's minimum and share of `order_total`; an "
    "`order_total` of at most 20 digits",
    "POST /v1/events": "each event's `workspace` must be the key's; a customer needs one identifier",
    "POST /v1/keys": "a key's name must be printable text (Unicode's printable classes)",
    "PUT /v1/channel": "the webhook URL must resolve to a public address; the time zone must be an IANA name",
    "PUT /v1/messaging-settings": "a cap's window (`per`) from 1 minute to 31 days",
    "POST /v1/deals": "the stage must be one of its pipeline's (the workspace's pipeline document)",
    "POST /v1/deals/{deal_id}/move": "the stage must be one of the deal's pipeline's",
    "POST /v1/deals/{deal_id}/quotes": "the lines' total must fit 18 digits before the point",
    "GET /v1/customers": "exactly one identifier of the four",
    "POST /v1/customers/reconsent": "an email must be an email address, a phone number a valid one",
    "GET /v1/reports/overview": "`from` before `to`, and a bounded span",
    "GET /v1/reports/kpi-tree": "`period` or `from`/`to`, not both; a period that has started; `from` before `to`",
    "GET /v1/referral-programs/{program_id}/stats": "`from` before `to`",
    "GET /v1/marketing-spend": "`from` before `to`",
    "GET /v1/reports/acquisition": "`from` before `to`, and a bounded span",
    "GET /v1/reports/retention": "`from` before `to`, and a bounded span",
    "GET /v1/reports/nps": "`from` before `to`, a bounded span, and `by=channel` not with `segment_id`",
    "GET /v1/reports/segments/{segment_id}": "`from` before `to`, and a bounded span",
    "PUT /v1/identity-settings": "one limit per (`kind`, `other_kind`) pair, and `other_kind` not `kind`; each "
    "weak identifier kind once",
    # The Segment-compatible API (docs/segment.md): what a message must carry to be a Flywheel event.
    **{
        f"POST /segment/v1/{call}": "a message needs `userId` or `anonymousId`; an order its `order_id` and amount, a "
        "refund an amount above 0; a trait `email` an email address; times ISO 8601; a batch's messages their `type`"
        for call in ("track", "identify", "page", "screen", "alias", "group", "batch")
    },
}
# Schemathesis's default expected statuses for positive_data_acceptance (less 5xx: never expected) and 422.
ACCEPTED_OR_422 = {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}
# Schemathesis's default expected statuses for negative_data_rejection and 413: a body or an event batch too
# large is refused with 413, as every operation taking a body documents.
REFUSED_OR_413 = {
    "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
}
NUL_REFUSED = "text may not contain the NUL character (U+0000)"
# runtime.json_limits: any body's integers within 64 bits signed, its numbers finite (the API's description says
# so; a free-form JSON value's schema cannot say it of every integer it may hold).
NUMBERS_REFUSED = (
    "integer out of range: at most 64 bits (-2^63 to 2^63-1)",
    "number out of range: it must be finite",
)


def config(
    *,
    coverage: bool,
    left_out: list[str] = KEY_CHANGES,
    events_coverage: bool = False,
    bearer_from: str | None = None,
) -> dict[str, Any]:
    """Schemathesis's configuration (schemathesis.toml's keys) with the choices above: `left_out` operations
    are not sent; `coverage` runs the coverage phase (boundary values and invalid inputs of every parameter and
    body field), but not for POST /v1/events unless `events_coverage` (over 4000 cases: every field of every
    event type, half a minute on their own; the event contract has its own unit tests, and random events
    still go). With `bearer_from`, the API key is that environment variable's: as the document's HTTPBearer
    scheme, so the coverage phase knows it is the key it leaves out when it sends a request without one."""
    operations: list[dict[str, Any]] = [{"include-name": name, "enabled": False} for name in left_out]
    operations += [
        {"include-name": name, "checks": {"positive_data_acceptance": ACCEPTED_OR_422}}
        for name in VALIDATED_BEYOND_SCHEMA
    ]
    if coverage and not events_coverage:
        operations.append({"include-name": "POST /v1/events", "phases": {"coverage": {"enabled": False}}})
    settings: dict[str, Any] = {
        "operations": operations,
        "generation": {"allow-x00": False},
        # No replay of an earlier run's requests (`st run` keeps them in .schemathesis/): each run stands alone.
        "cache": {"enabled": False},
        "checks": {"negative_data_rejection": REFUSED_OR_413},
    }
    if bearer_from is not None:
        key = "${" + bearer_from + "}"
        # The Segment-compatible API takes the same key as a write key (Basic auth, the password empty).
        settings["auth"] = {
            "openapi": {"HTTPBearer": {"bearer": key}, "SegmentWriteKey": {"username": key, "password": ""}}
        }
    if not coverage:
        settings["phases"] = {"coverage": {"enabled": False}}
    return settings


def as_toml(settings: dict[str, Any]) -> str:
    """`settings` as a schemathesis.toml: one `key = value` line per top-level key, inline tables below
    (the standard library reads TOML but does not write it)."""

    def value(item: Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int | float):
            return repr(item)
        if isinstance(item, str):
            return json.dumps(item)  # a JSON string (ASCII, \\uXXXX escapes) is a TOML basic string
        if isinstance(item, list):
            return "[" + ", ".join(value(element) for element in item) + "]"
        if isinstance(item, dict):
            return "{" + ", ".join(f"{json.dumps(key)} = {value(element)}" for key, element in item.items()) + "}"
        raise TypeError(f"no TOML for {item!r}")

    return "".join(f"{json.dumps(key)} = {value(item)}\n" for key, item in settings.items())


# DELETE /v1/journeys/{journey_id} archives (its documented meaning, pinned since journeys came): the journey,
# its versions, stats and lift stay readable, with `status: archived`, as the record of what it did. use_after_free
# expects a 404 after any DELETE, so its failures after this one are set aside.
ARCHIVED_JOURNEY = re.compile(r"^DELETE /v1/journeys/[^/]+$")


def set_aside(failure: Failure, response: schemathesis.Response, case: schemathesis.Case[Any]) -> bool:
    """Whether a failure is only the API's documented design, or no failure at all (the filter_failure hooks
    drop these): a schema-valid request refused only for what a JSON Schema cannot say, a journey read after it
    was archived, an "invalid" query that was valid as sent."""
    if isinstance(failure, RejectedPositiveData):
        return refused_only_by_design(response) or path_invalid_as_sent(case)
    if isinstance(failure, UseAfterFree):
        return bool(ARCHIVED_JOURNEY.match(failure.free))
    if isinstance(failure, AcceptedNegativeData):
        return query_valid_as_sent(case)
    return False


_NOT_QUERY = (ParameterLocation.PATH, ParameterLocation.HEADER, ParameterLocation.COOKIE, ParameterLocation.BODY)


def query_valid_as_sent(case: schemathesis.Case[Any]) -> bool:
    """Whether a request negative only in its query string was valid as sent: a query value is text on the wire,
    so a number generated for a text parameter (`tag=-3.8e+16`) is a valid tag, and a refusal would be wrong.
    Schemathesis allows for this with numeric parameters but not a number sent for a list of text."""
    meta = case.meta
    if meta is None or not meta.is_negative_at(ParameterLocation.QUERY):
        return False
    if any(meta.is_negative_at(location) for location in _NOT_QUERY):
        return False
    operation = case.operation.schema.raw_schema["paths"][case.operation.path][case.method.lower()]
    schemas = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    for name, value in (case.query or {}).items():
        if name not in schemas:
            return False  # an undeclared parameter: the document says nothing of it
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, dict | list) for item in values):
            return False
        sent = [str(item) for item in values if item is not None]  # what requests writes into the URL
        if not sent:
            continue
        schema = schemas[name]
        if not (_is_valid(schema, sent) or (len(sent) == 1 and _is_valid(schema, sent[0]))):
            return False
    return True


def path_invalid_as_sent(case: schemathesis.Case[Any]) -> bool:
    """Whether a "schema-valid" request was in fact invalid in its path: the stateful phase fills a path parameter
    from an earlier answer (a name GET /v1/event-types lists: the built-in types' too) without checking it against
    the parameter's schema (which refuses the built-in names), so its refusal is right."""
    operation = case.operation.schema.raw_schema["paths"][case.operation.path][case.method.lower()]
    schemas = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p.get("in") == "path"}
    return any(
        name in schemas and not _is_valid(schemas[name], value) for name, value in (case.path_parameters or {}).items()
    )


def _is_valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(Draft202012Validator(schema).is_valid(value))


def refused_only_by_design(response: schemathesis.Response) -> bool:
    """A 422 naming only what the API refuses by documented design and a JSON Schema cannot say: a made-up
    cursor (cursors are opaque: only a `next_cursor` is one), text holding U+0000 (PostgreSQL cannot keep it),
    an integer beyond 64 bits or a number that is not finite in a free-form JSON value."""
    if response.status_code != 422:
        return False
    errors = response.json().get("errors") or [{}]
    return all(
        error.get("field") in ("cursor", "query.cursor") or error.get("message") in (NUL_REFUSED, *NUMBERS_REFUSED)
        for error in errors
    )


def fresh_idempotency_key(case: schemathesis.Case[Any]) -> None:
    """A valid Idempotency-Key made unique, keeping its length when it can: generated keys repeat across
    requests, and a key reused for a different request is 422 by design. Invalid keys stay as generated."""
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if key is not None and is_valid_key(key):
        unique = uuid.uuid4().hex
        case.headers["Idempotency-Key"] = unique + key[len(unique) :] if len(key) > len(unique) else unique


# The problem types the gateway answered before the problem-type catalogue (issue 21): FastAPI's and the
# runtime's defaults, quotas, and loyalty's refusals. Allowed only while the document lists none.
UNCATALOGUED_PROBLEM_TYPES = frozenset(
    {
        "about:blank",
        "validation",
        "quota_exceeded",
        "loyalty_program_missing",
        "order_redeemed",
        "inactive",
        "below_minimum",
        "over_order_share",
        "order_total_required",
        "insufficient_points",
    }
)


def documented_problem_types(document: dict[str, Any]) -> frozenset[str] | None:
    """The `enum` of the document's Problem schema's `type` (through local `$ref`s, `anyOf`, `oneOf` and
    `allOf`); None when it states none."""
    schemas = document.get("components", {}).get("schemas", {})
    problem = schemas.get("Problem", {})
    found: set[str] = set()

    def enums(schema: Any, seen: frozenset[str]) -> Iterator[str]:
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref not in seen:
            yield from enums(schemas.get(ref.rsplit("/", 1)[1]), seen | {ref})
        if "const" in schema:
            yield schema["const"]
        yield from schema.get("enum", ())
        for combinator in ("anyOf", "oneOf", "allOf"):
            for alternative in schema.get(combinator, ()):
                yield from enums(alternative, seen)

    found.update(str(item) for item in enums(problem.get("properties", {}).get("type"), frozenset()))
    return frozenset(found) or None


class UndocumentedProblemType(Failure):
    """A problem+json answer whose `type` is not one the document lists."""

    kind_title = "Undocumented problem type"

    def __init__(self, *, operation: str, problem_type: object, allowed: frozenset[str]) -> None:
        self.problem_type = problem_type
        super().__init__(
            operation=operation,
            message=f"`type` {problem_type!r} is not one of the documented problem types: {sorted(allowed)}",
        )

    @property
    def _unique_key(self) -> str:
        return repr(self.problem_type)  # one finding per operation and undocumented type


@schemathesis.check
def problem_type_is_documented(ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]) -> bool | None:
    """Every problem+json answer's `type` is in the documented list: the OpenAPI Problem schema's `type` enum
    when the document has one, else the types the gateway answered before it had one. Returns True (Schemathesis:
    not applicable, so not recorded) for an answer that is not a problem, None for a problem that passed."""
    media_type = (response_content_type(response) or "").split(";")[0].strip().lower()
    if media_type != PROBLEM_JSON:
        return True
    try:
        problem = response.json()
    except ValueError:
        return True  # not JSON at all: content_type_conformance and response_schema_conformance judge that
    problem_type = problem.get("type", "about:blank") if isinstance(problem, dict) else None
    allowed = documented_problem_types(case.operation.schema.raw_schema) or UNCATALOGUED_PROBLEM_TYPES
    if problem_type not in allowed:
        raise UndocumentedProblemType(operation=case.operation.label, problem_type=problem_type, allowed=allowed)
    return None
