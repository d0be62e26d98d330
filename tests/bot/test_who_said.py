"""Who said what, through the real bot: one alert per article naming the real speaker, never a
namesake or a spokesman; ``/follow`` says who a name resolved to; ``/quotes`` pages a speaker's
statements in the server's own articles only."""

from __future__ import annotations

import json

import pytest

from bot.harness import perform
from bot.settings import Settings
from tests.bot.outcomes import alert_posts

ARTICLES = [
    {"url": "https://wire.example/tariffs", "lang": "en", "source": "Wire",
     "published": "2025-11-01", "title": "Tariffs stay",
     "text": "President Donald Trump said the tariffs on steel would stay until spring.\n"
             "Trump told reporters that talks with Canada were going well."},
    {"url": "https://wire.example/schools", "lang": "en", "source": "Wire",
     "published": "2025-11-02", "title": "School safety plans",
     "text": "Kenneth Trump, a school-safety consultant, spoke to the board on Monday.\n"
             "\"Every school must rehearse its evacuation plan,\" Trump said."},
    {"url": "https://hindi.example/vyapar", "lang": "hi", "source": "Samachar",
     "published": "2025-11-03", "title": "व्यापार समझौता",
     "text": "अमेरिका के राष्ट्रपति डोनाल्ड ट्रंप ने कहा कि भारत के साथ व्यापार समझौता जल्द होगा।"},
    {"url": "https://wire.example/kremlin", "lang": "en", "source": "Wire",
     "published": "2025-11-04", "title": "Kremlin on talks",
     "text": "Dmitry Peskov, Putin's spokesman, told reporters the talks were over."},
    *({"url": f"https://wire.example/rally-{i}", "lang": "en", "source": f"Outlet {i}",
       "published": f"2025-10-{10 + i:02d}", "title": f"Rally {i}",
       "text": f"Donald Trump said the rally in town number {i} drew a record crowd."}
      for i in range(6)),
]


@pytest.fixture
def settings():
    return Settings(ask_cooldown=0, alerts_per_hour=20)


def upload(records: list[dict]) -> tuple[str, bytes]:
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return "news.jsonl", lines.encode()


async def test_one_alert_per_article_names_the_real_speaker(session) -> None:
    """Two follows of one speaker in one channel ("Trump", "ट्रंप") give one post per article
    where Donald Trump speaks, in English or Hindi, naming him and both follows; the namesake
    Kenneth Trump and Putin's spokesman give none."""
    for who in ("Trump", "ट्रंप", "Putin"):
        await session.slash("admin", "follow", {"who": who}, admin=True)
    ingested = await session.slash("admin", "ingest", {"file": upload(ARTICLES)}, admin=True)
    posts = alert_posts(ingested)
    texts = [p["embeds"][0]["description"] for p in posts]
    assert len(posts) == 8, texts  # the tariffs article, the Hindi one, six rallies
    assert {p["content"] for p in posts} == {"**Donald Trump** said:", "**डोनाल्ड ट्रंप** said:"}
    assert all(p["embeds"][0]["footer"]["text"].endswith("following Trump, ट्रंप")
               for p in posts)
    assert not any("evacuation" in t or "talks were over" in t for t in texts)
    tariffs = next(p for p in posts if "tariffs" in p["embeds"][0]["description"])
    assert "**Donald Trump**" in tariffs["embeds"][0]["description"]  # his name, in bold
    assert "1 more statement of theirs" in tariffs["embeds"][0]["footer"]["text"]
    later = await perform(session, {"wait": "2h"})
    assert alert_posts(later) == []


async def test_follow_says_who_the_name_resolved_to(session) -> None:
    """/follow answers with the fullest name the server's articles give, its other names and
    how many statements are there so far."""
    await session.slash("admin", "ingest", {"file": upload(ARTICLES)}, admin=True)
    answer = await session.slash("admin", "follow", {"who": "Trump"}, admin=True)
    text = answer.messages[0]["content"]
    assert "Here that is **Donald Trump**" in text and "English, Hindi" in text
    assert "9 statements in 8 articles" in text


async def test_quotes_pages_a_speakers_statements_in_this_server_only(session) -> None:
    """/quotes who:ट्रंप lists Donald Trump's statements newest first across languages, five a
    page, with More results; another server, without these articles, has none of them."""
    await session.slash("admin", "ingest", {"file": upload(ARTICLES)}, admin=True)
    first = await session.slash("alice", "quotes", {"who": "ट्रंप"})
    embed = first.messages[0]["embeds"][0]
    assert embed["title"] == "What Donald Trump said"
    assert embed["footer"]["text"] == "1–5 of 9 · newest first"
    assert embed["description"].index("व्यापार") < embed["description"].index("tariffs")
    assert "evacuation" not in embed["description"]
    second = await session.click("alice", "More results")
    assert second.messages[0]["embeds"][0]["footer"]["text"] == "6–9 of 9 · newest first"
    elsewhere = await session.slash("bob", "quotes", {"who": "Trump"}, guild="other")
    assert "No statements by" in elsewhere.messages[0]["content"]
    narrowed = await session.slash("alice", "quotes", {"who": "Trump", "about": "crowd",
                                                        "since": "2025-10-13"})
    assert narrowed.messages[0]["embeds"][0]["footer"]["text"] == "1–3 of 3 · newest first"


async def test_an_admin_alias_makes_another_name_count(session) -> None:
    """/alias add makes a name the articles never define count for the speaker: /quotes by that
    name finds their statements; /alias remove strikes it out again."""
    await session.slash("admin", "ingest", {"file": upload(ARTICLES)}, admin=True)
    before = await session.slash("alice", "quotes", {"who": "The Donald"})
    assert "No statements" in before.messages[0]["content"]
    added = await session.slash("admin", "alias add", {"name": "Donald Trump",
                                                       "alias": "The Donald"}, admin=True)
    assert "now also means" in added.messages[0]["content"]
    after = await session.slash("alice", "quotes", {"who": "The Donald"})
    assert after.messages[0]["embeds"][0]["title"] == "What Donald Trump said"
    await session.slash("admin", "alias remove", {"name": "Donald Trump",
                                                  "alias": "The Donald"}, admin=True)
    again = await session.slash("alice", "quotes", {"who": "The Donald"})
    assert "No statements" in again.messages[0]["content"]
