"""How responsive the bot's event loop stays under a burst of questions.

``storybot loadtest --asks 200`` opens the corpus and fires that many ``/ask``s at once through
exactly the calls the ``/ask`` cog makes (check the question, search, render the pages), on one
event loop, while a probe task sleeps 10 ms again and again and records how late it wakes up.
Discord's own traffic (gateway, REST) is left out: it is discord.py's, and in the offline
harness simcord's settling would dominate. The figure is the loop lag our code causes: if it
stays small, a heartbeat, a button click or another server's question is never held up.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING, Any

from bot.cogs.ask import ASK_RESULTS
from bot.render import answer_pages
from index import run_cpu

if TYPE_CHECKING:
    from index import Library

__all__ = ["PROBE_INTERVAL_S", "measure_alert_latency", "measure_loop_lag"]

PROBE_INTERVAL_S = 0.010
QUESTIONS = (
    "what did Microsoft say?", "माइक्रोसॉफ्ट ने क्या कहा?", "Apa kata Microsoft?",
    "How much did Elon Musk pay for Twitter?", "Who is Alex Spiro?", "Twitter data agreement",
)


async def _one_ask(library: Library, question: str) -> float:
    started = time.perf_counter()
    await library.check_question(question)
    answer = await library.ask(question, k=ASK_RESULTS)
    await run_cpu(answer_pages, answer)
    return time.perf_counter() - started


async def measure_loop_lag(library: Library, asks: int = 200) -> dict[str, Any]:
    """Fire ``asks`` questions at once; report the probe's wake-up lag and the ask times."""
    lags: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(PROBE_INTERVAL_S)
            lags.append(time.perf_counter() - started - PROBE_INTERVAL_S)

    await library.warm_up()
    await _one_ask(library, QUESTIONS[0])
    probing = asyncio.create_task(probe())
    started = time.perf_counter()
    durations = await asyncio.gather(
        *(_one_ask(library, QUESTIONS[i % len(QUESTIONS)]) for i in range(asks))
    )
    wall = time.perf_counter() - started
    stop.set()
    await probing
    lags_ms = sorted(1000 * lag for lag in lags)
    q = statistics.quantiles(lags_ms, n=100, method="inclusive") if len(lags_ms) > 1 else lags_ms
    return {
        "asks": asks,
        "wall_s": round(wall, 2),
        "ask_p50_ms": round(1000 * statistics.median(durations), 1),
        "ask_max_ms": round(1000 * max(durations), 1),
        "probes": len(lags_ms),
        "lag_p50_ms": round(statistics.median(lags_ms), 2),
        "lag_p99_ms": round(q[98] if len(q) > 98 else lags_ms[-1], 2),
        "lag_max_ms": round(lags_ms[-1], 2),
    }


ALERT_PAGE = (
    "<html><head><title>Statement {n}</title></head><body><article>"
    "<p>Regulators asked about the contract on Monday, officials in the capital confirmed.</p>"
    "<p>Microsoft said it would answer every question number {n} within a week.</p>"
    "</article></body></html>"
)


async def measure_alert_latency(library: Library, items: int = 10) -> dict[str, Any]:
    """From a feed item's arrival (served, feed due) to its alert ready to send: poll, fetch,
    extract, store, index, find the statement, claim the post, render it. The wait for the
    feed's next poll (its interval, 15 minutes by default) comes on top in a real deployment."""
    from datetime import UTC, datetime

    from bot.harness.localsite import LocalSite
    from bot.render import render_alert

    site = LocalSite().start()
    library.ingest.allow_hosts |= {site.host}
    guild, channel = 900000000000000001, 900000000000000002
    try:
        now = datetime.now(UTC)
        await library.alerts.follow(guild, channel, "Microsoft", None, now)
        site.serve("/feed.xml", _rss([]))
        feed = await library.feeds.add(guild, site.url("/feed.xml"), now)
        await library.feeds.poll_due(now)
        latencies = []
        links: list[str] = []
        for n in range(items):
            site.serve(f"/item{n}.html", ALERT_PAGE.format(n=n))
            links.insert(0, site.url(f"/item{n}.html"))
            site.serve("/feed.xml", _rss(links))
            now = datetime.now(UTC)
            await library.feeds.release(feed.id, now)
            started = time.perf_counter()
            await library.feeds.poll_due(now)
            await library.alerts.scan(now)
            posts = await library.alerts.due(now, per_hour=10_000)
            for post in posts:
                await run_cpu(render_alert, post)
            if posts:
                latencies.append(time.perf_counter() - started)
        ms = sorted(1000 * x for x in latencies)
        return {"items": items, "alerts": len(ms), "p50_ms": round(statistics.median(ms), 1),
                "max_ms": round(ms[-1], 1)}
    finally:
        site.close()


def _rss(links: list[str]) -> str:
    items = "".join(f"<item><guid>{link}</guid><link>{link}</link></item>" for link in links)
    return f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'
