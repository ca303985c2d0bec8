"""The catalogue of problem types every Flywheel HTTP API answers with (runtime.problems).

One type per kind of error, not per status: a client branches on `type`, and each type has a page under
`/problems/<slug>` (served by the gateway: services/gateway/api_problems.py) saying when it happens and what
to do. A problem's `type` is the relative URI reference `/problems/<slug>` (RFC 9457 allows a URI reference;
a client resolves it against the request's URL, where the gateway serves the page). A raise names a slug of
this catalogue, or none: then its status's default (`DEFAULT_FOR_STATUS`) is the type.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBLEMS_PATH = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str  # the same for every occurrence of the type (RFC 9457 §3.1.3)
    statuses: tuple[int, ...]
    happens: str  # when it happens
    remedy: str  # what the client can do about it

    @property
    def uri(self) -> str:
        return PROBLEMS_PATH + self.slug


CATALOGUE: tuple[ProblemType, ...] = (
    ProblemType(
        "validation",
        "Invalid input",
        (422,),
        "A path or query parameter, a header or a field of the body is missing or invalid. `errors` names each "
        "bad field (`field`, `message`); for events, each invalid event.",
        "Correct the fields named in `errors` and send the request again.",
    ),
    ProblemType(
        "malformed-request",
        "Malformed request",
        (400,),
        "The request cannot be read at all: the body is not UTF-8 or not JSON, the batch is not an array of "
        "objects, a parameter is repeated where one is expected, or the client went away mid-body.",
        "Send a well-formed request (valid JSON, UTF-8, each single-valued parameter once).",
    ),
    ProblemType(
        "unauthorized",
        "Unauthorized",
        (401,),
        "No API key was sent, or the key is unknown, revoked or past its rotation's grace period (internal APIs: "
        "the service token is missing or invalid).",
        "Send `Authorization: Bearer <api-key>` with a live key of the workspace.",
    ),
    ProblemType(
        "forbidden",
        "Forbidden",
        (403,),
        "The key is valid but lacks the scope the operation needs (`detail` names it), or the service refuses "
        "who the request acts as.",
        "Use a key holding the scope named in `detail` (scope `admin` implies every scope).",
    ),
    ProblemType(
        "not-found",
        "Not found",
        (404,),
        "Nothing with that id or path exists in the key's workspace (another workspace's id answers this too).",
        "Check the id; list the collection to find the right one.",
    ),
    ProblemType(
        "method-not-allowed",
        "Method not allowed",
        (405,),
        "The path exists but does not take this method. The `Allow` header lists every method it takes.",
        "Use one of the methods in `Allow`.",
    ),
    ProblemType(
        "conflict",
        "Conflict",
        (409,),
        "The request conflicts with the current state of what it names (e.g. a journey that is active, a deal "
        "already closed, a merge already undone); `blockers`, when present, say what stands in the way.",
        "Read the current state, resolve what `detail` or `blockers` name, and try again.",
    ),
    ProblemType(
        "quota-exceeded",
        "Quota exceeded",
        (409,),
        "Creating this would take the workspace over one of its quotas; `quota`, `limit` and `used` name it.",
        "Delete something the quota counts, or ask the operator for a larger quota (GET /v1/quotas).",
    ),
    ProblemType(
        "idempotency-conflict",
        "Idempotent request not repeatable",
        (409,),
        "A request with this `Idempotency-Key` is still in progress, or was done but its answer was not kept "
        "(it held a secret).",
        "While in progress: retry after `Retry-After`. Otherwise read the result (e.g. list the resource).",
    ),
    ProblemType(
        "idempotency-key-reused",
        "Idempotency-Key reused",
        (422,),
        "This `Idempotency-Key` was used for a different request (method, path or body) within 24 h.",
        "Use a new key for each distinct request.",
    ),
    ProblemType(
        "gone",
        "Gone",
        (410,),
        "A one-time link (survey answer, unsubscribe) was used already or has expired.",
        "Nothing to retry: the link cannot be used again.",
    ),
    ProblemType(
        "payload-too-large",
        "Payload too large",
        (413,),
        "The body is larger than the gateway accepts, or a batch holds more events than it takes.",
        "Send smaller bodies: split the batch.",
    ),
    ProblemType(
        "unsupported-media-type",
        "Unsupported media type",
        (415,),
        "The body is not declared as JSON (`Content-Type`).",
        "Send `Content-Type: application/json` (or the CloudEvents JSON types on POST /v1/events).",
    ),
    ProblemType(
        "rate-limited",
        "Too many requests",
        (429,),
        "The key's request rate, or the failed authentications from this address, went past the limit.",
        "Wait the `Retry-After` seconds, then retry; spread requests out.",
    ),
    ProblemType(
        "loyalty-program-missing",
        "No loyalty program",
        (404, 409),
        "The workspace has no loyalty program, so there are no points to read or redeem.",
        "Create the program (PUT /v1/loyalty-program) first.",
    ),
    ProblemType(
        "loyalty-program-inactive",
        "Loyalty program inactive",
        (409,),
        "The workspace's loyalty program is not active, so points cannot be redeemed.",
        "Activate the program, or wait until it is.",
    ),
    ProblemType(
        "insufficient-points",
        "Insufficient points",
        (409,),
        "The customer holds fewer spendable points than the redemption asks; `available` says how many they hold.",
        "Redeem at most `available` points.",
    ),
    ProblemType(
        "order-redeemed",
        "Order already redeemed against",
        (409,),
        "Points were already redeemed against this order.",
        "Nothing to do: one redemption per order.",
    ),
    ProblemType(
        "redemption-below-minimum",
        "Redemption below the minimum",
        (422,),
        "The redemption asks for fewer points than the program's minimum.",
        "Redeem at least the program's minimum.",
    ),
    ProblemType(
        "redemption-over-order-share",
        "Redemption over the order's share",
        (422,),
        "The points would pay more of the order than the program allows.",
        "Redeem fewer points for this order.",
    ),
    ProblemType(
        "order-total-required",
        "Order total required",
        (422,),
        "The program caps redemptions at a share of the order, so the order's total is needed.",
        "Send the order total with the redemption.",
    ),
    ProblemType(
        "client-error",
        "Client error",
        (400, 406, 408, 411, 414, 416, 417, 426, 431),
        "The request was refused for a reason no more specific type covers; `detail` says why.",
        "Read `detail`, correct the request, and send it again.",
    ),
    ProblemType(
        "internal-error",
        "Internal error",
        (500,),
        "Something failed that should not have. The request was logged (no internal detail is sent).",
        "Retry later; report the request (and its `X-Request-Id`, if any) if it keeps failing.",
    ),
    ProblemType(
        "bad-gateway",
        "Bad gateway",
        (502,),
        "A backing service answered something the gateway cannot use.",
        "Retry later; report it if it persists.",
    ),
    ProblemType(
        "service-unavailable",
        "Service unavailable",
        (503, 504),
        "A backing service, the database or the broker is unavailable or too slow, or the service is starting "
        "or stopping. Nothing was changed unless the answer says so.",
        "Retry after `Retry-After` (if given) with the same `Idempotency-Key`.",
    ),
)

BY_SLUG: dict[str, ProblemType] = {problem.slug: problem for problem in CATALOGUE}
TYPE_URIS: tuple[str, ...] = tuple(problem.uri for problem in CATALOGUE)

# The type of a problem raised without one: the catalogue's general type for its status.
DEFAULT_FOR_STATUS: dict[int, str] = {
    400: "malformed-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "service-unavailable",
}


def problem_type(status: int, slug: str | None = None) -> ProblemType:
    """The catalogue's type named `slug`, or the default for `status` (any other 4xx: client-error; 5xx:
    internal-error). An unknown slug is a programming error: tests/unit/test_problem_catalogue.py finds them."""
    if slug is not None:
        return BY_SLUG[slug]
    default = DEFAULT_FOR_STATUS.get(status, "client-error" if 400 <= status < 500 else "internal-error")
    return BY_SLUG[default]
