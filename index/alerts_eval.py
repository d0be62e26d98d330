"""Quote alerts measured on a labelled set (``storybot eval-alerts DIR``).

The set (``shared/eval/alerts-dev``: ``follows.jsonl``, ``articles.jsonl`` naming articles of
the news corpora beside it) is played through the path the bot uses: a new corpus, one server
whose #alerts channel follows every speaker of the set, then the articles arrive as new ones
(ingested into the server's collection), the alert job scans them, and every post that would go
out is taken (no hourly limit). A post answering several follows of the channel (two names of
one speaker) counts for each. What comes out is the list the set's scorer reads:
``{"follow_id", "article_id", "text"}``, one per alert and follow.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.evaluate import jsonl_records
from index.library import Library
from index.models import ArticleDraft, guild_collection

__all__ = ["play_alerts"]

GUILD, CHANNEL = 1, 2
_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _corpus_file(folder: Path, corpus: str) -> Path:
    for name in ("articles.jsonl", "articles.jsonl.gz"):
        path = folder.parent / corpus / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"the articles of {corpus} are not beside {folder}")


def _drafts(folder: Path) -> list[ArticleDraft]:
    """The set's articles, from the news corpora they belong to, as drafts named by their id."""
    wanted: dict[str, set[str]] = {}
    for row in jsonl_records(folder / "articles.jsonl"):
        wanted.setdefault(row["corpus"], set()).add(row["article_id"])
    drafts = []
    for corpus, ids in sorted(wanted.items()):
        for record in jsonl_records(_corpus_file(folder, corpus)):
            if record.get("id") in ids:
                drafts.append(ArticleDraft(
                    text=record["text"], origin=record["id"], title=record.get("title"),
                    url=record.get("url"), source=record.get("source"), lang=record.get("lang"),
                    published=record.get("published"),
                ))
    return drafts


async def play_alerts(
    folder: Path, *, engine: str = "tantivy", engine_options: dict[str, Any] | None = None
) -> list[dict[str, str]]:
    """Play the labelled set in ``folder`` through the alert path; returns the posts."""
    follows = list(jsonl_records(folder / "follows.jsonl"))
    with tempfile.TemporaryDirectory(prefix="storybot-alerts-") as tmp:
        library = await Library.open(tmp, engine=engine, sample=False, semantic=False,
                                     engine_options=engine_options)
        try:
            ids = {}
            for row in follows:
                follow = await library.alerts.follow(GUILD, CHANNEL, row["who"], None, _NOW)
                ids[follow.who] = row["follow_id"]
            _report, stored = await library.ingest.drafts(
                _drafts(folder), collection=guild_collection(GUILD)
            )
            origin = {article_id: name for name, article_id in stored.items()}
            await library.jobs.tick(_NOW)
            posts = []
            for post in await library.alerts.due(_NOW, per_hour=1 << 30):
                if post.passage is None or post.article is None:
                    continue
                text = " ".join(post.passage.text[a:b] for a, b in post.sentences)
                for who in post.matched:
                    posts.append({"follow_id": ids[who],
                                  "article_id": origin.get(post.article.id, post.article.id),
                                  "text": text, "speaker": post.speaker or ""})
            return posts
        finally:
            await library.close()
