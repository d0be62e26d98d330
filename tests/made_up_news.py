"""Made-up English news for the tests that ingest many articles, and an ingest killed midway.

Each article has two passages and a word of its own (``Feed.word``), so a test can ask for any
one of them; ``kill_mid_ingest`` stores 20 articles, starts on 3,000 more in another process and
kills it (SIGKILL) once 150 are stored, leaving what a crash leaves.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from index.library import DB_NAME

REPO = Path(__file__).resolve().parents[1]

_INGEST_SCRIPT = """
import asyncio, json, sys
from index.library import Library

async def main(data_dir, engine, options, small, big):
    library = await Library.open(data_dir, sample=False, engine=engine,
                                 engine_options=json.loads(options) or None)
    await library.ingest.paths([small])
    print("small done", flush=True)
    await library.ingest.paths([big])
    print("big done", flush=True)

asyncio.run(main(*sys.argv[1:6]))
"""


class Feed:
    """Made-up English news: articles of two passages, each with a word of its own."""

    @staticmethod
    def word(i: int) -> str:
        """The word unique to article ``i`` (``zu`` and syllables: no real word matches)."""
        letters = "bcdfghjklmnprstvz"
        out = ""
        while True:
            out += letters[i % len(letters)] + "aeiou"[i % 5]
            i //= len(letters)
            if i == 0:
                return "zu" + out

    @classmethod
    def write(cls, path: Path, count: int, offset: int = 0) -> None:
        """``count`` articles (from number ``offset``) as a JSONL file."""
        with path.open("w", encoding="utf-8") as handle:
            for i in range(offset, offset + count):
                record = {
                    "url": f"https://feed.example/{i}", "source": "Feed", "lang": "en",
                    "text": (
                        f"The council of Example Town discussed the {cls.word(i)} project on"
                        f" Monday. Officials said the {cls.word(i)} plan needed more money next"
                        " year.\nResidents asked many questions about roads and schools."
                    ),
                }
                handle.write(json.dumps(record) + "\n")


def _count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def kill_mid_ingest(
    tmp: Path, data: Path, engine: str = "tantivy", options: dict | None = None
) -> None:
    """Ingest 20 articles into ``data``, then 3,000 more, killed with SIGKILL after 150 are
    stored (the first 20 are all in; the rest stop wherever the kill found them)."""
    small, big = tmp / "small.jsonl", tmp / "big.jsonl"
    Feed.write(small, 20)
    Feed.write(big, 3000, offset=20)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _INGEST_SCRIPT, str(data), engine, json.dumps(options or {}),
         str(small), str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp,
    )
    try:
        deadline = time.monotonic() + 120
        while _count_articles(data / DB_NAME) < 150:
            assert proc.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "the ingest never started writing"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        output, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert b"small done" in output and b"big done" not in output
