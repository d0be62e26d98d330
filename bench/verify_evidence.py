"""Check bench/news-questions.jsonl against the storybot SQLite store (read-only).

Usage: python bench/verify_evidence.py [/tmp/news/storybot.sqlite3]

For every non-absent question: the article exists, each evidence string is
15-200 characters and an exact substring of at least one stored passage, and
the first evidence string is in a passage of the question's article_id.
Absent questions must carry no article_id/evidence.
"""
import json
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

db = sys.argv[1] if len(sys.argv) > 1 else "/tmp/news/storybot.sqlite3"
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
by_article = defaultdict(list)
for article_id, text in con.execute("select article_id, text from passages"):
    by_article[article_id].append(text)
all_passages = [t for ts in by_article.values() for t in ts]

path = Path(__file__).with_name("news-questions.jsonl")
rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
errors = []
assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
for r in rows:
    if r["kind"] == "absent":
        if r.get("article_id") or r.get("evidence"):
            errors.append((r["id"], "absent question carries evidence"))
        continue
    evs = r["evidence"] if isinstance(r["evidence"], list) else [r["evidence"]]
    if r["article_id"] not in by_article:
        errors.append((r["id"], "unknown article_id", r["article_id"]))
    for i, ev in enumerate(evs):
        if not 15 <= len(ev) <= 200:
            errors.append((r["id"], "length", len(ev)))
        if i == 0 and not any(ev in t for t in by_article.get(r["article_id"], [])):
            errors.append((r["id"], "first evidence not in its article", ev))
        if not any(ev in t for t in all_passages):
            errors.append((r["id"], "evidence not in any passage", ev))
for e in errors:
    print("ERROR", *e)
print(len(rows), "questions;", dict(Counter(r["kind"] for r in rows)), ";", len(errors), "errors")
sys.exit(1 if errors else 0)
