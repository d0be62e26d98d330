"""A live corpus through the real bot: feeds served by a real HTTP server on 127.0.0.1, polled on
simcord's clock, and quote alerts posted once, in any language.

Pages and feeds are served by ``bot.localsite.LocalSite``; only its address is allowed past the
fetcher's public-address check (the harness adds it), everything else stays refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.harness import perform
from bot.render import EMBED_TOTAL_LIMIT
from bot.settings import Settings
from tests.bot.outcomes import alert_posts

EN_PAGE = """<html><head><title>Cloud deal questioned</title></head><body><article>
<h1>Cloud deal questioned</h1>
<p>Regulators opened an inquiry into the cloud contract on Monday, officials confirmed.</p>
<p>Microsoft said it would cooperate fully with the regulators and expected no delay.</p>
<p>Analysts expect the review to take several months before any decision is made.</p>
</article></body></html>"""

HI_PAGE = """<html><head><title>क्लाउड सौदे पर सवाल</title></head><body><article>
<h1>क्लाउड सौदे पर सवाल</h1>
<p>नियामकों ने सोमवार को क्लाउड अनुबंध की जांच शुरू की, अधिकारियों ने पुष्टि की।</p>
<p>माइक्रोसॉफ्ट ने कहा कि वह नियामकों के साथ पूरा सहयोग करेगा और कोई देरी नहीं होगी।</p>
<p>विश्लेषकों का मानना है कि समीक्षा में कई महीने लगेंगे।</p>
</article></body></html>"""

OTHER_PAGE = """<html><head><title>Rain in the valley</title></head><body><article>
<p>Farmers welcomed the early rain across the valley on Tuesday morning this week.</p>
<p>The weather office said more showers would follow over the coming days.</p>
</article></body></html>"""


def rss(title: str, *items: tuple[str, str, str]) -> str:
    """An RSS 2.0 document; items are (guid, link, pubDate)."""
    entries = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{guid}</title>"
        f"<pubDate>{date}</pubDate></item>"
        for guid, link, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}' \
           "</channel></rss>"


@pytest.fixture
def settings():
    return Settings(ask_cooldown=0, alerts_per_hour=5)


async def setup_feed(session, feed_path: str = "/feed.xml", *items):
    session.serve(feed_path, rss("Wire", *items))
    site = session.site.url()
    added = await perform(session, {"as": "admin", "admin": True, "slash": "feed add",
                               "options": {"url": site + feed_path}})
    assert added.ephemeral and "Added feed" in added.messages[0]["content"], added
    return added


async def test_new_english_and_hindi_statements_are_posted_once_each(session) -> None:
    """/follow who:Microsoft; a feed brings an English and a Hindi article where Microsoft says
    something, and one where it doesn't: two alerts, each posted once, within limits, no
    mentions allowed; later polls post nothing again."""
    session.serve("/en.html", EN_PAGE)
    session.serve("/hi.html", HI_PAGE)
    session.serve("/rain.html", OTHER_PAGE)
    site = session.site.url()
    follow = await session.slash("admin", "follow", {"who": "Microsoft"}, admin=True)
    assert follow.ephemeral and "Following **Microsoft**" in follow.messages[0]["content"]
    date = "Mon, 10 Nov 2025 08:00:00 +0000"
    added = await setup_feed(session, "/feed.xml", ("en-1", f"{site}/en.html", date),
                             ("hi-1", f"{site}/hi.html", date),
                             ("rain-1", f"{site}/rain.html", date))
    polled = await perform(session, {"advance": "3m"})
    posts = alert_posts(added, polled)
    assert len(posts) == 2, (added.posted, polled.posted)
    texts = " ".join(p["embeds"][0]["description"] for p in posts)
    assert "Microsoft" in texts and "माइक्रोसॉफ्ट" in texts and "valley" not in texts
    for post in posts:
        assert sum(len(e.get("description", "")) + len(e.get("title", "")) for e in post["embeds"])\
            <= EMBED_TOTAL_LIMIT
        assert not re.search(r"@(everyone|here)|<@[!&]?\d", post["content"])
        assert "2025-11-10" in post["embeds"][0]["footer"]["text"]
        assert post["embeds"][0]["footer"]["text"].endswith("following Microsoft")
    # each says who spoke as its article names them
    assert sorted(p["content"] for p in posts) == ["**Microsoft** said:", "**माइक्रोसॉफ्ट** said:"]
    later = await perform(session, {"advance": "40m"})
    assert alert_posts(later) == []
    answer = await session.slash("bob", "ask", {"question": "Will Microsoft cooperate with the "
                                                            "regulators?"})
    assert "cooperate" in answer.messages[0]["embeds"][0]["description"]  # in /ask, too


async def test_a_quote_syndicated_by_two_feeds_is_posted_once(session) -> None:
    """The same statement from two outlets (two feeds) is one post, which then names the other
    outlet ("also in")."""
    copy = EN_PAGE.replace("Cloud deal questioned", "Regulators look at cloud deal")
    session.serve("/a.html", EN_PAGE)
    session.serve("/b.html", copy)
    site = session.site.url()
    await session.slash("admin", "follow", {"who": "Microsoft"}, admin=True)
    date = "Mon, 10 Nov 2025 08:00:00 +0000"
    one = await setup_feed(session, "/one.xml", ("a", f"{site}/a.html", date))
    two = await setup_feed(session, "/two.xml", ("b", f"{site}/b.html", date))
    outcome = await perform(session, {"advance": "5m"})
    assert len(alert_posts(one, two, outcome)) == 1
    library = session.bot.library
    rows = await library.live.alerts_to_edit()
    assert rows == []  # any "also in" edit was made already
    [alert] = [r for r in await _alerts(library)]
    assert alert.also_in != "[]"


async def _alerts(library):
    from sqlalchemy import select

    from index.store.schema import alerts

    async with library.store.engine.connect() as conn:
        return list(await conn.execute(select(alerts)))


async def test_a_restart_in_the_middle_reposts_nothing(session) -> None:
    """After alerts were posted, the bot restarts (nothing in memory): no post comes again."""
    session.serve("/en.html", EN_PAGE)
    site = session.site.url()
    await session.slash("admin", "follow", {"who": "Microsoft"}, admin=True)
    added = await setup_feed(session, "/feed.xml", ("en-1", f"{site}/en.html",
                                                    "Mon, 10 Nov 2025 08:00:00 +0000"))
    first = await perform(session, {"advance": "3m"})
    assert len(alert_posts(added, first)) == 1
    await perform(session, {"restart": True})
    again = await perform(session, {"advance": "40m"})
    assert alert_posts(again) == []


async def test_a_failing_feed_backs_off_and_is_reported(session) -> None:
    """A feed answering 500 is polled less and less often; after a day it is shown failing."""
    session.serve("/feed.xml", rss("Wire"))
    site = session.site.url()
    added = await perform(session, {"as": "admin", "admin": True, "slash": "feed add",
                               "options": {"url": f"{site}/feed.xml"}})
    assert "Added feed" in added.messages[0]["content"]
    session.serve("/feed.xml", "server trouble", status=500)
    library = session.bot.library
    [feed] = await library.feeds.for_guild(session.guild.id)
    await perform(session, {"advance": "20m"})
    [feed] = await library.feeds.for_guild(session.guild.id)
    assert feed.failures >= 1 and "HTTP 500" in (feed.last_error or "")
    gaps = []
    for _ in range(3):
        before = datetime.fromisoformat(feed.next_poll_at)
        await perform(session, {"advance": "3h"})
        [feed] = await library.feeds.for_guild(session.guild.id)
        gaps.append(datetime.fromisoformat(feed.next_poll_at) - before)
    assert gaps[-1] > gaps[0]  # exponential back-off
    polls = [p for p, _h in session.site.requests if p == "/feed.xml"]
    assert len(polls) < 12  # not every 15 minutes for 9 hours
    await perform(session, {"advance": "1d"})
    listed = await perform(session, {"as": "admin", "admin": True, "slash": "feed list"})
    assert "failing since" in listed.messages[0]["embeds"][0]["description"]
    assert datetime.now(UTC) - timedelta(days=400) < datetime.fromisoformat(feed.next_poll_at)


async def test_members_cannot_add_feeds_or_follow(session) -> None:
    """/feed is for Manage Server; /follow refuses a member without it (or the follow role)."""
    hidden = await perform(session, {"as": "carol", "slash": "feed add",
                                "options": {"url": "https://example.com/feed"}})
    assert hidden.hidden and "Manage Server" in hidden.hidden
    refused = await session.slash("carol", "follow", {"who": "Microsoft"})
    assert refused.ephemeral and "Manage Server" in refused.messages[0]["content"]


async def test_feeds_on_private_addresses_are_refused(session) -> None:
    """Without the harness's allowance, loopback and private feed URLs are refused."""
    outcome = await perform(session, {"as": "admin", "admin": True, "slash": "feed add",
                                 "options": {"url": "http://127.0.0.1:9/feed.xml"}})
    assert "loopback" in outcome.messages[0]["content"]
