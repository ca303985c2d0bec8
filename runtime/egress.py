"""Where a tenant may make Flywheel send requests: the egress policy for every outbound URL a workspace sets
(journey's webhooks first), so no tenant can reach inside the deployment (SSRF).

A URL passes when
    - it parses (httpx.URL), uses http or https (https only when FLYWHEEL_ENV=production) and carries no
      user name or password;
    - its port is one of FLYWHEEL_WEBHOOK_ALLOWED_PORTS (default 80, 443; the scheme's default when none
      is written), unless its host is on the allowlist;
    - its host is a canonical IP address (four decimal numbers for IPv4: `2130706433`, `0x7f000001`,
      `0177.0.0.1` and `127.1` are refused) or a host name (letters, digits, `-`, `_`, at least two labels)
      that is not internal by construction (`localhost`, `*.localhost`, `*.local`, `*.internal` such as
      `metadata.google.internal`, `*.svc`, `*.lan`, `*.home.arpa`...);
    - every address the host resolves to (within RESOLVE_TIMEOUT_S) is globally routable unicast: not
      loopback, private (RFC 1918), shared (CGNAT), link-local, unique-local, multicast, unspecified,
      broadcast, reserved, documentation or benchmarking, nor an IPv6 address embedding such an IPv4
      address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo).

FLYWHEEL_WEBHOOK_ALLOWED_HOSTS (comma separated host names, IP addresses and CIDR ranges; empty by default)
lets chosen destinations through although internal: a listed host name may resolve anywhere, a listed address
or range is accepted wherever it is reached from, and a listed host (or an address in a listed range) may use
any port. `make run` lists 127.0.0.1, ::1 and localhost so local receivers work.

Checked twice: when the URL is saved (a 422 naming the reason) and before every request (DNS may have changed
since). The request then goes to the addresses just vetted, never to a second DNS answer (no DNS rebinding):
see runtime/egress_transport.py.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""(host, port) -> the addresses it resolves to; raises OSError (socket.gaierror) when it does not."""

RefusalKind = Literal["url", "scheme", "port", "host", "address", "unresolved"]

RESOLVE_TIMEOUT_S = 5.0
DEFAULT_PORTS = {"http": 80, "https": 443}

# Names that only ever mean something inside a network (RFC 6761, RFC 6762, RFC 8375, ICANN's reserved
# `internal`, Kubernetes' `svc`, and the private-use names routers and companies hand out).
INTERNAL_NAMES = ("localhost", "localdomain", "local", "internal", "intranet", "private", "corp", "home", "lan")
INTERNAL_SUFFIXES = (*INTERNAL_NAMES, "home.arpa", "arpa", "svc", "invalid")

# First match names the reason; anything else not globally routable is refused as such at the end.
REFUSED_V4 = tuple(
    (ipaddress.IPv4Network(cidr), kind)
    for cidr, kind in (
        ("0.0.0.0/8", "an unspecified ('this network')"),
        ("10.0.0.0/8", "a private"),
        ("172.16.0.0/12", "a private"),
        ("192.168.0.0/16", "a private"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT)"),
        ("127.0.0.0/8", "a loopback"),
        ("169.254.0.0/16", "a link-local"),
        ("192.0.0.0/24", "an IETF protocol"),
        ("192.0.2.0/24", "a documentation"),
        ("198.51.100.0/24", "a documentation"),
        ("203.0.113.0/24", "a documentation"),
        ("192.88.99.0/24", "a 6to4 relay"),
        ("198.18.0.0/15", "a benchmarking"),
        ("224.0.0.0/4", "a multicast"),
        ("255.255.255.255/32", "the broadcast"),
        ("240.0.0.0/4", "a reserved"),
    )
)
REFUSED_V6 = tuple(
    (ipaddress.IPv6Network(cidr), kind)
    for cidr, kind in (
        ("::/128", "the unspecified"),
        ("::1/128", "the loopback"),
        ("64:ff9b:1::/48", "a local-use NAT64"),
        ("100::/64", "a discard-only"),
        ("2001::/23", "an IETF protocol"),
        ("2001:db8::/32", "a documentation"),
        ("3fff::/20", "a documentation"),
        ("fc00::/7", "a unique-local"),
        ("fe80::/10", "a link-local"),
        ("fec0::/10", "a site-local"),
        ("ff00::/8", "a multicast"),
    )
)
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_TEREDO = ipaddress.IPv6Network("2001::/32")

_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_CANONICAL_V4 = re.compile(
    r"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$"
)


class EgressRefused(Exception):
    """The policy refuses a destination; `reason` says why in words a tenant understands. `transient`
    refusals (the name did not resolve) may pass later; the others will not until the URL changes."""

    def __init__(self, reason: str, kind: RefusalKind, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.transient = transient


@dataclass(frozen=True)
class Destination:
    """A vetted destination: the URL's host as requests name it, its port, and the addresses to dial."""

    scheme: str
    host: str  # lower case, IDNA-encoded; an IPv6 address without brackets
    port: int
    addresses: tuple[str, ...]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any."""
    if address in _MAPPED or (address in _COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def address_refusal(address: IPAddress) -> str | None:
    """Why `address` is no public destination ("a private address", ...), or None when it is one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_v4(address)
        if embedded is not None:
            inner = address_refusal(embedded)
            return f"an IPv6 address embedding {embedded}, {inner}" if inner else None
        if address in _TEREDO and address.teredo is not None:
            for inner_v4 in address.teredo:
                inner = address_refusal(inner_v4)
                if inner:
                    return f"a Teredo address embedding {inner_v4}, {inner}"
        for network, kind in REFUSED_V6:
            if address in network:
                return f"{kind} address"
    else:
        for network4, kind in REFUSED_V4:
            if address in network4:
                return f"{kind} address"
    return None if address.is_global else "not a globally routable address"


def _v4_spelling(host: str) -> bool:
    """True when a URL parser (WHATWG, inet_aton) would read `host` as an IPv4 address: its last label is
    a number (decimal, or hex with 0x). Such a host must then be written canonically."""
    labels = host.split(".")
    if labels and labels[-1] == "":
        labels = labels[:-1]
    return bool(labels) and bool(_NUMERIC_LABEL.match(labels[-1]))


def _internal_name(name: str) -> bool:
    labels = name.split(".")
    if len(labels) < 2:
        return True  # a single label resolves through search domains: a cluster service, a LAN host
    return any(name == suffix or name.endswith(f".{suffix}") for suffix in INTERNAL_SUFFIXES)


class EgressSettings(Protocol):
    """Where a policy is read from: journey's settings (services/journey/settings.py)."""

    @property
    def webhook_allowed_hosts(self) -> str: ...

    @property
    def webhook_allowed_ports(self) -> str: ...

    @property
    def env(self) -> str: ...


@dataclass(frozen=True)
class EgressPolicy:
    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_ports: frozenset[int] = frozenset({80, 443})
    require_https: bool = False
    resolver: Resolver = field(default=system_resolver, compare=False)
    resolve_timeout_s: float = RESOLVE_TIMEOUT_S

    @classmethod
    def from_settings(cls, settings: EgressSettings, resolver: Resolver | None = None) -> EgressPolicy:
        names, networks = parse_allowlist(settings.webhook_allowed_hosts)
        return cls(
            allowed_names=names,
            allowed_networks=networks,
            allowed_ports=parse_ports(settings.webhook_allowed_ports),
            require_https=settings.env == "production",
            resolver=resolver or system_resolver,
        )

    # --- the URL as written ----------------------------------------------------------------------

    def check_url(self, url: str) -> tuple[str, str, int, IPAddress | None]:
        """(scheme, host, port, the host's address when it is one) of an acceptable URL; EgressRefused
        for anything the URL alone refuses (before any DNS)."""
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii").lower()
        except (httpx.InvalidURL, UnicodeError, TypeError) as exc:
            raise EgressRefused(f"not a valid URL ({exc})", "url") from None
        scheme = parsed.scheme
        if self.require_https and scheme != "https":
            raise EgressRefused("must use https", "scheme")
        if scheme not in DEFAULT_PORTS:
            raise EgressRefused("must use http or https", "scheme")
        if parsed.userinfo:
            raise EgressRefused("must not carry a user name or password", "url")
        if not host:
            raise EgressRefused("has no host", "url")
        port = parsed.port if parsed.port is not None else DEFAULT_PORTS[scheme]
        return scheme, host, port, self.check_endpoint(host, port)

    def check_endpoint(self, host: str, port: int) -> IPAddress | None:
        """The host's address when it is one; EgressRefused for a host or port refused as written."""
        address = self._literal_address(host)
        if address is not None:
            self._check_address(address, f"{host} is")
        if not 1 <= port <= 65535:
            raise EgressRefused(f"port {port} does not exist", "port")
        if port not in self.allowed_ports and not self._host_allowed(host, address):
            allowed = ", ".join(str(p) for p in sorted(self.allowed_ports)) or "none"
            raise EgressRefused(f"port {port} is not allowed (allowed: {allowed})", "port")
        return address

    def _literal_address(self, host: str) -> IPAddress | None:
        if ":" in host:  # httpx gives an IPv6 literal without its brackets
            if "%" in host:
                raise EgressRefused("an IPv6 address with a zone is not allowed", "host")
            try:
                return ipaddress.IPv6Address(host)
            except ValueError:
                raise EgressRefused(f"{host!r} is not a valid host", "host") from None
        if _v4_spelling(host):
            if not _CANONICAL_V4.match(host):
                raise EgressRefused(
                    f"{host} is not an IPv4 address in canonical form (four decimal numbers, such as 203.0.113.7)",
                    "host",
                )
            return ipaddress.IPv4Address(host)
        name = host.removesuffix(".")
        if len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
            raise EgressRefused(f"{host!r} is not a valid host name", "host")
        if name not in self.allowed_names and _internal_name(name):
            raise EgressRefused(f"{name} is an internal host name", "host")
        return None

    def _host_allowed(self, host: str, address: IPAddress | None) -> bool:
        if address is not None:
            return self._address_allowed(address)
        return host.removesuffix(".") in self.allowed_names

    def _address_allowed(self, address: IPAddress) -> bool:
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)
        return any(a.version == n.version and a in n for a in candidates for n in self.allowed_networks)

    def _check_address(self, address: IPAddress, subject: str) -> None:
        if self._address_allowed(address):
            return
        refusal = address_refusal(address)
        if refusal:
            raise EgressRefused(f"{subject} {refusal}", "address")

    # --- the addresses behind it -----------------------------------------------------------------

    async def vet(self, url: str) -> Destination:
        """The URL checked and its host resolved and vetted; EgressRefused otherwise."""
        scheme, host, port, address = self.check_url(url)
        if address is not None:
            return Destination(scheme, host, port, (_dialable(address),))
        return Destination(scheme, host, port, await self.vet_host(host, port))

    async def vet_endpoint(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses to dial for (host, port), all vetted; EgressRefused otherwise."""
        address = self.check_endpoint(host, port)
        return (_dialable(address),) if address is not None else await self.vet_host(host, port)

    async def vet_host(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses `host` resolves to, each vetted: refused if any is not a public destination."""
        name = host.removesuffix(".")
        try:
            async with asyncio.timeout(self.resolve_timeout_s):
                answers = await self.resolver(name, port)
        except TimeoutError:
            raise EgressRefused(
                f"{name} did not resolve within {self.resolve_timeout_s:g} s", "unresolved", transient=True
            ) from None
        except OSError as exc:
            detail = exc.strerror or str(exc) or type(exc).__name__
            raise EgressRefused(f"{name} does not resolve ({detail})", "unresolved", transient=True) from None
        addresses: list[str] = []
        for answer in answers:
            written = answer.split("%", 1)[0]
            try:
                address = ipaddress.ip_address(written)
            except ValueError:
                raise EgressRefused(f"{name} resolves to {answer!r}, not an address", "address") from None
            if name not in self.allowed_names:
                self._check_address(address, f"resolves to {written},")
            addresses.append(_dialable(address))
        if not addresses:
            raise EgressRefused(f"{name} resolves to no address", "unresolved", transient=True)
        return tuple(dict.fromkeys(addresses))


def _dialable(address: IPAddress) -> str:
    """The address to connect to: an IPv4-mapped IPv6 address as the IPv4 address it stands for."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def parse_allowlist(value: str) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    """(host names, networks) of FLYWHEEL_WEBHOOK_ALLOWED_HOSTS; ValueError names a bad entry."""
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in value.split(","):
        entry = raw.strip().lower().removeprefix("[").removesuffix("]")
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        name = entry.removesuffix(".")
        if not all(_LABEL.match(label) for label in name.split(".")) or _v4_spelling(name):
            raise ValueError(f"webhook_allowed_hosts: {raw.strip()!r} is no host name, IP address or CIDR range")
        names.add(name)
    return frozenset(names), tuple(networks)


def parse_ports(value: str) -> frozenset[int]:
    ports: set[int] = set()
    for raw in value.split(","):
        if raw.strip():
            if not raw.strip().isdigit() or not 1 <= int(raw) <= 65535:
                raise ValueError(f"webhook_allowed_ports: {raw.strip()!r} is no port")
            ports.add(int(raw))
    return frozenset(ports)
