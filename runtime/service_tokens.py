"""Service-to-service tokens: who calls a service's internal API, for which workspace, with which scopes.

A token is a JWT signed with HS256 (RFC 7519), sent as `Authorization: Bearer <token>`:
    header  {"alg": "HS256", "kid": "<key id>", "typ": "JWT"}
    claims  {"iss": "<calling service>", "aud": "flywheel-internal", "workspace": "<workspace>",
             "scope": "<scopes, space separated>", "sub": "<API key id the caller acts for>",
             "iat": <issued at>, "exp": <iat + FLYWHEEL_INTERNAL_TOKEN_TTL_S>}
`workspace` is absent from a token for routes outside any workspace (journey's clock control) and `sub`
when the caller acts for no API key. Keys come from FLYWHEEL_INTERNAL_TOKEN_KEYS, `kid:secret,...`: the
first key signs, every key verifies, so a new key is rolled out as a second key first, then moved to the
front, and the old one removed once no token signed with it can still be alive (the TTL).
Empty: DEVELOPMENT_KEY, which the production guard (runtime/production_guard.py) refuses.

Every service's internal routes verify the token once, in ServiceTokenMiddleware (installed by
runtime/http.py's create_service_app): no or a malformed token, a bad signature, an unknown key id, an
expired token or another audience is 401; a token of another workspace than the path's is 403.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from starlette.types import ASGIApp, Receive, Scope, Send

from runtime.problems import problem_response
from runtime.settings import RuntimeSettings

AUDIENCE = "flywheel-internal"
ALGORITHM = "HS256"
DEVELOPMENT_KEY_ID = "development"
DEVELOPMENT_SECRET = "flywheel-development-only-internal-token-key-never-in-production"  # noqa: S105
DEVELOPMENT_KEY = f"{DEVELOPMENT_KEY_ID}:{DEVELOPMENT_SECRET}"
"""The key used when FLYWHEEL_INTERNAL_TOKEN_KEYS is empty: public, so development only."""

INTERNAL_PREFIX = "/internal/"
_WORKSPACES_PREFIX = "/internal/v1/workspaces/"
LEEWAY_S = 5.0
"""Clock skew tolerated between the caller's and the service's clocks (expiry and issue time)."""

CHALLENGE = {"WWW-Authenticate": f'Bearer realm="{AUDIENCE}"'}
INVALID_CHALLENGE = {"WWW-Authenticate": f'Bearer realm="{AUDIENCE}", error="invalid_token"'}


class InvalidServiceToken(Exception):
    """The token proves nothing; `reason` says why (the 401's detail: it names no secret)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ServiceTokenKeys:
    """(kid, secret) pairs: the first signs, every one verifies."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, text: str) -> ServiceTokenKeys:
        """`kid:secret,...` (empty: the development key). Raises ValueError naming what is wrong, never a secret."""
        entries = [entry.strip() for entry in (text.strip() or DEVELOPMENT_KEY).split(",")]
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(entries, start=1):
            kid, colon, secret = entry.partition(":")
            kid, secret = kid.strip(), secret.strip()
            if not colon or not kid or not secret:
                raise ValueError(
                    f"FLYWHEEL_INTERNAL_TOKEN_KEYS: entry {position} is not `kid:secret` (a key id, a colon, a secret)"
                )
            if any(kid == known for known, _ in keys):
                raise ValueError(f"FLYWHEEL_INTERNAL_TOKEN_KEYS: key id {kid!r} is given twice")
            keys.append((kid, secret.encode()))
        return cls(tuple(keys))

    @classmethod
    def from_settings(cls, settings: RuntimeSettings) -> ServiceTokenKeys:
        return cls.parse(settings.internal_token_keys)

    @property
    def signing(self) -> tuple[str, bytes]:
        return self.keys[0]

    @property
    def is_development(self) -> bool:
        return any(kid == DEVELOPMENT_KEY_ID or secret == DEVELOPMENT_SECRET.encode() for kid, secret in self.keys)

    def secret_of(self, kid: str) -> bytes | None:
        return next((secret for known, secret in self.keys if known == kid), None)


@dataclass(frozen=True)
class ServiceToken:
    """What a verified token says."""

    caller: str
    workspace: str | None
    scopes: frozenset[str]
    subject: str | None
    expires_at: float


class TokenIssuer:
    """Mints tokens for one caller. `token()` keeps a token per (workspace, scopes, subject) and hands it out
    again until half its life is gone: a call costs a dict lookup rather than a signature (the gateway's 360
    view makes six calls per request)."""

    def __init__(
        self,
        keys: ServiceTokenKeys,
        caller: str,
        ttl_s: float,
        clock: Callable[[], float] = time.time,
        max_cached: int = 10_000,
    ) -> None:
        self.keys = keys
        self.caller = caller
        self.ttl_s = ttl_s
        self._clock = clock
        self._max_cached = max_cached
        self._cached: dict[tuple[str | None, frozenset[str], str | None], tuple[float, str]] = {}

    @classmethod
    def for_settings(cls, settings: RuntimeSettings, caller: str) -> TokenIssuer:
        return cls(ServiceTokenKeys.from_settings(settings), caller, settings.internal_token_ttl_s)

    def token(self, workspace: str | None, scopes: Iterable[str] = (), subject: str | None = None) -> str:
        scope_set = scopes if isinstance(scopes, frozenset) else frozenset(scopes)
        key = (workspace, scope_set, subject)
        now = self._clock()
        cached = self._cached.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        token = self.mint(workspace, scope_set, subject, now=now)
        if len(self._cached) >= self._max_cached:
            self._cached.clear()  # many workspaces at once: start over rather than grow
        self._cached[key] = (now + self.ttl_s / 2, token)
        return token

    def mint(
        self,
        workspace: str | None,
        scopes: Iterable[str] = (),
        subject: str | None = None,
        *,
        now: float | None = None,
        ttl_s: float | None = None,
        kid: str | None = None,
        secret: bytes | None = None,
    ) -> str:
        """A new token (tests pass `now`, `ttl_s`, `kid` or `secret` to make expired or forged ones)."""
        issued = int(self._clock() if now is None else now)
        signing_kid, signing_secret = self.keys.signing
        claims: dict[str, Any] = {
            "iss": self.caller,
            "aud": AUDIENCE,
            "scope": " ".join(sorted(scopes)),
            "iat": issued,
            "exp": issued + max(1, int(self.ttl_s if ttl_s is None else ttl_s)),
        }
        if workspace is not None:
            claims["workspace"] = workspace
        if subject is not None:
            claims["sub"] = subject
        return jwt.encode(
            claims, secret or signing_secret, algorithm=ALGORITHM, headers={"kid": kid or signing_kid, "typ": "JWT"}
        )

    def authorization(self, workspace: str | None, scopes: Iterable[str] = (), subject: str | None = None) -> str:
        return f"Bearer {self.token(workspace, scopes, subject)}"


class TokenVerifier:
    """Checks tokens against every configured key. A verified token is remembered (bounded) until it
    expires: the same token comes again on every call within its life, and a dict lookup is a fraction of
    a signature check."""

    def __init__(
        self,
        keys: ServiceTokenKeys,
        clock: Callable[[], float] = time.time,
        leeway_s: float = LEEWAY_S,
        max_cached: int = 10_000,
    ) -> None:
        self.keys = keys
        self._clock = clock
        self._leeway_s = leeway_s
        self._max_cached = max_cached
        self._verified: dict[str, ServiceToken] = {}

    def verify(self, token: str) -> ServiceToken:
        now = self._clock()
        known = self._verified.get(token)
        if known is not None:
            if known.expires_at + self._leeway_s > now:
                return known
            del self._verified[token]
            raise InvalidServiceToken("the service token has expired")
        verified = self._verify_signed(token, now)
        if len(self._verified) >= self._max_cached:
            self._verified.clear()
        self._verified[token] = verified
        return verified

    def _verify_signed(self, token: str, now: float) -> ServiceToken:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise InvalidServiceToken("the service token is malformed (not a JWT)") from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM:
            raise InvalidServiceToken(f"the service token must be signed with {ALGORITHM}")
        secret = self.keys.secret_of(kid) if isinstance(kid, str) else None
        if secret is None:
            raise InvalidServiceToken("the service token's key id (kid) is unknown")
        try:
            # Times are checked below against this verifier's clock (PyJWT would read its own).
            claims = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["exp", "iat", "iss", "aud"], "verify_exp": False, "verify_iat": False},
            )
        except jwt.InvalidSignatureError:
            raise InvalidServiceToken("the service token's signature does not verify") from None
        except jwt.InvalidAudienceError:
            raise InvalidServiceToken(f"the service token is not for {AUDIENCE}") from None
        except jwt.InvalidTokenError as exc:
            raise InvalidServiceToken(f"the service token is invalid: {str(exc)[:200]}") from None
        expires, issued = claims["exp"], claims["iat"]
        if not isinstance(expires, int | float) or not isinstance(issued, int | float):
            raise InvalidServiceToken("the service token's `exp` and `iat` must be numbers")
        if expires + self._leeway_s <= now:
            raise InvalidServiceToken("the service token has expired")
        if issued - self._leeway_s > now:
            raise InvalidServiceToken("the service token is issued in the future")
        return _claims(claims)


def _claims(claims: dict[str, Any]) -> ServiceToken:
    caller, workspace, scope, subject = (
        claims["iss"],
        claims.get("workspace"),
        claims.get("scope", ""),
        claims.get("sub"),
    )
    if not isinstance(caller, str) or not isinstance(scope, str):
        raise InvalidServiceToken("the service token's `iss` and `scope` must be strings")
    if workspace is not None and not isinstance(workspace, str):
        raise InvalidServiceToken("the service token's `workspace` must be a string")
    if subject is not None and not isinstance(subject, str):
        raise InvalidServiceToken("the service token's `sub` must be a string")
    return ServiceToken(caller, workspace, frozenset(scope.split()), subject, float(claims["exp"]))


def workspace_in_path(path: str) -> str | None:
    """The workspace a (percent-decoded) internal path names, `/internal/v1/workspaces/{workspace}/...`,
    read as the services' routes read it (up to the next slash); None for a path outside any workspace."""
    if not path.startswith(_WORKSPACES_PREFIX):
        return None
    return path[len(_WORKSPACES_PREFIX) :].partition("/")[0]


def bearer_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


class ServiceTokenMiddleware:
    """Every request under /internal/ carries a valid token, and a workspace route one of its workspace.
    The verified token is `request.state.service_token` for the route."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(INTERNAL_PREFIX):
            await self.app(scope, receive, send)
            return
        token = bearer_of(scope)
        if token is None:
            refusal = problem_response(
                401, "a service token is required: Authorization: Bearer <token>", headers=CHALLENGE
            )
            await refusal(scope, receive, send)
            return
        try:
            verified = self.verifier.verify(token)
        except InvalidServiceToken as invalid:
            await problem_response(401, invalid.reason, headers=INVALID_CHALLENGE)(scope, receive, send)
            return
        workspace = workspace_in_path(scope["path"])
        if workspace is not None and verified.workspace != workspace:
            detail = (
                "the service token names no workspace"
                if verified.workspace is None
                else "the service token is for another workspace than the path's"
            )
            await problem_response(403, detail)(scope, receive, send)
            return
        scope.setdefault("state", {})["service_token"] = verified
        await self.app(scope, receive, send)


class ServiceTokenAuth(httpx.Auth):
    """httpx authentication for callers of internal APIs other than the gateway (tests, benchmarks, tools):
    each request gets a token of the workspace its path names, with `scopes`."""

    def __init__(self, issuer: TokenIssuer, scopes: Iterable[str] = ("admin",)) -> None:
        self.issuer = issuer
        self.scopes = frozenset(scopes)

    @classmethod
    def for_settings(
        cls, settings: RuntimeSettings, caller: str, scopes: Iterable[str] = ("admin",)
    ) -> ServiceTokenAuth:
        return cls(TokenIssuer.for_settings(settings, caller), scopes)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        workspace = workspace_in_path(request.url.path)  # percent-decoded, as the service reads it
        request.headers["Authorization"] = self.issuer.authorization(workspace, self.scopes)
        yield request
