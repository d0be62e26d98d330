"""Safe fetching: every refusal happens before a connection is made, so no network is needed."""

from __future__ import annotations

import asyncio

import pytest

from index.errors import FetchRefused
from index.ingest.fetch import (
    MAX_REDIRECTS,
    check_address,
    check_url,
    fetch_url,
    next_location,
    read_capped,
    vet_redirect,
    vet_url,
)


def fixed_resolver(table: dict[str, list[str]]):
    """A resolver answering from a table; records every lookup it is asked for."""
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host not in table:
            raise OSError("name not known")
        return table[host]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a.txt",
        "gopher://example.com/",
        "data:text/plain,hi",
        "javascript:alert(1)",
        "example.com/no-scheme",
        "http://",
        "http://user:pw@example.com/",
        "http://example.com:99999/",
    ],
)
def test_check_url_refuses_bad_urls(url: str) -> None:
    """Non-http(s) schemes, missing hosts, credentials and bad ports are refused."""
    with pytest.raises(FetchRefused) as caught:
        check_url(url)
    assert caught.value.reason


def test_check_url_accepts_http_and_https() -> None:
    """http and https URLs yield scheme, host and default port."""
    assert check_url("http://Example.com/a") == ("http", "example.com", 80)
    assert check_url("https://example.com:8443/") == ("https", "example.com", 8443)


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:a00:1::1", "private"),
        ("64:ff9b::7f00:1", "loopback"),
        ("192.0.0.8", "special-purpose"),  # passed on Python 3.11, whose ipaddress calls it global
        ("192.0.0.170", "private"),
        ("192.31.196.1", "special-purpose"),
        ("64:ff9b:1::a00:1", "reserved"),
    ],
)
def test_check_address_refuses_non_public(address: str, word: str) -> None:
    """Private, loopback, link-local, multicast, reserved and smuggled IPv4 are refused."""
    with pytest.raises(FetchRefused) as caught:
        check_address(address)
    assert word in caught.value.reason


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_check_address_accepts_public(address: str) -> None:
    """Public unicast addresses pass."""
    check_address(address)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest"],
)
async def test_fetch_url_refuses_private_literals(url: str) -> None:
    """IP literals in private ranges are refused without any lookup or connection."""
    resolver = fixed_resolver({})
    with pytest.raises(FetchRefused):
        await fetch_url(url, resolver=resolver)
    assert resolver.calls == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x"])
async def test_fetch_url_refuses_schemes(url: str) -> None:
    """file:// and ftp:// are refused with a reason naming the scheme."""
    with pytest.raises(FetchRefused, match="only http and https"):
        await fetch_url(url, resolver=fixed_resolver({}))


async def test_fetch_url_refuses_hostname_resolving_to_loopback() -> None:
    """A harmless-looking name that resolves to 127.0.0.1 is refused."""
    resolver = fixed_resolver({"news.example": ["127.0.0.1"]})
    with pytest.raises(FetchRefused, match="loopback"):
        await fetch_url("https://news.example/story", resolver=resolver)
    assert resolver.calls == ["news.example"]  # type: ignore[attr-defined]


async def test_fetch_url_refuses_when_any_address_is_private() -> None:
    """One private address among public ones is enough to refuse (no picking a 'good' one)."""
    resolver = fixed_resolver({"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchRefused, match="private"):
        await fetch_url("http://mixed.example/", resolver=resolver)


async def test_fetch_url_refuses_unresolvable_host() -> None:
    """A name that does not resolve is refused with a clear reason."""
    with pytest.raises(FetchRefused, match="cannot resolve"):
        await fetch_url("http://nowhere.example/", resolver=fixed_resolver({}))


async def test_fetch_url_times_out() -> None:
    """A fetch slower than the timeout is refused, not left hanging."""

    async def slow(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return ["93.184.216.34"]

    with pytest.raises(FetchRefused, match="longer than"):
        await fetch_url("http://slow.example/", resolver=slow, timeout=0.05)


async def test_vet_url_pins_the_vetted_addresses() -> None:
    """The vetted target carries the resolved addresses the connection will be pinned to."""
    resolver = fixed_resolver({"news.example": ["93.184.216.34", "93.184.216.34"]})
    target = await vet_url("https://news.example/a", resolver)
    assert target.addresses == ("93.184.216.34",)
    assert (target.host, target.port) == ("news.example", 443)


def test_next_location_resolves_relative_redirects() -> None:
    """A relative Location is resolved against the current URL; non-redirects give None."""
    assert next_location("https://a.example/x/y", 302, {"Location": "../z"}) == (
        "https://a.example/z"
    )
    assert next_location("https://a.example/", 200, {"Location": "/elsewhere"}) is None
    with pytest.raises(FetchRefused, match="Location"):
        next_location("https://a.example/", 301, {})


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/admin",
        "http://10.0.0.1/",
        "http://[::ffff:192.168.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://internal.example/",
    ],
)
async def test_redirect_to_private_address_is_refused(location: str) -> None:
    """A redirect hop is vetted like the first URL: private targets and bad schemes are refused."""
    resolver = fixed_resolver({"internal.example": ["192.168.0.10"]})
    with pytest.raises(FetchRefused):
        await vet_redirect("https://public.example/", 302, {"Location": location}, resolver)


async def test_redirect_to_public_address_is_allowed() -> None:
    """A redirect to a public host passes vetting and yields the next target."""
    resolver = fixed_resolver({"other.example": ["93.184.216.34"]})
    target = await vet_redirect(
        "https://public.example/a", 301, {"Location": "https://other.example/b"}, resolver
    )
    assert target is not None and target.url == "https://other.example/b"


def test_redirect_limit_is_five() -> None:
    """At most five redirects are followed."""
    assert MAX_REDIRECTS == 5


class _Stream:
    """Stands in for aiohttp's StreamReader: yields fixed chunks."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.read = 0

    async def _gen(self):
        for chunk in self.chunks:
            self.read += 1
            yield chunk

    def iter_chunked(self, n: int):
        return self._gen()


async def test_read_capped_aborts_past_limit() -> None:
    """Streaming stops at the first chunk that crosses max_bytes."""
    stream = _Stream([b"a" * 10, b"b" * 10, b"c" * 10, b"d" * 10])
    with pytest.raises(FetchRefused, match="larger than"):
        await read_capped(stream, 15)
    assert stream.read == 2


async def test_read_capped_returns_small_bodies() -> None:
    """A body within the limit comes back whole."""
    assert await read_capped(_Stream([b"hello ", b"world"]), 100) == b"hello world"


# --------------------------------------------------------------------------- one hop, on loopback
# ``fetch_url`` refuses loopback, so these drive the single-hop function directly with a target
# whose made-up host name is pinned to the test server: the name is never looked up.


@pytest.fixture
async def server():
    """A loopback aiohttp server with a page, a redirect and an oversized page."""
    from aiohttp import web

    async def page(request):
        return web.Response(text=f"hello from {request.host}", content_type="text/html")

    async def redirect(request):
        raise web.HTTPFound("http://10.0.0.1/internal")

    async def huge(request):
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"x" * 10_000)
        return response

    app = web.Application()
    app.router.add_get("/page", page)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/huge", huge)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield port
    await runner.cleanup()


def pinned(port: int, path: str):
    from index.ingest.fetch import _Target

    return _Target(
        url=f"http://news.example:{port}{path}",
        scheme="http",
        host="news.example",
        port=port,
        addresses=("127.0.0.1",),
    )


async def test_hop_connects_to_the_pinned_address_without_dns(server) -> None:
    """The request goes to the vetted address; the Host header keeps the original name."""
    from index.ingest.fetch import _fetch_hop

    status, _headers, content_type, body = await _fetch_hop(pinned(server, "/page"), 1000, {})
    assert status == 200 and "text/html" in content_type
    assert body == f"hello from news.example:{server}".encode()


async def test_hop_returns_redirects_unfollowed(server) -> None:
    """A redirect comes back to the caller (to be vetted), not followed by the client."""
    from index.ingest.fetch import _fetch_hop, next_location

    status, headers, _type, body = await _fetch_hop(pinned(server, "/redirect"), 1000, {})
    assert status == 302 and body is None
    location = next_location(f"http://news.example:{server}/redirect", status, headers)
    with pytest.raises(FetchRefused, match="private"):
        await vet_url(location)


async def test_hop_aborts_oversized_bodies(server) -> None:
    """A streamed body larger than max_bytes is cut off with a refusal."""
    from index.ingest.fetch import _fetch_hop

    with pytest.raises(FetchRefused, match="larger than"):
        await _fetch_hop(pinned(server, "/huge"), 50_000, {})
