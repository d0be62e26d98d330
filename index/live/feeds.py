"""Feeds a server follows: adding (a site URL finds its feed), listing, removing, polling.

A poll fetches the feed with conditional GET (``If-None-Match``/``If-Modified-Since``), takes
at most ``MAX_ITEMS_PER_POLL`` entries it has not seen (and at most ``MAX_BYTES_PER_POLL`` of
pages), fetches each entry's page through the same address-checked fetcher as ``/ingest url``,
extracts it, and stores it in the server's collection with the feed's date; the entry is then
marked seen, so a restart never takes it twice. A failing feed is polled again after an
exponentially growing delay (interval × 2^failures, at most a day, with jitter), and one failing
for a day is reported as such in ``/feed list``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from index.corpus.ingesting import Ingestor
from index.errors import BadInput, FetchRefused, NotFound
from index.ingest.feeds import FeedEntry, discover_feeds, parse_feed
from index.ingest.fetch import Fetched, fetch_url
from index.jobs import CLAIM_FOR, wall_clock
from index.models import Feed, guild_collection
from index.store.live import LiveStore
from index.workers import run_cpu

__all__ = [
    "DEFAULT_INTERVAL_MINUTES", "MAX_ITEMS_PER_POLL", "MIN_INTERVAL_MINUTES", "Feeds",
    "PollResult", "failing_for_a_day",
]

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MINUTES = 15
MIN_INTERVAL_MINUTES = 5
MAX_BACKOFF = timedelta(days=1)
MAX_ITEMS_PER_POLL = 20
MAX_BYTES_PER_POLL = 20_000_000
FAILING_REPORTED_AFTER = timedelta(days=1)
_JITTER = 0.1


@dataclass(slots=True)
class PollResult:
    feed: Feed
    added: list[str] = field(default_factory=list)  # article ids stored (new or updated)
    not_modified: bool = False
    error: str | None = None


def failing_for_a_day(feed: Feed, now: datetime) -> bool:
    """Whether the feed has failed every poll for at least a day (shown in ``/feed list``)."""
    return bool(feed.failing_since) and datetime.fromisoformat(
        feed.failing_since or ""
    ) <= now - FAILING_REPORTED_AFTER


def _jittered(delay: timedelta, rng: random.Random) -> timedelta:
    return delay * (1 + rng.uniform(-_JITTER, _JITTER))


class Feeds:
    """The feeds of every server: entries are ingested by ``ingestor`` into their server's
    collection."""

    def __init__(
        self, live: LiveStore, ingestor: Ingestor, *, me: str = "storybot",
        seed: int | None = None, claim_for: timedelta = CLAIM_FOR,
    ) -> None:
        self.live = live
        self.ingestor = ingestor
        self.me = me  # who holds a lease: the process, for several-process setups
        self.claim_for = claim_for  # a poll taking longer (real time) may be taken over
        self._rng = random.Random(seed)

    async def _fetch(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        return await fetch_url(
            url, max_bytes=self.ingestor.max_bytes, headers=headers,
            allow_hosts=self.ingestor.allow_hosts,
        )

    async def add(
        self, guild_id: int, url: str, now: datetime, *,
        interval_minutes: int = DEFAULT_INTERVAL_MINUTES, added_by: int | None = None,
    ) -> Feed:
        """Add a feed (or the feed a site's page advertises) to a server; it is polled at once.

        Raises ``FetchRefused`` when the address cannot be fetched and ``BadInput`` when it is
        neither a feed nor a page that names one.
        """
        if interval_minutes < MIN_INTERVAL_MINUTES:
            raise BadInput(url, f"the interval must be at least {MIN_INTERVAL_MINUTES} minutes")
        url = url.strip()
        fetched = await self._fetch(url)
        parsed = await run_cpu(parse_feed, fetched.data, fetched.final_url)
        feed_url = fetched.final_url
        if parsed is None:
            candidates = await run_cpu(discover_feeds, fetched.data, fetched.final_url)
            if not candidates:
                raise BadInput(url, "this is not an RSS or Atom feed, and the page names none "
                                    "(no <link rel=\"alternate\" type=\"application/rss+xml\">)")
            feed_url = candidates[0]
            parsed = await run_cpu(parse_feed, (await self._fetch(feed_url)).data, feed_url)
            if parsed is None:
                raise BadInput(feed_url, "the feed the page names is not an RSS or Atom feed")
        added = await self.live.add_feed(
            guild_id, feed_url, parsed.title, interval_minutes, now, added_by
        )
        if added is None:
            raise BadInput(feed_url, "this server already follows that feed")
        return added

    async def for_guild(self, guild_id: int | None = None) -> list[Feed]:
        return await self.live.feeds(guild_id)

    async def remove(self, guild_id: int, feed_id: int) -> Feed:
        removed = await self.live.remove_feed(guild_id, feed_id)
        if removed is None:
            raise NotFound("feed", str(feed_id))
        return removed

    async def release(self, feed_id: int, now: datetime) -> None:
        """Make a feed due now, whatever its schedule (``storybot feeds poll --all``)."""
        await self.live.release(feed_id, now)

    async def poll_due(self, now: datetime, *, limit: int = 50) -> list[PollResult]:
        """Poll every feed due at ``now`` (the schedule's clock), one claimed feed at a time
        (at most ``limit``); a claim lasts ``claim_for`` of real time."""
        results: list[PollResult] = []
        while len(results) < limit:
            wall = wall_clock()
            feed = await self.live.claim_due_feed(now, wall + self.claim_for, self.me, wall)
            if feed is None:
                break
            results.append(await self.poll(feed, now))
        return results

    async def run(self, now: datetime) -> int:
        """The feeds job: poll what is due; returns how many articles came in."""
        added = 0
        for result in await self.poll_due(now):
            if result.added:
                log.info("feed %s: %d new articles", result.feed.url, len(result.added))
            added += len(result.added)
        return added

    async def poll(self, feed: Feed, now: datetime) -> PollResult:
        """Poll one (claimed) feed now and record how it went."""
        result = PollResult(feed)
        etag, modified = await self.live.validators(feed.id)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        interval = timedelta(minutes=feed.interval_minutes)
        title = None
        try:
            fetched = await self._fetch(feed.url, headers)
            if fetched.not_modified:
                result.not_modified = True
            else:
                parsed = await run_cpu(parse_feed, fetched.data, fetched.final_url)
                if parsed is None:
                    raise BadInput(feed.url, "the address no longer serves an RSS or Atom feed")
                title = parsed.title
                await self._take(feed, parsed.entries, result, now)
        except (FetchRefused, BadInput) as error:
            result.error = error.reason
            delay = min(interval * 2 ** (feed.failures + 1), MAX_BACKOFF)
            await self.live.feed_failed(feed.id, now, now + _jittered(delay, self._rng),
                                        error.reason)
            log.warning("feed %s failed (%d in a row): %s", feed.url, feed.failures + 1,
                        error.reason)
            return result
        await self.live.feed_polled(
            feed.id, now, now + _jittered(interval, self._rng),
            title=title,
            etag=fetched.etag, last_modified=fetched.last_modified,
        )
        return result

    async def _take(
        self, feed: Feed, entries: Sequence[FeedEntry], result: PollResult, now: datetime
    ) -> None:
        unseen = await self.live.unseen(feed.id, [e.key for e in entries])
        budget = MAX_BYTES_PER_POLL
        for entry in [e for e in entries if e.key in unseen][:MAX_ITEMS_PER_POLL]:
            if budget <= 0:
                break  # the rest waits for the next poll
            report = await self.ingestor.url(
                entry.link, collection=guild_collection(feed.guild_id),
                meta={"url": entry.link, "published": entry.published, "title": entry.title},
            )
            budget -= report.bytes_read
            stored = report.added + report.updated + report.skipped
            result.added += report.added + report.updated
            if report.failed and not stored:
                log.warning("feed %s: entry %s not taken: %s", feed.url, entry.link,
                            report.failed[0].reason)
            await self.live.mark_seen(feed.id, entry.key, stored[0] if stored else None, now)
