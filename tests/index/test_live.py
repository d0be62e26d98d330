"""The live corpus without Discord: feeds and alerts as the library's background jobs.

Feeds are served by a real HTTP server on 127.0.0.1 (``bot.harness.localsite``); the jobs run
on a schedule clock the test hands them, as the harness does, and claim work on the wall clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.harness.localsite import LocalSite
from index import AlertsQueued, ArticlesAdded, Library, guild_collection
from index.jobs import Job, Jobs

GUILD, CHANNEL = 111, 222
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{sentence}</p><p>Analysts expect the review to take several months before a decision.</p>
</article></body></html>"""


def rss(*items: tuple[str, str]) -> str:
    entries = "".join(f"<item><guid>{guid}</guid><link>{link}</link><title>{guid}</title>"
                      "<pubDate>Mon, 05 Jan 2026 08:00:00 +0000</pubDate></item>"
                      for guid, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}' \
           "</channel></rss>"


@pytest.fixture
async def live(tmp_path: Path):
    library = await Library.open(tmp_path / "data", sample=False, semantic=False)
    site = LocalSite().start()
    library.ingest.allow_hosts = frozenset({site.host})
    try:
        yield library, site
    finally:
        site.close()
        await library.close()


async def test_a_feed_is_polled_into_its_servers_collection_once(live) -> None:
    """The feeds job takes each entry once, into the server's own collection, and says so with
    the articles_added signal; the next polls take nothing again."""
    library, site = live
    heard: list[ArticlesAdded] = []
    library.articles_added.subscribe(heard.append)
    site.serve("/a.html", PAGE.format(title="Port deal", sentence="The port signed a deal."))
    site.serve("/feed.xml", rss(("a", site.url("/a.html"))))
    await library.feeds.add(GUILD, site.url("/feed.xml"), NOW)
    assert (await library.jobs.tick(NOW))["feeds"] == 1
    [article] = await library.find_articles("", scope=await library.scope(GUILD))
    assert article.collection == guild_collection(GUILD)
    assert [added.collections for added in heard] == [frozenset({guild_collection(GUILD)})]
    later = await library.jobs.tick(NOW + timedelta(hours=1))
    assert later["feeds"] == 0 and len(heard) == 1


async def test_a_failing_feed_is_polled_less_and_less_often(live) -> None:
    """Each failure in a row doubles the wait before the next poll."""
    library, site = live
    site.serve("/feed.xml", rss())
    feed = await library.feeds.add(GUILD, site.url("/feed.xml"), NOW)
    site.serve("/feed.xml", "gone", status=404)
    gaps = []
    now = NOW
    for _ in range(3):
        await library.feeds.release(feed.id, now)
        [result] = await library.feeds.poll_due(now)
        assert result.error
        [feed] = await library.feeds.for_guild(GUILD)
        gaps.append(datetime.fromisoformat(feed.next_poll_at) - now)
    assert gaps[0] < gaps[1] < gaps[2]


async def test_a_statement_is_queued_once_and_claimed_once(live) -> None:
    """New articles wake the alert scan; it queues the followed speaker's statement once and
    tells the bot (alerts_queued); claiming it for posting succeeds once."""
    library, site = live
    queued: list[AlertsQueued] = []
    library.alerts_queued.subscribe(queued.append)
    await library.alerts.follow(GUILD, CHANNEL, "Microsoft", None, NOW)
    site.serve("/m.html", PAGE.format(
        title="Cloud deal", sentence="Microsoft said it would cooperate with the regulators."))
    site.serve("/feed.xml", rss(("m", site.url("/m.html"))))
    await library.feeds.add(GUILD, site.url("/feed.xml"), NOW)
    done = await library.jobs.tick(NOW)
    assert done["feeds"] == 1 and done["alerts"] == 1
    assert [q.count for q in queued] == [1]
    [post] = await library.alerts.due(NOW, per_hour=5)
    assert post.passage is not None and "cooperate" in post.passage.text
    assert await library.alerts.due(NOW, per_hour=5) == []


async def test_alerts_beyond_the_hourly_limit_come_as_one_summary(live) -> None:
    """With room for one post an hour, one article's statement is posted and the other two
    arrive together in one summary, each with its own article and the quoted sentence."""
    library, site = live
    await library.alerts.follow(GUILD, CHANNEL, "Microsoft", None, NOW)
    topics = {"a": "cooperate with the regulators", "b": "appeal the fine",
              "c": "open a data centre"}
    for name, topic in topics.items():
        site.serve(f"/{name}.html", PAGE.format(title=f"Story {name}",
                                                sentence=f"Microsoft said it would {topic}."))
    site.serve("/feed.xml", rss(*((n, site.url(f"/{n}.html")) for n in topics)))
    await library.feeds.add(GUILD, site.url("/feed.xml"), NOW)
    await library.jobs.tick(NOW)
    post, summary = await library.alerts.due(NOW, per_hour=1)
    assert post.passage is not None and summary.summary
    quoted = [post.passage.text] + [quote for _article, quote in summary.summary]
    assert sorted(t for t in topics.values() if any(t in q for q in quoted)) == sorted(
        topics.values())
    assert len({article.id for article, _q in summary.summary}) == 2  # the feed's titles: a, b, c


async def test_a_job_runs_when_due_or_woken_and_a_lease_keeps_it_to_one_process(live) -> None:
    """``tick`` runs what is due on the schedule clock and what was woken; a job with a lease
    runs in one of two processes sharing the store."""
    library, _site = live
    runs: list[str] = []

    async def work(now: datetime) -> int:
        runs.append(now.isoformat())
        return 1

    first, second = (Jobs(library.live, holder) for holder in ("p1", "p2"))
    for jobs in (first, second):
        jobs.add(Job("tidy", work, timedelta(hours=1), lease=timedelta(minutes=10)))
    assert await first.tick(NOW) == {"tidy": 1}
    assert await second.tick(NOW) == {"tidy": 0}  # p1 holds the lease
    assert await first.tick(NOW + timedelta(minutes=30)) == {}  # not due yet
    first.wake("tidy")
    assert await first.tick(NOW + timedelta(minutes=30)) == {"tidy": 1}
    assert len(runs) == 2
