"""The public endpoints that only pass a request on to one service's internal API, as rows of a table.

Most of the public API is the services' internal APIs under the API key's workspace: check the key's scope,
forward the path's ids, the query's filters and the body, and answer the service's answer as the public model
(services.gateway.service_client.parse turns a contract breach into a 502; the answer models are the services'
own, contracts/http/<service>.py). A `PassThrough` row says all an endpoint does; `register` makes each row a
FastAPI route whose OpenAPI operation reads as a written-out one would: the operation id from `name`, path and
query parameters with their validation, the body, the answer model and the problems, which follow from the row
(anything taking input can be invalid: 422; a path naming something can name nothing: 404; a write the service
may refuse: 409, which a read never documents). Every write documents `Idempotency-Key` (the protection
middleware replays a retried write, and documents its own 409 and 422 for every write:
services/gateway/protection.py); a row with `forward_idempotency` also hands the key to a service that keeps
its own answers per key. What /docs shows of each operation, its summary and description, is in
operations.yaml by the operation's name, for these rows and for the routes written out (`documented`).

Endpoints that do more than pass through (events, the 360 view, keys, reports, export, search, quotas, a
quote decision made as the key's owner) stay written out in their api_*.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

import yaml
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, TypeAdapter, ValidationError, WithJsonSchema

from contracts.http.types import Cursor, RequestTime
from runtime.problems import ProblemError
from services.gateway import audit
from services.gateway.deps import IdempotencyKey, gateway_context, require
from services.gateway.domain import MAX_PAGE, Principal, clamp_limit, is_plausible_customer_id
from services.gateway.openapi_documents import document_ref
from services.gateway.schemas import problems, quota_conflict
from services.gateway.service_client import ServiceClient, idempotency_headers, parse, segment, workspace_path

WORDS = Path(__file__).with_name("operations.yaml")
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Service = Literal["profile", "scoring", "journey", "referral", "sales", "loyalty"]
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
# Any endpoint: no key, a key without the scope, the service failing. Every write also answers 409 (a retry
# while the first is running) and 422 (an Idempotency-Key reused), documented by services.gateway.protection.
PROBLEMS = (401, 403, 502, 503)


@dataclass(frozen=True)
class QueryParam:
    """A query parameter a row takes (validated as `annotation` says) and forwards to the service."""

    name: str  # the handler's name of it (e.g. from_ for `from`)
    annotation: Any  # Annotated[type, Query(...)]: the validation and documentation
    default: Any = None
    send: Callable[[Any], Any] | None = None  # how the service takes the value; None: as it is, unless None

    def forwarded(self, value: Any) -> Any:
        return self.send(value) if self.send is not None else value

    @property
    def service_name(self) -> str:
        """Its name in the query string, the public one and the service's alike: the Query alias, else `name`."""
        alias = next((getattr(m, "alias", None) for m in getattr(self.annotation, "__metadata__", ())), None)
        return alias or self.name


async def _documents_idempotency_key(idempotency_key: IdempotencyKey = None) -> None:  # async: no threadpool hop
    """Declares `Idempotency-Key` on a write for the OpenAPI document: the protection middleware replays a retried
    write by it before any endpoint runs (services/gateway/protection.py), so an endpoint never reads it."""


IDEMPOTENT_WRITE = Depends(_documents_idempotency_key)  # `dependencies=[IDEMPOTENT_WRITE]` on a route written out


def document_body(kind: str, example: dict[str, Any]) -> Any:
    """A JSON document (described under `documents` in operations.yaml) passed through as parsed: the service
    validates it and names every bad field; validating every value as JsonValue here cost ~0.5 s per 5 MB."""
    description = _words()["documents"][kind]
    # Documented as the service's model of it (services/gateway/openapi_documents.py), still taken as any object.
    documented = WithJsonSchema({**document_ref(kind), "description": description, "examples": [example]})
    return Annotated[dict[str, Any], documented, Body(description=description, examples=[example])]


def _isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def time_param(name: str, description: str) -> QueryParam:
    """A time bound (`from`, `to`), forwarded as ISO 8601."""
    alias = "from" if name == "from_" else None
    return QueryParam(name, Annotated[RequestTime | None, Query(alias=alias, description=description)], send=_isoformat)


PAGE_SIZE = Query(ge=1, description=f"Page size (default 50; a larger one than {MAX_PAGE} is taken as {MAX_PAGE}).")
LIMIT = QueryParam("limit", Annotated[int | None, PAGE_SIZE], send=clamp_limit)
CURSOR = QueryParam("cursor", Cursor)
PAGE = (LIMIT, CURSOR)  # cursor paging, as every list of the services takes it
ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"  # not "." or "..": an id never names another path of a service
CustomerId = Annotated[str, PathParam(max_length=64, description="A customer id.", examples=["c_01HZX3K9"])]
CUSTOMER = {"customer_id": CustomerId}  # with checks_customer_id, one that cannot name a customer is not forwarded


def id_path(example: str, pattern: str = ID_PATTERN, max_length: int = 64) -> Any:
    """A path parameter naming one resource of a service."""
    return Annotated[str, PathParam(min_length=1, max_length=max_length, pattern=pattern, examples=[example])]


@dataclass(frozen=True)
class Audited:
    """A change the audit log records (services/gateway/audit.py): its action, and its target, the path
    parameter `target` or, for a creation, the answer's field `answer_id` (the row is written before the call)."""

    action: str
    target: str | None = None
    answer_id: str | None = None
    fixed_target: str | None = None  # a workspace's settings: the same target always (e.g. `messaging`)


@dataclass(frozen=True)
class PassThrough:
    """One public endpoint that passes its request on to `service` at `internal` (see the module docstring)."""

    name: str  # the handler's name: the OpenAPI operation id is made of it, the path and the method
    method: Method
    path: str  # the public path, e.g. /v1/deals/{deal_id}/move
    service: Service
    internal: str  # under the workspace at the service, e.g. /deals/{deal_id}/move (ids filled in as segments)
    scope: str
    answer: Any  # the public answer model (list[Model] for a list); None: 204 No Content
    not_found: str = "not found"  # the 404's detail when the service holds nothing there
    path_params: Mapping[str, Any] = field(default_factory=dict)  # name: Annotated[str, Path(...)], in order
    query: tuple[QueryParam, ...] = ()
    body: Any = None  # the body's annotation (a model, or Annotated[dict, Body(...)]); None: no body
    body_required: bool = True
    body_name: str = "body"  # the handler's name of it: the title of a body schema that is not a model
    status_code: int = 200
    quota: str | None = None  # the workspace quota a creation counts against (its 409 names it)
    creates: bool = False  # a PUT that makes what its path names when there is none: no 404
    refusable: bool = False  # a write the service may refuse as things stand: 409 naming why (e.g. `blockers`)
    more_problems: tuple[int, ...] = ()  # e.g. a create that names another resource: 404
    validation_described: bool = True  # False: the 422 keeps FastAPI's description, as it always had
    forward_idempotency: bool = False  # the service keeps answers per Idempotency-Key (a create)
    replaces_existing_only: bool = False  # a PUT of the public API never creates: 404 unless it exists
    checks_customer_id: bool = False  # a customer_id that cannot name a customer is a 404 without a call
    wraps_items: bool = False  # the service answers a bare list; the public answer is {"items": [...]}
    audited: Audited | None = None
    openapi_extra: dict[str, Any] | None = None

    @property
    def summary(self) -> str:
        return str(_words()["operations"][self.name]["summary"])

    @property
    def description(self) -> str:
        return str(_words()["operations"][self.name]["description"])

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def problem_statuses(self) -> tuple[int, ...]:
        """What the row documents: from its input, what it names and whether the service may refuse it (plus
        `more_problems`); a read is never refusable."""
        takes_input = bool(self.path_params or self.query or self.body is not None)
        statuses = {*PROBLEMS, *self.more_problems} | ({409} if self.refusable and self.writes else set())
        statuses |= {422} if takes_input and self.validation_described else set()
        statuses |= {404} if self.path_params and not self.creates else set()
        return tuple(sorted(statuses))

    def responses(self) -> dict[int | str, dict[str, Any]]:
        documented = problems(*self.problem_statuses)
        return {**documented, **quota_conflict(self.quota)} if self.quota else documented


class Words(TypedDict):
    summary: str
    description: str


class Documented(Words):
    response_model: Any
    responses: dict[int | str, dict[str, Any]]


def documented(operation: str, answer: Any, responses: dict[int | str, dict[str, Any]]) -> Documented:
    """A route written out, as the OpenAPI document shows it: `**documented(name, answer model, responses)`."""
    return Documented(**described(operation), response_model=answer, responses=responses)


def described(operation: str) -> Words:
    """An operation's summary and description (operations.yaml), for a route written out: `**described(name)`."""
    words = _words()["operations"][operation]
    return Words(summary=words["summary"], description=words["description"])


@cache
def _words() -> dict[str, Any]:
    """operations.yaml: each operation's summary and description by its name, and the documents' descriptions."""
    words: dict[str, Any] = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    return words


def register(router: APIRouter, rows: tuple[PassThrough, ...]) -> None:
    for row in rows:
        no_content: dict[str, Any] = {"response_class": Response} if row.answer is None else {}
        router.add_api_route(
            row.path,
            _endpoint(row),
            methods=[row.method],
            status_code=row.status_code if row.answer is not None else 204,
            summary=row.summary,
            description=row.description,
            response_model=row.answer,
            responses=row.responses(),
            openapi_extra=row.openapi_extra,
            **no_content,
        )


def _signature(row: PassThrough) -> inspect.Signature:
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("request", keyword, annotation=Request)]
    params += [inspect.Parameter(name, keyword, annotation=kind) for name, kind in row.path_params.items()]
    if row.body is not None:
        default = inspect.Parameter.empty if row.body_required else None
        params.append(inspect.Parameter(row.body_name, keyword, annotation=row.body, default=default))
    principal = Annotated[Principal, Depends(require(row.scope))]
    params.append(inspect.Parameter("principal", keyword, annotation=principal))
    params += [inspect.Parameter(q.name, keyword, annotation=q.annotation, default=q.default) for q in row.query]
    if row.writes:
        params.append(inspect.Parameter("idempotency_key", keyword, annotation=IdempotencyKey, default=None))
    return inspect.Signature(params)


def _endpoint(row: PassThrough) -> Callable[..., Any]:
    async def endpoint(**given: Any) -> Any:
        request: Request = given["request"]
        principal: Principal = given["principal"]
        if row.checks_customer_id and not is_plausible_customer_id(given["customer_id"]):
            raise ProblemError(404, CUSTOMER_NOT_FOUND)  # cannot name a customer; do not forward it
        if row.audited is None:
            return await _pass(row, request, principal, given)
        target = given[row.audited.target] if row.audited.target else row.audited.fixed_target or audit.NEW_TARGET
        async with audit.audited(request, principal, row.audited.action, target) as change:
            answer = await _pass(row, request, principal, given)
            if row.audited.answer_id:
                change.target = getattr(answer, row.audited.answer_id)
        return answer

    endpoint.__name__ = endpoint.__qualname__ = row.name
    endpoint.__signature__ = _signature(row)  # type: ignore[attr-defined]
    return endpoint


async def _pass(row: PassThrough, request: Request, principal: Principal, given: dict[str, Any]) -> Any:
    client: ServiceClient = getattr(gateway_context(request), row.service)
    ids = {name: segment(given[name]) for name in row.path_params}
    path = workspace_path(principal.workspace, row.internal.format(**ids))
    if row.method == "GET":
        params = {q.service_name: q.forwarded(given[q.name]) for q in row.query}
        params = {name: value for name, value in params.items() if value is not None}
        doc = await client.get(path, params=params or None, not_found=row.not_found)
    else:
        if row.replaces_existing_only:
            await client.get(path, not_found=row.not_found)
        headers = idempotency_headers(principal, given["idempotency_key"]) if row.forward_idempotency else None
        body = _body(row, given.get(row.body_name))
        doc = await client.send(row.method, path, body, not_found=row.not_found, headers=headers)
    if row.answer is None:
        return Response(status_code=204)
    return _answer(row, {"items": doc} if row.wraps_items else doc)


def _body(row: PassThrough, body: Any) -> Any:
    """What the service gets: the body as JSON (a PATCH: only the fields sent), `{}` for an optional body left
    out, nothing for a row without one."""
    if row.body is None:
        return None
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", exclude_unset=row.method == "PATCH")
    return {} if body is None else body


@cache
def _adapter(answer: Any) -> TypeAdapter[Any]:
    return TypeAdapter(answer)


def _answer(row: PassThrough, doc: Any) -> Any:
    if isinstance(row.answer, type) and issubclass(row.answer, BaseModel):
        return parse(row.answer, doc, row.service)
    try:
        return _adapter(row.answer).validate_python(doc)
    except ValidationError:
        raise ProblemError(502, f"the {row.service} service gave an unexpected answer") from None
