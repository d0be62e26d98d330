"""RSS and Atom: a feed's bytes → its entries; a web page → the feeds it advertises.

Parsing is feedparser's, on bytes we fetched ourselves (feedparser never fetches: every
request goes through ``index.ingest.fetch``, address-checked and capped). Dates become ISO 8601.

>>> feed = parse_feed(b'<rss><channel><title>T</title><item><link>https://x.example/a</link>'
...                   b'<title>A</title><pubDate>Tue, 15 Nov 2022 08:12:00 +0700</pubDate>'
...                   b'</item></channel></rss>', "https://x.example/feed")
>>> feed.title, feed.entries[0].link, feed.entries[0].published
('T', 'https://x.example/a', '2022-11-15T08:12:00+07:00')
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from index.ingest.readers import iso_date
from index.ingest.urls import is_web_url
from index.text import strip_controls

__all__ = ["FeedEntry", "ParsedFeed", "discover_feeds", "parse_feed"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
               "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # what identifies the entry across polls: its guid, else its link
    link: str
    title: str | None
    published: str | None  # ISO 8601


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]  # newest first, as feeds list them


def _published(entry: Any) -> str | None:
    for field in ("published_parsed", "updated_parsed"):
        parsed = entry.get(field)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    # feedparser keeps an unparseable date as text; try it ourselves (and keep its offset)
    for field in ("published", "updated"):
        if entry.get(field):
            return iso_date(entry.get(field))
    return None


def parse_feed(data: bytes, url: str) -> ParsedFeed | None:
    """The entries of an RSS or Atom document, or None when ``data`` is not a feed."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        return None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        link = urljoin(url, link.strip()) if link else ""
        if not is_web_url(link):
            continue  # an entry without a web page to fetch gives no article
        raw_published = entry.get("published") or entry.get("updated")
        published = iso_date(raw_published) if raw_published else None
        title = entry.get("title")
        entries.append(FeedEntry(
            key=str(entry.get("id") or link)[:1000],
            link=link,
            title=strip_controls(title).strip() or None if isinstance(title, str) else None,
            published=published or _published(entry),
        ))
    title = parsed.feed.get("title")
    return ParsedFeed(strip_controls(title).strip() or None if title else None, tuple(entries))


def discover_feeds(html: bytes, url: str) -> list[str]:
    """The feed URLs a page advertises with ``<link rel="alternate" type="…rss+xml">``."""
    import lxml.html

    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_TYPES and href:
            absolute = urljoin(url, href)
            if is_web_url(absolute) and absolute not in found:
                found.append(absolute)
    return found
