"""Facts about article addresses: is it a web address, and which outlet's domain is it on.

>>> is_web_url("https://news.detik.com/berita/1"), is_web_url("http://[::1")
(True, False)
>>> registered_domain("https://finance.detik.com/x"), registered_domain("https://x.example/a")
('detik.com', 'x.example')
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["is_web_url", "registered_domain"]


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address (malformed ones are not)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a bad port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(
        ch.isspace() for ch in url
    )


def registered_domain(url: str | None) -> str | None:
    """The domain an outlet registered (``detik.com`` for ``news.detik.com``), from the public
    suffix list (the ``tld`` package); for hosts outside it, the host without ``www.``."""
    if not url or not is_web_url(url):
        return None
    from tld import get_fld

    found = get_fld(url, fail_silently=True)
    if isinstance(found, str) and found:
        return found.lower()
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
