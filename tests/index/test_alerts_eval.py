"""``storybot eval-alerts``: a labelled alert set played through the bot's alert path."""

from __future__ import annotations

import json
from pathlib import Path

from index.alerts_eval import play_alerts

ARTICLES = [
    {"id": "n1", "lang": "en", "title": "Harbour plan", "source": "Wire",
     "url": "https://wire.example/n1",
     "text": "Mayor Rina Mahendra said the harbour would reopen in May.\n"
             "Cranes arrived on Monday."},
    {"id": "n2", "lang": "en", "title": "Council vote", "source": "Wire",
     "url": "https://wire.example/n2",
     "text": "The council voted on the harbour budget.\nRina Mahendra was not at the meeting."},
    {"id": "n3", "lang": "id", "title": "Pelabuhan", "source": "Berita",
     "url": "https://berita.example/n3",
     "text": "\"Pelabuhan dibuka lagi bulan Mei,\" kata Rina Mahendra di Surabaya."},
]


def write_set(root: Path) -> Path:
    folder = root / "alerts-test"
    folder.mkdir()
    corpus = root / "news-test"
    corpus.mkdir()
    (corpus / "articles.jsonl").write_text(
        "\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    (folder / "follows.jsonl").write_text(json.dumps(
        {"follow_id": "f1", "who": "Mahendra", "lang": "en", "speaker": "Rina Mahendra"}))
    (folder / "articles.jsonl").write_text("\n".join(
        json.dumps({"article_id": a["id"], "lang": a["lang"], "corpus": "news-test"})
        for a in ARTICLES))
    return folder


async def test_the_set_is_played_as_new_articles_after_the_follows(tmp_path: Path) -> None:
    """Each article where the followed speaker speaks gives one post, named by the set's own
    article id and quoting the statement; a mere mention gives none."""
    posts = await play_alerts(write_set(tmp_path))
    assert sorted((p["follow_id"], p["article_id"]) for p in posts) == [("f1", "n1"), ("f1", "n3")]
    texts = {p["article_id"]: p["text"] for p in posts}
    assert texts["n1"].startswith("Mayor Rina Mahendra said the harbour")
    assert "Pelabuhan dibuka lagi" in texts["n3"]
