"""Several bot processes, one PostgreSQL and one OpenSearch.

Each bot process is a real OS process running some of the bot's shards through the offline
harness (``storybot simulate`` with ``STORYBOT_SHARDS``), with its own simulated Discord, data
folder and clock; they share only what real deployments share: the store (PostgreSQL), the
search index (OpenSearch) and the news sites (a real HTTP server on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.harness.connection import DEFAULT_GUILD, sharded_guild_id
from bot.harness.localsite import LocalSite
from index.library import Library
from tests.conftest import postgres_schema

REPO = Path(__file__).resolve().parents[2]
SHARDS = 2
CLAIM_SECONDS = 2  # a killed process's claims lapse quickly here (600 s by default)

PAGE_1 = """<html><head><title>Contoso inquiry</title></head><body><article>
<h1>Contoso inquiry</h1>
<p>Regulators opened an inquiry into the Contoso cloud contract on Monday, officials said.</p>
<p>Contoso said it would cooperate fully with the regulators and expected no delay.</p>
</article></body></html>"""

PAGE_2 = """<html><head><title>Contoso data centre</title></head><body><article>
<h1>Contoso data centre</h1>
<p>Contoso said the new data centre in the harbour district would open in the spring.</p>
<p>The city council approved the building permit last year after a long debate.</p>
</article></body></html>"""


def rss(*items: tuple[str, str]) -> str:
    entries = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{guid}</title>"
        "<pubDate>Mon, 10 Nov 2025 08:00:00 +0000</pubDate></item>"
        for guid, link in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}' \
           "</channel></rss>"


@pytest.fixture
async def shared_store() -> AsyncIterator[str]:
    """A fresh schema on the test PostgreSQL server, dropped afterwards."""
    async with postgres_schema("procs_") as url:
        yield url


@pytest.fixture
def site() -> Iterator[LocalSite]:
    served = LocalSite().start()
    yield served
    served.close()


class Bots:
    """Starts bot processes (``storybot simulate``) that share one store and one index."""

    def __init__(self, tmp: Path, store: str, options: dict[str, str], site: LocalSite) -> None:
        self.tmp = tmp
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "DISCORD"))},
            "STORYBOT_DATABASE_URL": store, "STORYBOT_ENGINE": "opensearch",
            "STORYBOT_OPENSEARCH_URL": options["url"], "STORYBOT_OPENSEARCH_PREFIX":
            options["prefix"], "STORYBOT_FETCH_ALLOW_HOSTS": site.host,
            "STORYBOT_SEMANTIC": "off", "STORYBOT_ASK_COOLDOWN": "0",
            "STORYBOT_SHARD_COUNT": str(SHARDS), "STORYBOT_CLAIM_SECONDS": str(CLAIM_SECONDS),
        }
        self.runs = 0

    def start(self, shard: int, actions: list[dict]) -> subprocess.Popen[str]:
        self.runs += 1
        script = self.tmp / f"shard{shard}-run{self.runs}.jsonl"
        script.write_text("\n".join(json.dumps(a) for a in actions), encoding="utf-8")
        env = {**self.env, "STORYBOT_SHARDS": str(shard),
               "STORYBOT_DATA_DIR": str(self.tmp / f"shard{shard}")}
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "simulate", str(script)], cwd=REPO, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    @staticmethod
    def outcomes(process: subprocess.Popen[str]) -> list[dict]:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def bots(tmp_path: Path, shared_store: str, options: dict[str, str], site: LocalSite) -> Bots:
    return Bots(tmp_path, shared_store, options, site)


def alerts(outcomes: list[dict]) -> list[dict]:
    return [m for o in outcomes for m in o.get("posted") or ()
            if m["embeds"] and "said:" in m["content"]]


def feed_polls(site: LocalSite) -> int:
    return sum(1 for path, _headers in site.requests if path == "/feed.xml")


def text_of(outcome: dict) -> str:
    return json.dumps(outcome["messages"], ensure_ascii=False)


ADMIN = {"as": "editor", "admin": True}


async def test_two_processes_poll_a_feed_once_and_post_an_alert_once(
    bots: Bots, site: LocalSite
) -> None:
    """Shard 0's server follows Contoso and adds a feed; both processes run their jobs for an
    hour of their clocks. The feed is polled on its schedule, not once per process (whichever
    process claims it first polls it: its claim is on the wall clock); the alert is posted once,
    by the process serving that server (at the latest when it runs again); the other shard's
    server sees nothing of that server's articles."""
    site.serve("/contoso.html", PAGE_1)
    site.serve("/feed.xml", rss(("item-1", site.url("/contoso.html"))))
    hour = [{"advance": "15m"}] * 4
    ask = {"as": "reader", "slash": "ask", "options": {"question": "what did Contoso say?"}}
    zero = bots.start(0, [
        {**ADMIN, "slash": "follow", "options": {"who": "Contoso"}},
        {**ADMIN, "slash": "feed add", "options": {"url": site.url("/feed.xml")}},
        *hour,
    ])
    one = bots.start(1, [*hour, ask])
    first, second = bots.outcomes(zero), bots.outcomes(one)
    # Added (one fetch), then every 15 minutes for an hour: 1 + 4, and up to 2 more where the
    # two processes' simulated clocks run apart; polling on their own, the two would make
    # 1 + 4 + 4.
    assert 2 <= feed_polls(site) <= 7
    third = bots.outcomes(bots.start(0, [{"advance": "15m"}, ask]))  # shard 0 runs again

    assert "cooperate fully" in text_of(third[-1])  # its own server's article
    assert "couldn't find" in text_of(second[-1])  # nothing of shard 0's server
    posted = alerts(first) + alerts(third)
    assert len(posted) == 1 and alerts(second) == [], json.dumps(posted)


async def test_a_killed_process_s_work_is_taken_over_and_a_restart_repeats_nothing(
    bots: Bots, site: LocalSite, options: dict[str, str], shared_store: str, tmp_path: Path
) -> None:
    """Shard 0's process is killed (kill -9), then the feed it polled gets a new item; shard 1's
    process takes the polling over and brings the item into shard 0's server's collection.
    Restarted, shard 0's process answers from it and posts no alert a second time."""
    site.serve("/contoso.html", PAGE_1)
    site.serve("/data-centre.html", PAGE_2)
    site.serve("/feed.xml", rss(("item-1", site.url("/contoso.html"))))
    zero = bots.start(0, [
        {**ADMIN, "slash": "follow", "options": {"who": "Contoso"}},
        {**ADMIN, "slash": "feed add", "options": {"url": site.url("/feed.xml")}},
        {"advance": "10m"}, {"advance": "12h"},
    ])
    deadline = time.monotonic() + 300
    while not (before := await _posted(shared_store)):  # the first item's alert
        assert time.monotonic() < deadline and zero.poll() is None, "no alert from shard 0"
        await asyncio.sleep(0.5)
    zero.send_signal(signal.SIGKILL)
    zero.wait()
    # The new item arrives once shard 0 is dead, so only a take-over can bring it in.
    site.serve("/feed.xml", rss(("item-1", site.url("/contoso.html")),
                                ("item-2", site.url("/data-centre.html"))))

    # The dead process's clock ran ahead of real time through its 12 hours (up to wherever the
    # kill found it), and the feed's next poll is written in that clock: shard 1 lets 13 hours
    # pass so that it is past it, however far shard 0 had got. A claim shard 0 held when it was
    # killed lapses after STORYBOT_CLAIM_SECONDS of real time.
    time.sleep(CLAIM_SECONDS + 1)
    one = bots.start(1, [{"advance": "13h"}])
    bots.outcomes(one)
    assert any(path == "/data-centre.html" for path, _h in site.requests), "not taken over"

    guild = sharded_guild_id(DEFAULT_GUILD, 0, SHARDS)
    async with await Library.open(tmp_path / "reader", sample=False, engine="opensearch",
                                  engine_options=options, database_url=shared_store,
                                  semantic=False) as library:
        scope = await library.scope(guild)
        answer = await library.ask("what did Contoso say about the data centre?", scope=scope)
        assert answer.quotes and "data centre" in answer.quotes[0].text

    again = bots.start(0, [
        {"as": "reader", "slash": "ask",
         "options": {"question": "what did Contoso say about the data centre?"}},
        {"advance": "30m"},
    ])
    restarted = bots.outcomes(again)
    assert "harbour district" in text_of(restarted[0])
    after = await _posted(shared_store)
    assert {key: after.get(key) for key in before} == before  # none posted again


async def _posted(database_url: str) -> dict[str, tuple[str | None, str | None]]:
    """The alerts posted so far: quote → (message id, time posted)."""
    from sqlalchemy import select

    from index.store import Store
    from index.store.schema import alerts

    store = await Store.open(database_url)
    try:
        async with store.engine.connect() as conn:
            rows = (await conn.execute(
                select(alerts.c.quote_key, alerts.c.message_id, alerts.c.posted_at)
                .where(alerts.c.state == "posted"))).all()
    finally:
        await store.close()
    return {key: (message, at) for key, message, at in rows}
