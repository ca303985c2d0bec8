"""The egress policy (runtime/egress.py) and its transport (runtime/egress_transport.py): every spelling of an
internal destination is refused, the allowlist and ports work, production wants https, and requests dial
only the addresses vetted (a loopback server stands for the receiver; DNS is the test's)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from runtime.egress import EgressPolicy, EgressRefused, address_refusal, parse_allowlist, parse_ports
from runtime.egress_transport import EgressTransport, pinned
from services.journey.settings import JourneyServiceSettings

DNS: dict[str, list[str]] = {
    "hooks.example.com": ["93.184.216.34"],
    "v6.example.com": ["2606:4700::6810:85e5"],
    "rebind.example.com": ["10.0.0.5"],
    "half.example.com": ["93.184.216.34", "169.254.169.254"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
    "cgnat.example.com": ["100.64.0.7"],
    "receiver.example.com": ["127.0.0.1"],
}
LOOKUPS: list[str] = []


async def resolve(host: str, port: int) -> list[str]:
    LOOKUPS.append(host)
    if host == "slow.example.com":
        await asyncio.sleep(10)
    if host not in DNS:
        raise OSError(-2, "Name or service not known")
    return DNS[host]


POLICY = EgressPolicy(resolver=resolve)


async def refusal(url: str, policy: EgressPolicy = POLICY) -> str:
    with pytest.raises(EgressRefused) as caught:
        await policy.vet(url)
    return caught.value.reason


# --- every spelling of an internal destination --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.5/", "10.0.0.5 is a private address"),
        ("http://172.16.3.4/", "172.16.3.4 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:8083/internal/v1/workspaces/acme/channel", "127.0.0.1 is a loopback address"),
        ("http://127.8.9.10/", "127.8.9.10 is a loopback address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified ('this network') address"),
        ("http://224.0.0.251/", "224.0.0.251 is a multicast address"),
        ("http://255.255.255.255/", "255.255.255.255 is the broadcast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://192.0.2.10/", "192.0.2.10 is a documentation address"),
        ("http://198.18.0.1/", "198.18.0.1 is a benchmarking address"),
        ("http://[::1]/", "::1 is the loopback address"),
        ("http://[::]/", ":: is the unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fd12:3456::1]/", "fd12:3456::1 is a unique-local address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[2001:db8::1]/", "2001:db8::1 is a documentation address"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is an IPv6 address embedding 127.0.0.1, a loopback address"),
        ("http://[::ffff:169.254.169.254]/", "embedding 169.254.169.254, a link-local address"),
        ("http://[::ffff:a00:5]/", "embedding 10.0.0.5, a private address"),
        ("http://[::10.0.0.5]/", "embedding 10.0.0.5, a private address"),
        ("http://[64:ff9b::a9fe:a9fe]/", "embedding 169.254.169.254, a link-local address"),
        ("http://[2002:7f00:1::1]/", "embedding 127.0.0.1, a loopback address"),
        ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "a Teredo address embedding 10.0.0.1, a private address"),
        ("http://2130706433/", "2130706433 is not an IPv4 address in canonical form"),
        ("http://0x7f000001/", "0x7f000001 is not an IPv4 address in canonical form"),
        ("http://0x7f.0.0.1/", "0x7f.0.0.1 is not an IPv4 address in canonical form"),
        ("http://127.1/", "127.1 is not an IPv4 address in canonical form"),
        ("http://127.0.1/", "127.0.1 is not an IPv4 address in canonical form"),
        ("http://017700000001/", "017700000001 is not an IPv4 address in canonical form"),
        ("http://8.8.8.8./", "8.8.8.8. is not an IPv4 address in canonical form"),
        ("http://localhost/", "localhost is an internal host name"),
        ("http://LOCALHOST./", "localhost is an internal host name"),
        ("http://app.localhost/", "app.localhost is an internal host name"),
        ("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is an internal host name"),
        ("http://db.internal/", "db.internal is an internal host name"),
        ("http://printer.local/", "printer.local is an internal host name"),
        ("http://journey.flywheel.svc.cluster.local:8080/", "journey.flywheel.svc.cluster.local is an internal"),
        ("http://journey.flywheel.svc/", "journey.flywheel.svc is an internal host name"),
        ("http://router.home.arpa/", "router.home.arpa is an internal host name"),
        ("http://metadata/", "metadata is an internal host name"),
        ("http://kubernetes/", "kubernetes is an internal host name"),
        ("http://rebind.example.com/", "resolves to 10.0.0.5, a private address"),
        ("http://half.example.com/", "resolves to 169.254.169.254, a link-local address"),
        ("http://mapped.example.com/", "resolves to ::ffff:127.0.0.1, an IPv6 address embedding 127.0.0.1, a loopback"),
        ("http://cgnat.example.com/", "resolves to 100.64.0.7, a shared (carrier-grade NAT) address"),
    ],
)
async def test_internal_destinations_are_refused(url: str, reason: str) -> None:
    assert reason in await refusal(url)


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("http://0177.0.0.1/", "url", "not a valid URL"),  # httpx refuses octal itself
        ("ftp://hooks.example.com/x", "scheme", "must use http or https"),
        ("file:///etc/passwd", "scheme", "must use http or https"),
        ("gopher://hooks.example.com/", "scheme", "must use http or https"),
        ("http://user:secret@hooks.example.com/", "url", "must not carry a user name or password"),
        ("http://hooks.example.com@10.0.0.5/", "url", "must not carry a user name or password"),
        ("https://", "url", "has no host"),
        ("/relative", "scheme", "must use http or https"),
        ("http://hooks.example.com:8080/", "port", "port 8080 is not allowed (allowed: 80, 443)"),
        ("http://hooks.example.com:22/", "port", "port 22 is not allowed"),
        ("http://hooks.example.com:0/", "port", "port 0 does not exist"),
        ("http://a%2fb.example.com/", "host", "is not a valid host name"),
        ("http://[fe80::1%25eth0]/", "host", "an IPv6 address with a zone is not allowed"),
        ("http://nowhere.example.com/", "unresolved", "nowhere.example.com does not resolve"),
    ],
)
async def test_urls_refused_as_written_or_unresolved(url: str, kind: str, reason: str) -> None:
    with pytest.raises(EgressRefused) as caught:
        await POLICY.vet(url)
    assert caught.value.kind == kind and reason in caught.value.reason
    assert caught.value.transient == (kind == "unresolved")


async def test_resolution_is_bounded_in_time() -> None:
    policy = EgressPolicy(resolver=resolve, resolve_timeout_s=0.05)
    with pytest.raises(EgressRefused) as caught:
        await policy.vet("https://slow.example.com/")
    assert caught.value.transient and caught.value.reason == "slow.example.com did not resolve within 0.05 s"


async def test_public_destinations_pass_with_the_addresses_to_dial() -> None:
    hooks = await POLICY.vet("https://Hooks.Example.COM/flywheel?x=1")
    assert (hooks.scheme, hooks.host, hooks.port, hooks.addresses) == (
        "https",
        "hooks.example.com",
        443,
        ("93.184.216.34",),
    )
    assert (await POLICY.vet("http://8.8.8.8/hook")).addresses == ("8.8.8.8",)
    assert (await POLICY.vet("https://[2606:4700::1]/")).addresses == ("2606:4700::1",)
    assert (await POLICY.vet("https://v6.example.com/")).addresses == ("2606:4700::6810:85e5",)
    # an IPv4-mapped address of a public one is that address: dialled as IPv4
    assert (await POLICY.vet("http://[::ffff:8.8.8.8]/")).addresses == ("8.8.8.8",)
    assert (await POLICY.vet("http://hooks.example.com:80/")).port == 80


@pytest.mark.parametrize(
    "address", ["0.0.0.0", "10.1.1.1", "127.0.0.1", "169.254.0.1", "100.127.255.255", "::1", "fc00::1", "fe80::"]
)
def test_address_refusal_names_the_range(address: str) -> None:
    import ipaddress

    assert address_refusal(ipaddress.ip_address(address)) is not None


def test_only_globally_routable_addresses_pass() -> None:
    import ipaddress

    for public in ("8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1", "2a00:1450:4001::200e"):
        assert address_refusal(ipaddress.ip_address(public)) is None, public


# --- allowlist, ports, https ---------------------------------------------------------------------------


def policy_from(**settings: Any) -> EgressPolicy:
    return EgressPolicy.from_settings(JourneyServiceSettings(**settings), resolver=resolve)


async def test_nothing_internal_is_allowed_by_default() -> None:
    policy = policy_from()
    assert policy.allowed_names == frozenset() and policy.allowed_networks == ()
    assert policy.allowed_ports == {80, 443} and not policy.require_https
    assert "loopback" in await refusal("http://127.0.0.1/", policy)


async def test_the_allowlist_lets_listed_hosts_addresses_and_ranges_through_on_any_port() -> None:
    policy = policy_from(webhook_allowed_hosts="127.0.0.1, ::1 ,localhost,10.20.0.0/16,[fd00::7]")
    assert (await policy.vet("http://127.0.0.1:8083/hooks")).addresses == ("127.0.0.1",)
    assert (await policy.vet("http://[::1]:9000/")).addresses == ("::1",)
    assert (await policy.vet("http://10.20.3.4:8080/")).addresses == ("10.20.3.4",)
    assert (await policy.vet("http://[fd00::7]/")).addresses == ("fd00::7",)
    assert (await policy.vet("http://[::ffff:127.0.0.1]:8083/")).addresses == ("127.0.0.1",)
    # a listed name may resolve anywhere (here through the test's DNS, which does not know localhost)
    DNS["localhost"] = ["127.0.0.1", "::1"]
    try:
        assert (await policy.vet("http://localhost:8765/x")).addresses == ("127.0.0.1", "::1")
    finally:
        del DNS["localhost"]
    # a name resolving into a listed range passes; its port still has to be allowed
    assert (await policy.vet("http://receiver.example.com/")).addresses == ("127.0.0.1",)
    assert "port 8083 is not allowed" in await refusal("http://receiver.example.com:8083/", policy)
    # what is not listed stays refused
    assert "127.0.0.2 is a loopback address" in await refusal("http://127.0.0.2/", policy)
    assert "10.21.0.1 is a private address" in await refusal("http://10.21.0.1/", policy)
    assert "resolves to 10.0.0.5" in await refusal("http://rebind.example.com/", policy)
    assert "app.localhost is an internal host name" in await refusal("http://app.localhost/", policy)
    assert "169.254.169.254 is a link-local" in await refusal("http://169.254.169.254/", policy)


async def test_allowed_ports_are_a_setting() -> None:
    policy = policy_from(webhook_allowed_ports="443,8443")
    assert (await policy.vet("https://hooks.example.com:8443/")).port == 8443
    assert "port 80 is not allowed (allowed: 443, 8443)" in await refusal("http://hooks.example.com/", policy)


async def test_production_requires_https() -> None:
    policy = policy_from(env="production")
    assert policy.require_https
    assert await refusal("http://hooks.example.com/", policy) == "must use https"
    assert (await policy.vet("https://hooks.example.com/")).port == 443


def test_bad_settings_are_refused_at_start_up() -> None:
    assert parse_allowlist("") == (frozenset(), ())
    assert parse_allowlist("Hooks.Example.com.,127.0.0.0/8")[0] == {"hooks.example.com"}
    with pytest.raises(ValueError, match="no host name, IP address or CIDR range"):
        parse_allowlist("http://localhost")
    with pytest.raises(ValueError, match="no host name"):
        parse_allowlist("127.1")
    assert parse_ports(" 80, 443 ,") == {80, 443}
    for bad in ("http", "0", "70000", "-1"):
        with pytest.raises(ValueError, match="no port"):
            parse_ports(bad)


# --- connecting only to the vetted addresses -----------------------------------------------------------


class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1 answering 200 "ok" to every request, counting connections."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[bytes] = []
        self.port = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.requests.append(head)
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                await reader.readexactly(length)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    loopback = LoopbackServer()
    listening = await asyncio.start_server(loopback._serve, "127.0.0.1", 0)
    loopback.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield loopback


async def test_requests_dial_the_vetted_address_not_a_second_dns_answer(server: LoopbackServer) -> None:
    policy = EgressPolicy(
        allowed_networks=parse_allowlist("127.0.0.1")[1], allowed_ports=frozenset({server.port}), resolver=resolve
    )
    url = f"http://receiver.example.com:{server.port}/hook"
    destination = await policy.vet(url)
    assert destination.addresses == ("127.0.0.1",)
    LOOKUPS.clear()
    DNS["receiver.example.com"] = ["169.254.169.254"]  # rebound right after the check
    try:
        limits = httpx.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=30)
        async with httpx.AsyncClient(transport=EgressTransport(policy, limits), trust_env=False) as client:
            with pinned(destination):
                first = await client.post(url, content=b"{}")
                second = await client.post(url, content=b"{}")
        assert first.status_code == second.status_code == 200 and first.text == "ok"
        assert LOOKUPS == [], "no second lookup: the connection dialled the vetted address"
        assert server.connections == 1, "the connection was pooled and reused"
        assert b"host: receiver.example.com" in server.requests[0].lower(), "the request names the host, not the IP"
    finally:
        DNS["receiver.example.com"] = ["127.0.0.1"]


async def test_a_connection_made_outside_pinned_vets_its_host(server: LoopbackServer) -> None:
    policy = EgressPolicy(allowed_ports=frozenset({server.port}), resolver=resolve)
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=30)
    async with httpx.AsyncClient(transport=EgressTransport(policy, limits), trust_env=False) as client:
        with pytest.raises(
            httpx.ConnectError, match=re.escape("refused by the egress policy: resolves to 127.0.0.1, a loopback")
        ):
            await client.get(f"http://receiver.example.com:{server.port}/")
        with pytest.raises(
            httpx.ConnectError, match=re.escape("refused by the egress policy: 127.0.0.1 is a loopback address")
        ):
            await client.get(f"http://127.0.0.1:{server.port}/")
    assert server.connections == 0
    allowing = EgressPolicy(
        allowed_networks=parse_allowlist("127.0.0.1")[1], allowed_ports=frozenset({server.port}), resolver=resolve
    )
    async with httpx.AsyncClient(transport=EgressTransport(allowing, limits), trust_env=False) as client:
        assert (await client.get(f"http://receiver.example.com:{server.port}/")).status_code == 200
    assert server.connections == 1
