"""Service-to-service tokens (runtime.service_tokens): keys, minting, verification and the gateway's signing."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import jwt
import pytest

from runtime.service_tokens import (
    AUDIENCE,
    DEVELOPMENT_KEY_ID,
    InvalidServiceToken,
    ServiceTokenAuth,
    ServiceTokenKeys,
    TokenIssuer,
    TokenVerifier,
    workspace_in_path,
)
from runtime.settings import RuntimeSettings
from services.gateway.domain import Principal
from services.gateway.service_client import ACTING_FOR, SignedServiceHttp
from services.gateway.service_http import ServiceAnswer

NEW = "k2:" + "n" * 40
OLD = "k1:" + "o" * 40
NOW = 1_800_000_000.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def issuer(keys: str = NEW, clock: Clock | None = None, ttl_s: float = 60) -> TokenIssuer:
    return TokenIssuer(ServiceTokenKeys.parse(keys), "gateway", ttl_s, clock=clock or Clock())


def verifier(keys: str = NEW, clock: Clock | None = None) -> TokenVerifier:
    return TokenVerifier(ServiceTokenKeys.parse(keys), clock=clock or Clock())


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    def decoded(part: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return value

    header, claims, _ = token.split(".")
    return decoded(header), decoded(claims)


def test_the_token_names_key_caller_workspace_scopes_and_expiry() -> None:
    token = issuer().mint("acme", {"customers:read", "events:write"}, "key_1")
    header, claims = parts(token)
    assert header == {"alg": "HS256", "kid": "k2", "typ": "JWT"}
    assert claims == {
        "iss": "gateway",
        "aud": AUDIENCE,
        "workspace": "acme",
        "scope": "customers:read events:write",
        "sub": "key_1",
        "iat": int(NOW),
        "exp": int(NOW) + 60,
    }
    verified = verifier().verify(token)
    assert (verified.caller, verified.workspace, verified.scopes, verified.subject) == (
        "gateway",
        "acme",
        frozenset({"customers:read", "events:write"}),
        "key_1",
    )


def test_a_token_outside_any_workspace_has_no_workspace_claim() -> None:
    _, claims = parts(issuer().mint(None))
    assert "workspace" not in claims and "sub" not in claims and claims["scope"] == ""
    assert verifier().verify(issuer().mint(None)).workspace is None


def test_keys_rotate_the_first_signs_every_one_verifies() -> None:
    old_token = issuer(OLD).mint("acme")
    rolled_out = verifier(f"{NEW},{OLD}")
    assert rolled_out.verify(old_token).workspace == "acme"
    assert parts(issuer(f"{NEW},{OLD}").mint("acme"))[0]["kid"] == "k2"
    with pytest.raises(InvalidServiceToken, match="key id"):
        verifier(NEW).verify(old_token)  # the old key is gone


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k1", "entry 1 is not `kid:secret`"),
        ("k1:abc,:def", "entry 2 is not `kid:secret`"),
        ("k1:", "entry 1"),
        ("k1:a,k1:b", "key id 'k1' is given twice"),
    ],
)
def test_malformed_keys_are_refused_without_echoing_a_secret(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        ServiceTokenKeys.parse(text)
    assert "abc" not in str(refused.value) and "def" not in str(refused.value)


def test_empty_keys_mean_the_development_key() -> None:
    keys = ServiceTokenKeys.parse("")
    assert keys.signing[0] == DEVELOPMENT_KEY_ID and keys.is_development
    assert not ServiceTokenKeys.parse(NEW).is_development


def test_an_expired_token_is_refused_after_the_leeway() -> None:
    clock = Clock()
    token = issuer(clock=clock).mint("acme")
    check = verifier(clock=clock)
    clock.now = NOW + 60 + 4
    assert check.verify(token).workspace == "acme"  # within the 5 s of clock skew tolerated
    clock.now = NOW + 60 + 6
    with pytest.raises(InvalidServiceToken, match="expired"):
        check.verify(token)  # also once it was verified and remembered


def test_an_expired_token_never_seen_is_refused() -> None:
    with pytest.raises(InvalidServiceToken, match="expired"):
        verifier().verify(issuer().mint("acme", now=NOW - 3600))


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (lambda i: i.mint("acme", secret=b"x" * 40), "signature does not verify"),
        (lambda i: i.mint("acme", kid="k9"), "key id"),
        (lambda i: "not-a-token", "malformed"),
        (
            lambda i: jwt.encode(
                {"iss": "x", "aud": AUDIENCE, "exp": NOW + 60, "iat": NOW},
                None,  # type: ignore[arg-type]  # PyJWT's hints forbid the key None that its "none" algorithm requires
                algorithm="none",
            ),
            "HS256",
        ),
        (
            lambda i: jwt.encode(
                {"iss": "x", "aud": "elsewhere", "exp": NOW + 60, "iat": NOW},
                "n" * 40,
                algorithm="HS256",
                headers={"kid": "k2"},
            ),
            "not for flywheel-internal",
        ),
        (
            lambda i: jwt.encode(
                {"aud": AUDIENCE, "exp": NOW + 60, "iat": NOW}, "n" * 40, algorithm="HS256", headers={"kid": "k2"}
            ),
            "iss",
        ),
        (lambda i: i.mint("acme", now=NOW + 3600), "future"),
    ],
)
def test_forged_or_foreign_tokens_are_refused(forge: Any, reason: str) -> None:
    with pytest.raises(InvalidServiceToken, match=reason):
        verifier().verify(forge(issuer()))


def test_a_token_is_reused_for_half_its_life_then_renewed() -> None:
    clock = Clock()
    tokens = issuer(clock=clock)
    first = tokens.token("acme", ["customers:read"])
    assert tokens.token("acme", frozenset({"customers:read"})) is first
    assert tokens.token("other", ["customers:read"]) != first
    clock.now = NOW + 29
    assert tokens.token("acme", ["customers:read"]) is first
    clock.now = NOW + 31
    renewed = tokens.token("acme", ["customers:read"])
    assert renewed != first and parts(renewed)[1]["exp"] == int(NOW) + 31 + 60


@pytest.mark.parametrize(
    ("path", "workspace"),
    [
        ("/internal/v1/workspaces/acme/customers", "acme"),
        ("/internal/v1/workspaces/acme", "acme"),
        ("/internal/v1/workspaces/a b/x", "a b"),
        ("/internal/v1/workspaces//x", ""),
        ("/internal/v1/clock/advance", None),
        ("/v1/customers", None),
    ],
)
def test_the_workspace_of_a_path_is_read_as_the_routes_read_it(path: str, workspace: str | None) -> None:
    assert workspace_in_path(path) == workspace


class Recorder:
    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    async def request(self, method: str, url: str, **kw: Any) -> ServiceAnswer:
        self.headers.append(kw["headers"])
        return ServiceAnswer(200, b"{}")

    async def __aenter__(self) -> Recorder:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


async def test_the_gateway_signs_each_call_for_the_paths_workspace_and_the_keys_scopes() -> None:
    recorder = Recorder()
    signed = SignedServiceHttp(recorder, issuer())
    principal = Principal("acme", frozenset({"customers:read"}), "key_7")
    reset = ACTING_FOR.set(principal)
    try:
        await signed.request("GET", "/internal/v1/workspaces/acme/customers/c%2F1", headers={"traceparent": "t"})
        await signed.request("GET", "/internal/v1/workspaces/acme/scores")
    finally:
        ACTING_FOR.reset(reset)
    await signed.request("GET", "/internal/v1/workspaces/acme/x")  # outside a request: no key, no scopes
    first, second, outside = recorder.headers
    assert first["traceparent"] == "t" and first["authorization"] == second["authorization"]
    token = verifier().verify(first["authorization"].removeprefix("Bearer "))
    assert (token.caller, token.workspace, token.scopes, token.subject) == (
        "gateway",
        "acme",
        frozenset({"customers:read"}),
        "key_7",
    )
    bare = verifier().verify(outside["authorization"].removeprefix("Bearer "))
    assert bare.scopes == frozenset() and bare.subject is None and bare.workspace == "acme"


def test_httpx_callers_sign_each_request_for_its_paths_workspace() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200)

    auth = ServiceTokenAuth.for_settings(RuntimeSettings(internal_token_keys=NEW), "tests")
    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://s", auth=auth) as client:
        client.get("/internal/v1/workspaces/w%201/customers", params={"limit": 1})
        client.post("/internal/v1/clock/advance", json={"seconds": 1})
    real_time = TokenVerifier(ServiceTokenKeys.parse(NEW))
    workspaces = [real_time.verify(header.removeprefix("Bearer ")).workspace for header in seen]
    assert workspaces == ["w 1", None]
