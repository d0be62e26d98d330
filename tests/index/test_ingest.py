"""Ingestion: every format becomes drafts, every bad item becomes a named failure, and the store
gets each article whole (one transaction each), once."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from index.ingest.passages import MAX_SENTENCE_CHARS, split_passages
from index.ingest.readers import iter_files, read_bytes, read_path
from index.library import DB_NAME, Library
from index.models import ArticleDraft, IngestFailure

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Port strike ends after deal | Harbour Daily</title>
<meta property="og:site_name" content="Harbour Daily">
<meta property="og:title" content="Port strike ends after deal">
<meta name="date" content="2023-09-14">
</head><body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe to our newsletter today</a></li>
</ul></nav></header>
<main><article>
<h1>Port strike ends after deal</h1>
<p>Dock workers at the city port returned to work on Thursday after unions and employers
agreed a new three-year pay deal.</p>
<p>The strike had lasted eleven days and left more than forty container ships waiting offshore,
according to the harbour authority.</p>
<p>Union leaders said the agreement raised wages by nine percent and limited night shifts, while
employers said the deal would keep the port competitive.</p>
</article></main>
<aside><h2>Most read</h2><ul>
<li><a href="/a">Celebrity chef opens third restaurant downtown</a></li></ul></aside>
<footer><p>Copyright 2023 Harbour Daily. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a></p></footer>
</body></html>
"""

BODY = (
    "The ministry said on Tuesday that the new rail line would open next spring.\n"
    "Officials expect twenty thousand passengers a day in the first year of service."
)


def drafts_and_failures(items) -> tuple[list[ArticleDraft], list[IngestFailure]]:
    items = list(items)
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert len(drafts) + len(failures) == len(items)
    return drafts, failures


# --- formats -------------------------------------------------------------------------------


def test_txt_takes_metadata_from_its_sidecar(tmp_path: Path) -> None:
    """A .txt file's title, url, source, lang and date come from NAME.meta.json beside it."""
    path = tmp_path / "rail.txt"
    path.write_text(BODY, encoding="utf-8")
    meta = {"title": "Rail line to open", "url": "https://x.example/rail", "source": "X News",
            "lang": "en", "published": "2023-03-01"}
    (tmp_path / "rail.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    drafts, failures = drafts_and_failures(read_path(path))
    assert failures == []
    [draft] = drafts
    assert draft.text == BODY
    assert (draft.title, draft.url, draft.source, draft.lang, draft.published) == tuple(
        meta.values()
    )
    assert draft.origin == str(path)


def test_txt_takes_metadata_from_front_matter(tmp_path: Path) -> None:
    """A .txt file starting with a ---fenced key: value block gets that metadata, not the block."""
    path = tmp_path / "rail.txt"
    path.write_text(
        "---\ntitle: \"Rail line to open\"\nurl: https://x.example/rail\nsource: X News\n"
        f"lang: en\nunknown: ignored\n---\n{BODY}",
        encoding="utf-8",
    )
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Rail line to open"
    assert draft.url == "https://x.example/rail"
    assert draft.source == "X News"
    assert draft.lang == "en"
    assert draft.text.strip() == BODY
    assert "---" not in draft.text


def test_sidecar_wins_over_front_matter(tmp_path: Path) -> None:
    """When both give a field, the sidecar's value is used."""
    path = tmp_path / "rail.txt"
    path.write_text(f"---\ntitle: From front matter\nsource: Front\n---\n{BODY}", encoding="utf-8")
    (tmp_path / "rail.meta.json").write_text('{"title": "From sidecar"}', encoding="utf-8")
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "From sidecar"
    assert draft.source == "Front"


def test_markdown_file_is_read_like_text(tmp_path: Path) -> None:
    """A .md file with front matter becomes one draft with its metadata and body."""
    path = tmp_path / "note.md"
    path.write_text(f"---\ntitle: Rail line\nlang: en\n---\n{BODY}\n", encoding="utf-8")
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Rail line"
    assert draft.text.strip() == BODY


def test_html_page_gives_article_text_and_title_without_page_chrome(tmp_path: Path) -> None:
    """trafilatura keeps the <article> text and metadata and drops nav, aside and footer."""
    path = tmp_path / "port.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Port strike ends after deal"
    assert draft.source == "Harbour Daily"
    assert draft.published == "2023-09-14"
    assert "Dock workers at the city port returned to work on Thursday" in draft.text
    assert "keep the port competitive." in draft.text
    for chrome in ("Subscribe to our newsletter", "Celebrity chef", "Privacy policy",
                   "Cookie settings", "All rights reserved", "Most read"):
        assert chrome not in draft.text


async def test_html_without_article_text_is_a_failure(empty_library: Library) -> None:
    """An HTML page with only navigation is reported, not stored as an article."""
    page = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    report = await empty_library.ingest.upload("empty.html", page)
    assert report.added == []
    [failure] = report.failed
    assert failure.origin == "empty.html"
    assert "no article text" in failure.reason
    assert await empty_library.store.count_articles() == 0


def test_jsonl_names_each_bad_line_and_keeps_the_good_ones(tmp_path: Path) -> None:
    """Malformed, non-object and text-less lines fail as FILE:N with a reason; others land."""
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": BODY, "title": "First", "url": "https://x.example/1"}),
        '{"text": "unterminated',
        json.dumps(["a", "list"]),
        json.dumps({"title": "No text here"}),
        "",
        json.dumps({"text": "Second article has its own sentence about the harbour today.",
                    "lang": "en"}),
        json.dumps({"text": "Bad title type but real text here.", "title": {"x": 1}}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    drafts, failures = drafts_and_failures(read_path(path))
    assert [d.title for d in drafts] == ["First", None]
    assert [d.origin for d in drafts] == [f"{path}:1", f"{path}:6"]
    reasons = {f.origin: f.reason for f in failures}
    assert set(reasons) == {f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:7"}
    assert "not valid JSON" in reasons[f"{path}:2"]
    assert "JSON object" in reasons[f"{path}:3"]
    assert "'text'" in reasons[f"{path}:4"]
    assert "'title'" in reasons[f"{path}:7"]


def test_jsonl_line_over_the_limit_fails_alone(tmp_path: Path) -> None:
    """One over-long line in a .jsonl fails by line number; the short lines still land."""
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"text": "x " * 500}) + "\n" + json.dumps({"text": "Short text."}) + "\n",
        encoding="utf-8",
    )
    drafts, failures = drafts_and_failures(read_path(path, max_bytes=200))
    assert [d.text for d in drafts] == ["Short text."]
    assert [f.origin for f in failures] == [f"{path}:1"]
    assert "limit" in failures[0].reason


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.txt", b"GIF89a\x00\x01\x02\x00\x00text", "binary"),
        ("latin1.txt", "Caf\u00e9 ouvert le dimanche.".encode("latin-1"), "UTF-8"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\n", "empty"),
        ("report.pdf", b"%PDF-1.7 some bytes", "unsupported file type"),
        ("noext", b"plain words here", "unsupported file type"),
        ("bad.jsonl", b"\xff\xfe{not json}\n", "UTF-8"),
    ],
)
def test_bad_file_is_reported_by_name_with_a_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    """A file that cannot be an article gives one failure naming the file and why."""
    path = tmp_path / name
    path.write_bytes(data)
    drafts, failures = drafts_and_failures(read_path(path))
    assert drafts == []
    [failure] = failures
    assert failure.origin.startswith(str(path))
    assert reason in failure.reason


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_file_over_max_bytes_is_refused(tmp_path: Path, suffix: str) -> None:
    """A file bigger than max_bytes is refused with its size, without reading it as an article."""
    path = tmp_path / f"big{suffix}"
    path.write_text("word " * 100, encoding="utf-8")
    [failure] = list(read_path(path, max_bytes=100))
    assert isinstance(failure, IngestFailure)
    assert failure.origin == str(path)
    assert "500 bytes" in failure.reason and "100 byte limit" in failure.reason


def test_broken_sidecar_is_reported(tmp_path: Path) -> None:
    """A sidecar that is not a JSON object fails the article, naming the sidecar."""
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{nope", encoding="utf-8")
    [failure] = list(read_path(path))
    assert isinstance(failure, IngestFailure)
    assert "a.meta.json" in failure.reason


def test_missing_path_is_reported(tmp_path: Path) -> None:
    """A path that does not exist becomes a failure naming it."""
    missing = tmp_path / "nowhere" / "x.txt"
    [item] = list(iter_files([missing]))
    assert isinstance(item, IngestFailure)
    assert item.origin == str(missing)
    assert "no such file" in item.reason


def test_folder_walk_skips_sidecars_hidden_and_unsupported_files(tmp_path: Path) -> None:
    """Walking a folder yields the supported files in name order, never sidecars."""
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "a.md").write_text(BODY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.HTML").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "sub" / "d.jsonl").write_text("", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.md", "b.txt", "sub/c.HTML", "sub/d.jsonl"]


# --- through the library, on a real SQLite file -------------------------------------------


@pytest.fixture
async def empty_library(tmp_path: Path):
    """A library on a new data dir without the sample articles."""
    lib = await Library.open(tmp_path / "data", sample=False)
    yield lib
    await lib.close()


async def test_ingest_folder_summary_counts(empty_library: Library, corpus_dir: Path) -> None:
    """Ingesting the tiny corpus folder adds every article (sidecar not counted) and fails none."""
    report = await empty_library.ingest.paths([corpus_dir])
    assert report.ok
    assert len(report.added) == 6
    assert report.updated == [] and report.skipped == []
    assert await empty_library.store.count_articles() == 6
    assert (corpus_dir.parent / "data" / DB_NAME).is_file()


async def test_reingesting_the_same_files_skips_them(
    empty_library: Library, corpus_dir: Path
) -> None:
    """A second ingest of unchanged files stores nothing new and reports every item skipped."""
    first = await empty_library.ingest.paths([corpus_dir])
    passages = await empty_library.store.count_passages()
    second = await empty_library.ingest.paths([corpus_dir])
    assert second.added == [] and second.updated == []
    assert sorted(second.skipped) == sorted(first.added)
    assert await empty_library.store.count_articles() == 6
    assert await empty_library.store.count_passages() == passages
    assert empty_library.engine.num_docs() == passages


async def test_same_url_with_new_text_updates_instead_of_duplicating(
    empty_library: Library, tmp_path: Path
) -> None:
    """An article re-ingested under its URL with changed text replaces the stored copy."""
    path = tmp_path / "story.jsonl"
    record = {"url": "https://x.example/story", "title": "Story", "text": BODY}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    first = await empty_library.ingest.paths([path])
    record["text"] = BODY + "\nA correction was added to the story on Wednesday afternoon."
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    second = await empty_library.ingest.paths([path])
    assert second.updated == first.added
    assert await empty_library.store.count_articles() == 1
    article = await empty_library.article(first.added[0])
    assert "A correction was added" in article.clean_text
    passages = await empty_library.passages(article.id)
    assert passages[-1].text == "A correction was added to the story on Wednesday afternoon."
    assert empty_library.engine.num_docs() == len(passages)


async def test_bad_items_fail_alone_and_good_ones_land(
    empty_library: Library, tmp_path: Path
) -> None:
    """A batch with bad files and lines stores every good article and names every failure."""
    (tmp_path / "in").mkdir()
    good = tmp_path / "in" / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "in" / "empty.md").write_bytes(b"")
    feed = tmp_path / "in" / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "The harbour reopened on Friday after three days of storms."})
        + "\n{broken\n",
        encoding="utf-8",
    )
    missing = tmp_path / "missing.txt"
    report = await empty_library.ingest.paths([tmp_path / "in", missing])
    assert not report.ok
    assert len(report.added) == 2
    failed = {Path(f.origin).name for f in report.failed}
    assert failed == {"binary.txt", "empty.md", "feed.jsonl:2", "missing.txt"}
    assert await empty_library.store.count_articles() == 2


async def test_file_over_library_max_bytes_is_refused(
    empty_library: Library, tmp_path: Path
) -> None:
    """Library.max_bytes caps what ingest_paths reads; the refused file is named in the report."""
    empty_library.ingest.max_bytes = 50
    path = tmp_path / "long.txt"
    path.write_text(BODY, encoding="utf-8")
    report = await empty_library.ingest.paths([path])
    assert report.added == []
    [failure] = report.failed
    assert failure.origin == str(path)
    assert "limit" in failure.reason


async def test_every_stored_article_has_all_its_passages(
    empty_library: Library, corpus_dir: Path
) -> None:
    """Each article's passages are exactly the split of its clean text, and the index holds them."""
    report = await empty_library.ingest.paths([corpus_dir])
    total = 0
    for article_id in report.added:
        article = await empty_library.article(article_id)
        passages = await empty_library.passages(article_id)
        assert [(p.start, p.end) for p in passages] == split_passages(article.clean_text)
        assert article.passage_count == len(passages)
        total += len(passages)
    assert await empty_library.store.count_passages() == total
    assert empty_library.engine.num_docs() == total


async def test_a_failing_write_leaves_no_half_stored_article(
    empty_library: Library, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When storing one article's passages fails (a disk error), that article is rolled back and
    reported by name, every other article of the batch lands, and ingesting again adds it."""
    from sqlalchemy.ext.asyncio import AsyncConnection

    real_execute = AsyncConnection.execute
    calls = {"passages": 0}

    async def flaky_execute(self, statement, *args, **kwargs):
        table = getattr(statement, "table", None)
        if table is not None and table.name == "passages" and statement.is_insert:
            calls["passages"] += 1
            if calls["passages"] == 3:
                raise sqlite3.OperationalError("disk I/O error (simulated)")
        return await real_execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(AsyncConnection, "execute", flaky_execute)
    first = await empty_library.ingest.paths([corpus_dir])
    [failure] = first.failed
    assert "disk I/O error" in failure.reason and failure.origin.startswith(str(corpus_dir))
    assert len(first.added) == 5
    assert await empty_library.store.count_articles() == 5
    assert await _scalar(empty_library,
        "SELECT COUNT(*) FROM articles a"
        " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.article_id = a.id)"
    ) == 0
    assert empty_library.engine.num_docs() == await empty_library.store.count_passages()

    monkeypatch.setattr(AsyncConnection, "execute", real_execute)
    report = await empty_library.ingest.paths([corpus_dir])
    assert len(report.added) == 1 and len(report.skipped) == 5
    assert await empty_library.store.count_articles() == 6


async def test_ingest_bytes_reads_an_upload(empty_library: Library) -> None:
    """Uploaded .jsonl bytes are ingested like a file, with failures named by line."""
    data = (json.dumps({"text": BODY}) + "\nnot json\n").encode()
    report = await empty_library.ingest.upload("upload.jsonl", data)
    assert len(report.added) == 1
    assert [f.origin for f in report.failed] == ["upload.jsonl:2"]


def test_a_url_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    """A javascript: or host-less URL in metadata fails that item with a reason."""
    path = tmp_path / "links.jsonl"
    lines = [
        {"text": "A story about the harbour.", "url": "javascript:alert(1)"},
        {"text": "Another story about the harbour.", "url": "https://"},
        {"text": "A third story about the harbour.", "url": "https://news.example/3"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    items = list(read_path(path))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert [f.origin for f in failures] == [f"{path}:1", f"{path}:2"]
    assert all("http(s)" in f.reason for f in failures)
    assert isinstance(items[2], ArticleDraft) and items[2].url == "https://news.example/3"


def test_an_over_long_jsonl_line_is_reported_without_stopping_the_file(tmp_path: Path) -> None:
    """A JSONL line over the limit is named as too long; the lines after it still load."""
    path = tmp_path / "long.jsonl"
    huge = json.dumps({"text": "word " * 5000})
    path.write_text(huge + "\n" + json.dumps({"text": "A short story."}) + "\n", encoding="utf-8")
    items = list(read_path(path, max_bytes=1000))
    assert isinstance(items[0], IngestFailure) and items[0].origin == f"{path}:1"
    assert "1,000 byte limit" in items[0].reason
    assert isinstance(items[1], ArticleDraft) and items[1].text == "A short story."


async def _scalar(library: Library, sql: str, **params: object) -> object:
    from sqlalchemy import text

    async with library.store.engine.connect() as conn:
        return await conn.scalar(text(sql), params)


# --- hostile and awkward input (each of these broke a batch or the store once) -------------


async def test_a_lone_surrogate_fails_alone_and_the_rest_is_stored_and_indexed(
    empty_library: Library,
) -> None:
    """A JSON line holding "\\ud800" is reported by line; the lines before and after it land,
    and the article stored before it is searchable (the index catches up even so)."""
    lines = [
        json.dumps({"text": "The harbour reopened on Monday after the long strike ended."}),
        '{"text": "Broken \\ud800 text that json.loads accepts but UTF-8 cannot hold."}',
        json.dumps({"text": "Farmers welcomed the early monsoon rain across the valley."}),
    ]
    report = await empty_library.ingest.upload("mixed.jsonl", "\n".join(lines).encode())
    [failure] = report.failed
    assert failure.origin == "mixed.jsonl:2" and "surrogate" in failure.reason
    assert len(report.added) == 2
    assert empty_library.engine.num_docs() == await empty_library.store.count_passages()
    assert not (await empty_library.ask("harbour strike")).no_answer


@pytest.mark.parametrize("url", ["http://[::1", "https://x.example:99999/a", "ftp://x.example/a"])
async def test_a_malformed_url_fails_its_line_only(empty_library: Library, url: str) -> None:
    """A url that does not parse is a named failure of that line, not a crash of the batch."""
    lines = [json.dumps({"text": "A bridge opened downtown today after two years.", "url": url}),
             json.dumps({"text": "A school reopened uptown today after the floods."})]
    report = await empty_library.ingest.upload("urls.jsonl", "\n".join(lines).encode())
    [failure] = report.failed
    assert failure.origin == "urls.jsonl:1" and "not an http(s) address" in failure.reason
    assert len(report.added) == 1


async def test_a_megabyte_line_without_punctuation_becomes_bounded_passages(
    empty_library: Library,
) -> None:
    """One enormous "sentence" is cut at spaces into passages of at most MAX_SENTENCE_CHARS."""
    words = " ".join(f"word{i % 997}" for i in range(120_000))  # ~1 MB, no sentence end
    report = await empty_library.ingest.upload("big.jsonl", json.dumps({"text": words}).encode())
    [article_id] = report.added
    passages = await empty_library.passages(article_id)
    assert len(passages) > 500
    assert max(len(p.text) for p in passages) <= MAX_SENTENCE_CHARS
    assert all(not p.text.startswith(" ") and not p.text.endswith(" ") for p in passages)


async def test_a_page_claiming_another_articles_url_is_kept_apart_without_that_link(
    empty_library: Library, tmp_path: Path
) -> None:
    """An HTML file whose canonical link names a stored article's URL, with other text, is an
    article of its own without that link (its text is never quoted under the real article's
    address), the report says so, and the stored article is left as it was."""
    url = "https://news.example/original"
    first = await empty_library.ingest.upload("a.jsonl", json.dumps(
        {"text": "The original story about the ferry timetable changes.", "url": url}
    ).encode())
    impostor = HTML_PAGE.replace(
        "<head>", f'<head><link rel="canonical" href="{url}">'
    )
    second = await empty_library.ingest.upload("page.html", impostor.encode())
    assert second.added and second.added != first.added
    original = await empty_library.article(first.added[0])
    assert "ferry timetable" in original.clean_text
    page = await empty_library.article(second.added[0])
    assert page.url is None and page.domain is None and "Dock workers" in page.clean_text
    assert any(url in note and "other text" in note for note in second.notes)
    answer = await empty_library.ask("dock workers strike")
    assert all(q.url != url for q in answer.quotes if "Dock workers" in q.text)


async def test_control_and_bidi_characters_never_reach_stored_text(
    empty_library: Library,
) -> None:
    """NUL, ESC sequences and bidi overrides are removed from the text and metadata stored."""
    record = {"text": "Evil\x00 text\x1b[31m with \u202eoverride\u202c inside a sentence here.",
              "title": "Title\u202e with override", "source": "Out\x1blet"}
    report = await empty_library.ingest.upload("c.jsonl", json.dumps(record).encode())
    article = await empty_library.article(report.added[0])
    for value in (article.clean_text, article.title, article.source):
        assert not any(ch in value for ch in "\x00\x1b\u202e\u202c"), value
    assert article.clean_text == "Evil text[31m with override inside a sentence here."


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
async def test_an_empty_jsonl_file_is_reported(empty_library: Library, content: bytes) -> None:
    """A .jsonl with no article in it is a failure, not a silent success."""
    report = await empty_library.ingest.upload("empty.jsonl", content)
    [failure] = report.failed
    assert failure.origin == "empty.jsonl" and "no articles" in failure.reason


async def test_gzip_files_are_read_like_their_inner_format(
    empty_library: Library, tmp_path: Path
) -> None:
    """.jsonl.gz (streamed) and .txt.gz are ingested; a broken .gz is a named failure."""
    lines = "\n".join(json.dumps({"text": f"Story {n} about the river ferry and its crew."})
                      for n in range(3))
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b not really gzip")
    report = await empty_library.ingest.paths([tmp_path])
    assert len(report.added) == 4
    [failure] = report.failed
    assert failure.origin.endswith("broken.txt.gz") and "gzip" in failure.reason


def test_a_gzip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    """A small .txt.gz that unpacks past max_bytes is refused without unpacking it all."""
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a " * 5_000_000))
    [failure] = list(read_path(path, max_bytes=100_000))
    assert isinstance(failure, IngestFailure) and "100,000 byte limit" in failure.reason


@pytest.mark.parametrize(
    ("given", "stored"),
    [("2022/11/11", "2022-11-11"), ("2025-12-09T22:27", "2025-12-09T22:27:00"),
     ("Tue, 15 Nov 2022 08:12:00 +0700", "2022-11-15T08:12:00+07:00"), ("yesterday", None)],
)
def test_published_dates_are_stored_in_iso_form(given: str, stored: str | None) -> None:
    """Whatever form a date arrives in, it is stored as ISO 8601 (or not at all)."""
    [draft] = list(read_bytes("a.jsonl", json.dumps({"text": BODY, "published": given}).encode()))
    assert isinstance(draft, ArticleDraft) and draft.published == stored


async def test_outlets_are_grouped_by_registered_domain(empty_library: Library) -> None:
    """news.detik.com and finance.detik.com are one outlet, detik.com, in sources()."""
    texts = ("Harga beras naik tajam di pasar induk pekan ini.",
             "Pedagang mengeluhkan harga beras yang terus melonjak sejak Senin.",
             "Pemerintah berjanji menurunkan harga beras sebelum akhir bulan.")
    lines = [json.dumps({"text": text, "url": f"https://{host}.detik.com/{n}", "source": host,
                         "lang": "id", "published": f"2022/11/1{n}"})
             for n, (host, text) in enumerate(
                 zip(("news", "finance", "sport"), texts, strict=True))]
    await empty_library.ingest.upload("detik.jsonl", "\n".join(lines).encode())
    [row] = await empty_library.sources()
    assert (row.source, row.lang, row.articles, row.newest) == ("detik.com", "id", 3, "2022-11-12")
    answer = await empty_library.ask("harga beras", source="detik.com")
    assert len(answer.quotes) == 3


async def test_a_utf16_text_file_is_read(empty_library: Library, tmp_path: Path) -> None:
    """A text file saved as UTF-16 (Windows' "Unicode") is read, not refused as binary."""
    path = tmp_path / "note.txt"
    path.write_text("The harbour reopened on Monday after the long storm passed.\n",
                    encoding="utf-16")
    report = await empty_library.ingest.paths([path])
    assert report.ok and len(report.added) == 1
    [passage] = await empty_library.passages(report.added[0])
    assert passage.text == "The harbour reopened on Monday after the long storm passed."


async def test_a_utf16_jsonl_file_is_named_as_such(empty_library: Library) -> None:
    """JSONL in UTF-16 is refused with a reason that names UTF-16, not "binary"."""
    data = json.dumps({"text": "A line of news."}).encode("utf-16")
    report = await empty_library.ingest.upload("news.jsonl", data)
    [failure] = report.failed
    assert "UTF-16" in failure.reason and "binary" not in failure.reason


async def test_a_text_that_is_not_a_string_is_named(empty_library: Library) -> None:
    """``{"text": 12345}`` is refused as a non-string, not as a missing text."""
    report = await empty_library.ingest.upload("n.jsonl", b'{"text": 12345}\n')
    [failure] = report.failed
    assert failure.origin == "n.jsonl:1"
    assert failure.reason == "field 'text' must be a string, not int"


async def test_an_unreadable_date_is_reported_and_the_article_kept(
    empty_library: Library,
) -> None:
    """A ``published`` that is not a date is said in the report; the article lands without it."""
    record = {"text": "The council met on the bridge plan again today.", "published": "soon"}
    report = await empty_library.ingest.upload("d.jsonl", json.dumps(record).encode())
    assert len(report.added) == 1 and not report.failed
    assert any("d.jsonl:1" in note and "'soon' is not a date" in note for note in report.notes)
    assert (await empty_library.article(report.added[0])).published is None
