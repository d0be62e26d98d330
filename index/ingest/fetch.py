"""Fetch an untrusted URL without letting it reach inside the network.

Every hop of a fetch is vetted the same way:

1. the scheme must be ``http`` or ``https`` (no ``file:``, ``ftp:``, ``data:`` …);
2. the host is resolved once, off the event loop, and *every* address it resolves to must be a
   public unicast address (private, loopback, link-local, multicast, reserved, unspecified,
   shared CGNAT space and IPv4 addresses hidden inside IPv6 are all refused);
3. the connection goes to one of those vetted addresses through a pinned resolver, so the
   HTTP client never looks the name up a second time (no DNS rebinding between check and use).

Redirects are followed by hand (at most :data:`MAX_REDIRECTS`), each new location vetted as a
fresh hop. The body is streamed and the fetch aborted past ``max_bytes``; the whole fetch,
redirects included, must finish within ``timeout`` seconds. Every refusal raises
:class:`~index.errors.FetchRefused` with a reason a user can read.

Example::

    fetched = await fetch_url("https://example.com/story.html")
    fetched.final_url, fetched.content_type, len(fetched.data)
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from index.errors import FetchRefused

__all__ = [
    "MAX_REDIRECTS",
    "Fetched",
    "Resolver",
    "check_address",
    "check_url",
    "fetch_url",
    "next_location",
    "read_capped",
    "vet_redirect",
    "vet_url",
]

MAX_REDIRECTS = 5
ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 64 * 1024
_USER_AGENT = "storybot/0.1 (+https://github.com/; fetches one article on request)"

#: ``async resolver(host, port) -> list of IP address strings``; injected by tests.
Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of a fetched URL, after any redirects.

    With conditional-GET ``headers`` (``If-None-Match``, ``If-Modified-Since``), an unchanged
    resource comes back ``not_modified`` with no data; ``etag`` and ``last_modified`` are the
    validators to send next time.
    """

    final_url: str
    content_type: str
    data: bytes
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    """One vetted hop: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


# --------------------------------------------------------------------------- checks


def check_url(url: str) -> tuple[str, str, int]:
    """Return ``(scheme, host, port)`` of an acceptable URL or raise :class:`FetchRefused`.

    >>> check_url("https://example.com/a")
    ('https', 'example.com', 443)
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchRefused(url, f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchRefused(url, f"only http and https URLs can be fetched, not {shown}")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(url, "URLs with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(url, "the URL has no host")
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address smuggles (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def check_address(address: str, *, url: str = "") -> None:
    """Raise :class:`FetchRefused` unless ``address`` is a public unicast IP address.

    >>> check_address("93.184.216.34")
    >>> check_address("127.0.0.1")
    Traceback (most recent call last):
    index.errors.FetchRefused: refused to fetch '': 127.0.0.1 is a loopback address
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        raise FetchRefused(url, f"{address!r} is not an IP address") from None
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        try:
            check_address(str(inner), url=url)
        except FetchRefused as refused:
            raise FetchRefused(url, f"{address} embeds {refused.reason}") from None
    kind = _address_kind(ip)
    if kind is not None:
        raise FetchRefused(url, f"{address} is {kind} address")


# Special-purpose blocks (IANA registries) that no web page lives on and that some Python
# versions still call global: 3.11 passes 192.0.0.8, an IETF protocol assignment.
_SPECIAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24",  # IETF protocol assignments (dummy, NAT64 discovery, PCP and TURN anycast)
    "192.31.196.0/24",  # AS112 service
    "192.52.193.0/24",  # AMT relays
    "192.175.48.0/24",  # AS112 direct delegation
    "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
    "100::/64",  # discard-only
    "2001::/23",  # IETF protocol assignments
    "5f00::/16",  # segment routing identifiers
))


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is off limits, or None when it is public unicast."""
    special = any(ip.version == net.version and ip in net for net in _SPECIAL_NETWORKS)
    checks = (
        (ip.is_unspecified, "an unspecified"),
        (ip.is_loopback, "a loopback"),
        (ip.is_link_local, "a link-local"),
        (ip.is_multicast, "a multicast"),
        (ip.is_reserved, "a reserved"),
        (ip.is_private, "a private"),
        (special, "a special-purpose"),
        (not ip.is_global, "a non-public"),
    )
    return next((kind for refused, kind in checks if refused), None)


async def _system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the system resolver; asyncio runs ``getaddrinfo`` in a worker thread."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def vet_url(
    url: str, resolver: Resolver | None = None, allow_hosts: frozenset[str] = frozenset()
) -> _Target:
    """Check one hop: scheme, host, and every address the host resolves to.

    ``allow_hosts`` (``"127.0.0.1:8080"``) names test servers whose addresses are not checked;
    it is empty except in tests and the offline harness (``STORYBOT_FETCH_ALLOW_HOSTS``).
    """
    scheme, host, port = check_url(url)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = await (resolver or _system_resolver)(host, port)
        except (OSError, UnicodeError) as error:
            raise FetchRefused(url, f"cannot resolve {host!r} ({error})") from None
    unique = tuple(dict.fromkeys(addresses))
    if not unique:
        raise FetchRefused(url, f"{host!r} resolves to no address")
    if f"{host}:{port}" not in allow_hosts:
        for address in unique:
            check_address(address, url=url)
    return _Target(url=url, scheme=scheme, host=host, port=port, addresses=unique)


def next_location(current_url: str, status: int, headers: Mapping[str, str]) -> str | None:
    """The absolute URL a redirect response points to, or None when it is not a redirect.

    The result still has to pass :func:`vet_url`; :func:`fetch_url` does that for every hop.
    """
    if status not in REDIRECT_STATUSES:
        return None
    location = headers.get("Location") or headers.get("location")
    if not location:
        raise FetchRefused(current_url, f"HTTP {status} redirect without a Location header")
    return urljoin(current_url, location.strip())


async def vet_redirect(
    current_url: str,
    status: int,
    headers: Mapping[str, str],
    resolver: Resolver | None = None,
) -> _Target | None:
    """Vet where a response redirects to, exactly as :func:`fetch_url` does for each hop."""
    location = next_location(current_url, status, headers)
    return None if location is None else await vet_url(location, resolver)


class _Chunked(Protocol):
    def iter_chunked(self, n: int) -> Any: ...


async def read_capped(content: _Chunked, max_bytes: int, *, url: str = "") -> bytes:
    """Read a streamed body, aborting as soon as it grows past ``max_bytes``."""
    buffer = bytearray()
    async for chunk in content.iter_chunked(_CHUNK):
        buffer += chunk
        if len(buffer) > max_bytes:
            raise FetchRefused(url, f"the page is larger than {max_bytes:,} bytes")
    return bytes(buffer)


# --------------------------------------------------------------------------- fetching


def _pinned_resolver(target: _Target) -> Any:
    """An aiohttp resolver that only ever answers with the addresses already vetted."""
    from aiohttp.abc import AbstractResolver, ResolveResult

    class PinnedResolver(AbstractResolver):
        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> list[ResolveResult]:
            if host != target.host:  # never happens: one connector per hop
                raise OSError(f"unexpected host {host!r}")
            return [
                ResolveResult(
                    hostname=host,
                    host=address,
                    port=port or target.port,
                    family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
                for address in target.addresses
            ]

        async def close(self) -> None:
            return None

    return PinnedResolver()


async def _fetch_hop(
    target: _Target, max_bytes: int, extra_headers: Mapping[str, str]
) -> tuple[int, dict[str, str], str, bytes | None]:
    """One request to a vetted target: status, headers, content type, body (None on redirect
    or when not modified)."""
    import aiohttp

    connector = aiohttp.TCPConnector(resolver=_pinned_resolver(target), use_dns_cache=False)
    request_headers = {
        "User-Agent": _USER_AGENT,
        "Accept": "text/html,application/rss+xml,application/atom+xml,text/xml;q=0.9,*/*;q=0.5",
        **extra_headers,
    }
    async with (
        aiohttp.ClientSession(connector=connector, trust_env=False) as session,
        session.get(
            target.url, allow_redirects=False, headers=request_headers, auto_decompress=True,
        ) as response,
    ):
        headers = {key: value for key, value in response.headers.items()}
        content_type = response.headers.get("Content-Type", "")
        if response.status in REDIRECT_STATUSES or response.status == NOT_MODIFIED:
            return response.status, headers, content_type, None
        if response.status >= 400:
            raise FetchRefused(target.url, f"the server answered HTTP {response.status}")
        declared = response.content_length
        if declared is not None and declared > max_bytes:
            raise FetchRefused(target.url, f"the page is larger than {max_bytes:,} bytes")
        body = await read_capped(response.content, max_bytes, url=target.url)
        return response.status, headers, content_type, body


async def _fetch(
    url: str, max_bytes: int, resolver: Resolver | None, headers: Mapping[str, str],
    allow_hosts: frozenset[str],
) -> Fetched:
    import aiohttp

    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = await vet_url(current, resolver, allow_hosts)
        try:
            status, answer, content_type, body = await _fetch_hop(target, max_bytes, headers)
        except aiohttp.ClientError as error:
            reason = f"the request failed ({error.__class__.__name__})"
            raise FetchRefused(current, reason) from None
        etag, modified = answer.get("ETag"), answer.get("Last-Modified")
        if status == NOT_MODIFIED:
            return Fetched(current, content_type, b"", True, etag, modified)
        if body is not None:
            return Fetched(current, content_type, body, False, etag, modified)
        location = next_location(current, status, answer)
        assert location is not None
        current = location
    raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")


async def fetch_url(
    url: str,
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    resolver: Resolver | None = None,
    headers: Mapping[str, str] | None = None,
    allow_hosts: frozenset[str] = frozenset(),
) -> Fetched:
    """Fetch ``url`` safely, following at most five vetted redirects.

    Parameters
    ----------
    url:
        An ``http`` or ``https`` URL supplied by a user.
    max_bytes:
        Largest body accepted; the download stops as soon as it is exceeded.
    timeout:
        Seconds for the whole fetch, redirects included.
    resolver:
        ``async (host, port) -> [ip, ...]``; defaults to the system resolver (off-loop).
    headers:
        Extra request headers for the first hop (conditional GET validators).
    allow_hosts:
        ``host:port`` of test servers exempt from the address check (tests only).

    Returns
    -------
    Fetched
        The final URL, its Content-Type and the raw body.

    Raises
    ------
    FetchRefused
        For a bad scheme, a non-public address, too many redirects, an oversized body,
        an HTTP error status, a network failure or a timeout.
    """
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    try:
        async with asyncio.timeout(timeout):
            return await _fetch(url, max_bytes, resolver, dict(headers or {}), allow_hosts)
    except TimeoutError:
        raise FetchRefused(url, f"took longer than {timeout:g} seconds") from None
