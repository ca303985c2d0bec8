"""RFC 9457 problem+json for every error a Flywheel HTTP API answers."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from runtime.problem_catalogue import TYPE_URIS, problem_type

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(examples=["data.amount"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])


class Problem(BaseModel):
    """An error: `type`, `title`, `status`, `detail`, and for validation errors the bad fields."""

    type: str = Field(
        description="What kind of error: a page under /problems/ (relative to the request's URL) says when it "
        "happens and what to do.",
        examples=["/problems/validation"],
        json_schema_extra={"enum": list(TYPE_URIS)},
    )
    title: str = Field(description="The type's title, the same for each occurrence.", examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str | None = Field(None, examples=["2 of 3 events are invalid"])
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem document. `type_` is a slug of the catalogue
    (runtime.problem_catalogue); without one, the status's default type."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = problem_type(status, type_).slug
        self.errors = errors
        self.headers = headers
        self.extra = extra or {}


def problem_response(
    status: int,
    detail: str | None,
    *,
    type_: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """`type_`: a slug of the catalogue (runtime.problem_catalogue); None: the status's default type."""
    kind = problem_type(status, type_)
    body: dict[str, Any] = {"type": kind.uri, "title": kind.title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        errors.append({"field": ".".join(loc) or "(request)", "message": str(err.get("msg", "invalid"))})
    return errors


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status, exc.detail, type_=exc.type, errors=exc.errors, headers=exc.headers, extra=exc.extra
        )

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = _validation_errors(exc)
        return problem_response(422, f"{len(errors)} invalid field(s)", type_="validation", errors=errors)

    async def on_unstorable_text(_: Request, exc: Exception) -> JSONResponse:
        # PostgreSQL text cannot hold U+0000 (and jsonb no "\\u0000"): the caller's input, not our failure.
        detail = "the request holds text PostgreSQL cannot store (such as the NUL character U+0000)"
        return problem_response(422, detail, type_="validation")

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(500, "internal error; the request was logged")

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(CharacterNotInRepertoireError, on_unstorable_text)
    app.add_exception_handler(UntranslatableCharacterError, on_unstorable_text)
    app.add_exception_handler(Exception, on_unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in (404, 422, 500)
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the given error statuses (documented as problem+json)."""
    return {status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses}


def problems_as_problem_json(schema: dict[str, Any]) -> dict[str, Any]:
    """FastAPI documents a response `model` under application/json (or the route's own media type); errors are
    sent as application/problem+json, so move every 4xx/5xx schema to that media type."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[0] not in "45":
                    continue
                if "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
                # A route answering another media type (an HTML page) documents its problems under that one.
                for media_type in [m for m in content if m != PROBLEM_JSON]:
                    if content[media_type].get("schema", {}).get("$ref", "").endswith("/Problem"):
                        content[PROBLEM_JSON] = content.pop(media_type)
    return schema
