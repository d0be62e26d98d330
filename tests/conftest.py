"""Shared fixtures: a tiny English/Hindi/Indonesian corpus, and the real library on ``tmp_path``.

``write_corpus`` lays the corpus out the way users hand it over: one ``.jsonl`` file with an
article a line, a ``.txt`` file with a ``NAME.meta.json`` sidecar and a ``.md`` file with
``---`` front matter. The ``tiny_docs`` fixture turns the same articles into engine ``Doc``s
with the real cleaning, splitting and analysis, for tests that drive the engines directly.

The bot tests (``tests/bot/conftest.py``) define their own ``library`` fixture, which takes
precedence there.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from index.library import Library

# Articles with clearly different vocabularies and lengths, so rankings have no near-ties.
TINY_CORPUS: list[dict[str, str]] = [
    {
        "title": "Council approves new bridge over the river",
        "source": "Example Wire",
        "url": "https://wire.example/2023/bridge",
        "lang": "en",
        "published": "2023-05-01",
        "text": (
            "The city council approved a new bridge over the river on Monday.\n"
            "The bridge will cost 12 million dollars and open in two years. "
            "Engineers said the old bridge was no longer safe for heavy trucks.\n"
            "Residents welcomed the decision, but some asked why the council waited so long."
        ),
    },
    {
        "title": "Heatwave closes schools",
        "source": "Example Wire",
        "url": "https://wire.example/2023/heatwave",
        "lang": "en",
        "published": "2023-06-12",
        "text": (
            "A heatwave closed schools across the region for a third day.\n"
            "Temperatures reached 44 degrees in the afternoon, the weather office said. "
            "Doctors urged parents to keep children indoors and give them plenty of water."
        ),
    },
    {
        "title": "मुंबई में भारी बारिश से जनजीवन प्रभावित",
        "source": "उदाहरण समाचार",
        "url": "https://hindi.example/2023/barish",
        "lang": "hi",
        "published": "2023-07-03",
        "text": (
            "मुंबई में भारी बारिश के कारण लोकल ट्रेनें रुक गईं और कई सड़कों पर पानी भर गया।\n"
            "मौसम विभाग ने अगले दो दिनों के लिए चेतावनी जारी की है। "
            "नगर निगम ने लोगों से घरों में रहने की अपील की।"
        ),
    },
    {
        "title": "किसानों ने नई फसल बीमा योजना का स्वागत किया",
        "source": "उदाहरण समाचार",
        "url": "https://hindi.example/2023/bima",
        "lang": "hi",
        "published": "2023-07-09",
        "text": (
            "सरकार ने किसानों के लिए नई फसल बीमा योजना की घोषणा की।\n"
            "कृषि मंत्री ने कहा कि योजना से छोटे किसानों को सबसे ज़्यादा लाभ होगा। "
            "किसान संगठनों ने योजना का स्वागत किया, लेकिन प्रीमियम कम करने की मांग की।"
        ),
    },
    {
        "title": "Gunung Merapi kembali erupsi",
        "source": "Contoh Berita",
        "url": "https://berita.example/2023/merapi",
        "lang": "id",
        "published": "2023-08-15",
        "text": (
            "Gunung Merapi kembali mengeluarkan awan panas pada Selasa pagi.\n"
            "Badan geologi meminta warga menjauhi radius tujuh kilometer dari puncak gunung. "
            "Ribuan warga desa di lereng gunung sudah mengungsi ke tempat yang lebih aman."
        ),
    },
    {
        "title": "Harga beras naik menjelang Lebaran",
        "source": "Contoh Berita",
        "url": "https://berita.example/2023/beras",
        "lang": "id",
        "published": "2023-08-20",
        "text": (
            "Harga beras di pasar tradisional naik tajam menjelang Lebaran.\n"
            "Pedagang mengatakan pasokan dari petani berkurang karena musim kemarau panjang. "
            "Pemerintah berjanji akan menggelar operasi pasar untuk menstabilkan harga beras."
        ),
    },
]


def write_corpus(folder: Path) -> list[Path]:
    """Write ``TINY_CORPUS`` into ``folder`` as .jsonl, .txt + sidecar and .md + front matter.

    Returns the article files (not the sidecar), in the order they were written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    first, second, *rest = TINY_CORPUS

    txt = folder / "bridge.txt"
    txt.write_text(first["text"], encoding="utf-8")
    meta = {key: first[key] for key in ("title", "source", "url", "lang", "published")}
    (folder / "bridge.meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    md = folder / "heatwave.md"
    front = "\n".join(
        f"{key}: {second[key]}" for key in ("title", "source", "url", "lang", "published")
    )
    md.write_text(f"---\n{front}\n---\n{second['text']}\n", encoding="utf-8")

    jsonl = folder / "more.jsonl"
    jsonl.write_text(
        "\n".join(json.dumps(record, ensure_ascii=False) for record in rest) + "\n",
        encoding="utf-8",
    )
    return [txt, md, jsonl]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A folder holding the tiny en/hi/id corpus in three file formats."""
    folder = tmp_path / "corpus"
    write_corpus(folder)
    return folder


@pytest.fixture
async def library(tmp_path: Path):
    """The real library (SQLite + tantivy) on a fresh data dir, with the bundled seed articles."""
    lib = await Library.open(tmp_path / "data", sample=True)
    yield lib
    await lib.close()


@pytest.fixture
async def corpus_library(tmp_path: Path, corpus_dir: Path):
    """The real library on a fresh data dir holding only the tiny en/hi/id corpus."""
    lib = await Library.open(tmp_path / "data", sample=False)
    report = await lib.ingest.paths([corpus_dir])
    assert report.ok, report.failed
    yield lib
    await lib.close()


@pytest.fixture(scope="session")
def tiny_docs() -> list:
    """``TINY_CORPUS`` as engine ``Doc``s: really cleaned, split into passages and analysed.

    Article ``n`` (1-based) of the corpus gets the id ``f"a{n:011x}"``.
    """
    from index.analysis.analyzers import analyzer_for
    from index.ingest.prepare import prepare_article
    from index.models import ArticleDraft
    from index.search.engines import Doc

    docs = []
    for number, record in enumerate(TINY_CORPUS, start=1):
        stored = prepare_article(ArticleDraft(origin=f"tiny:{number}", **record))
        for position, (start, end, lang) in enumerate(stored.passages):
            analysed = analyzer_for(lang).analyze(stored.clean_text[start:end])
            docs.append(
                Doc(
                    article_id=f"a{number:011x}",
                    position=position,
                    lang=lang,
                    terms=analysed.terms,
                    keys=analysed.keys,
                    outlets=(record["source"].lower(), "wire.example"),
                )
            )
    return docs


# --- both stores ----------------------------------------------------------------------------
#
# Store tests run against SQLite and, when a PostgreSQL server is at hand, against it too: set
# STORYBOT_TEST_DATABASE_URL (scripts/cluster prints STORYBOT_DATABASE_URL, which is used when
# the test variable is unset). Each test gets its own schema, dropped afterwards. On a
# developer's machine without a server the PostgreSQL cases are skipped; in CI (CI set) they
# fail instead, so they never silently stop running.


def postgres_url() -> str | None:
    return os.environ.get("STORYBOT_TEST_DATABASE_URL") or os.environ.get("STORYBOT_DATABASE_URL")


@asynccontextmanager
async def postgres_schema(prefix: str) -> AsyncIterator[str]:
    """The URL of a fresh schema on the test PostgreSQL server, dropped afterwards (skipped
    without a server on a developer's machine, failed in CI)."""
    base = postgres_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI runs the PostgreSQL tests: start scripts/cluster first")
        pytest.skip("no PostgreSQL server (set STORYBOT_TEST_DATABASE_URL to run these)")
    schema = prefix + uuid.uuid4().hex[:12]
    try:
        yield f"{base}{'&' if '?' in base else '?'}schema={schema}"
    finally:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(base.replace("postgresql://", "postgresql+asyncpg://", 1))
        async with engine.begin() as conn:
            await conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.cluster)])
async def database_url(request, tmp_path: Path):
    """Where a test's store lives: a SQLite file, or a fresh schema on a PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
        return
    async with postgres_schema("test_") as url:
        yield url
