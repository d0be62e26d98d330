"""Fixtures for the bot tests: the real library on a temporary SQLite file, the real bot in simcord.

Every test runs against ``index.library.Library`` (real SQLite, real tantivy) opened in
``tmp_path`` with the bundled sample corpus plus two English articles: a plain one with a dozen
quotable sentences (enough for three pages of results) and a hostile one full of mentions,
Markdown and over-long links.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.harness import SETTLE_TIMEOUT_S
from index.library import Library, sample_corpus

ENGLISH = [
    {
        "title": "Microsoft answers Twitter's data letter",
        "source": "Example Wire",
        "url": "https://wire.example/2023/05/microsoft-twitter-letter",
        "lang": "en",
        "published": "2023-05-19",
        "text": " ".join(
            [
                "Microsoft said on Friday it had received a letter from Twitter about data use.",
                "A Microsoft spokesman said the company would review the questions raised.",
                "Microsoft said it looked forward to a long-term partnership with Twitter.",
                "Twitter accused Microsoft of using its data beyond what their agreement allowed.",
                "Microsoft said it does not currently pay Twitter for access to its data.",
                "Lawyers for Twitter wrote to Microsoft chief executive Satya Nadella.",
                "Microsoft said its advertising platform would stop supporting Twitter.",
                "Analysts said Microsoft and Twitter had clashed over OpenAI before.",
                "Microsoft said it would respond to the letter in due course.",
                "Twitter said Microsoft shared data with government agencies.",
                "Microsoft said it had always acted within the developer agreement.",
                "A Microsoft statement said the company valued its relationship with Twitter.",
            ]
        ),
    },
    {
        "title": "@everyone **Breaking** <@&123> [click](http://evil.example)",
        "source": "@here Hostile Times",
        "url": "https://hostile.example/" + "x" * 600,
        "lang": "en",
        "published": "2023-05-20",
        "text": (
            "# Heading @everyone ping <@123456789012345678> and <@&123> now. "
            "```code``` ||spoiler|| [x](http://evil.example) ~~strike~~ __under__ "
            "The zebra council said zebras " + "stripes" * 120 + " were counted. "
            "مرحبا बातचीत 🦓 zebra."
        ),
    },
]


@pytest.fixture
async def library(tmp_path: Path):
    """A library on a temporary data dir: the bundled sample plus two English test articles."""
    import json

    lib = await Library.open(tmp_path / "data", engine="tantivy", sample=False)
    assert (await lib.ingest.paths([sample_corpus()])).ok  # the seeds as the corpus's own
    lines = "\n".join(json.dumps(record, ensure_ascii=False) for record in ENGLISH)
    report = await lib.ingest.upload("english.jsonl", lines.encode())
    assert report.ok, report.failed
    await lib.embedding.run()  # as a running bot has done by now
    yield lib
    await lib.close()


@pytest.fixture
def settings():
    """Settings for tests: no cooldown unless a test asks for one."""
    from bot.settings import Settings

    return Settings(ask_cooldown=0)


@pytest.fixture
def simcord_bot(library, settings):
    """The real bot (simcord's pytest plugin runs it as ``simcord_env``)."""
    from bot.client import create_bot

    return create_bot(library, settings, close_library=False)


@pytest.fixture
async def session(simcord_env):
    """The real bot in a simcord guild, commands synced, around the test library."""
    from bot.harness import Session

    session = await Session.attach(simcord_env)
    yield session
    if session.site is not None:
        session.site.close()


def pytest_collection_modifyitems(items):
    """Handled errors (cooldowns, refusals) are part of these tests, not teardown failures."""
    for item in items:
        if "simcord_env" in getattr(item, "fixturenames", ()):
            item.add_marker(
                pytest.mark.simcord(check_errors=False, settle_timeout=SETTLE_TIMEOUT_S)
            )
