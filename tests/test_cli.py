"""The ``storybot`` command line: the ``ask --json`` contract, exit statuses, and clear errors."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from index.library import Library
from tests.ordering import in_answer_order

RESULT_TYPES: dict[str, tuple[type, ...]] = {
    "passage_id": (str,),
    "article_id": (str,),
    "title": (str, type(None)),
    "source": (str, type(None)),
    "url": (str, type(None)),
    "link": (str, type(None)),
    "lang": (str,),
    "text": (str,),
    "score": (float,),
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """STORYBOT_DATA_DIR points at a fresh folder; no .env or other settings leak in."""
    for name in ("STORYBOT_ENGINE", "STORYBOT_LOG_LEVEL", "STORYBOT_DEV_GUILD",
                 "STORYBOT_OWNER_IDS", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # away from any .env in the checkout
    data = tmp_path / "data"
    monkeypatch.setenv("STORYBOT_DATA_DIR", str(data))
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ask_json(capsys: pytest.CaptureFixture[str], question: str, *options: str) -> dict:
    code, out, err = run(capsys, "ask", "--json", question, *options)
    assert code == 0, err
    [line] = out.strip().splitlines()  # exactly one JSON object, on one line
    payload = json.loads(line)
    assert isinstance(payload, dict)
    return payload


def clean_texts(data: Path) -> dict[str, str]:
    async def read() -> dict[str, str]:
        async with await Library.open(data, sample=False) as library:
            return {a.id: (await library.article(a.id)).clean_text
                    for a in await library.find_articles("", 100)}

    return asyncio.run(read())


def test_ask_json_has_exactly_the_contract_keys(data_dir: Path, capsys) -> None:
    """ask --json prints one object with exactly query, no_answer and results."""
    payload = ask_json(capsys, "what did Microsoft say?")
    assert set(payload) == {"query", "no_answer", "results"}
    assert payload["query"] == "what did Microsoft say?"
    assert payload["no_answer"] is False
    assert isinstance(payload["results"], list) and payload["results"]


@pytest.mark.parametrize(
    "question",
    ["what did Microsoft say?", "माइक्रोसॉफ्ट ने क्या कहा?", "Apa kata Microsoft?",
     "Elon Musk 44 billion"],
)
def test_ask_json_results_have_exactly_the_contract_fields(
    data_dir: Path, capsys, question: str
) -> None:
    """Each result has exactly the nine contract fields, each of its documented type."""
    payload = ask_json(capsys, question)
    assert payload["results"]
    for result in payload["results"]:
        assert set(result) == set(RESULT_TYPES)
        for key, types in RESULT_TYPES.items():
            assert isinstance(result[key], types), (key, result[key])
        assert result["passage_id"].startswith(result["article_id"] + ":")
        assert result["link"] is None or result["url"] is not None


def test_ask_json_results_are_best_first_and_verbatim(data_dir: Path, capsys) -> None:
    """Results come best first (one article's third result waits for other articles'), and
    each text is a verbatim slice of its article."""
    payloads = [ask_json(capsys, q, "--k", "5") for q in
                ("what did Microsoft say?", "Satya Nadella letter", "Twitter data agreement")]
    texts = clean_texts(data_dir)
    for payload in payloads:
        results = payload["results"]
        assert 1 <= len(results) <= 5
        assert in_answer_order((r["article_id"], r["score"]) for r in results)
        for result in results:
            assert result["text"]
            assert result["text"] in texts[result["article_id"]]


def test_ask_json_no_answer_has_empty_results(data_dir: Path, capsys) -> None:
    """An unanswerable question gives no_answer true and an empty results list."""
    payload = ask_json(capsys, "What is the weather in Paris tomorrow?")
    assert payload == {"query": "What is the weather in Paris tomorrow?", "no_answer": True,
                       "results": []}


def test_ask_json_k_and_lang_options(data_dir: Path, capsys) -> None:
    """--k caps the results and --lang keeps one language."""
    payload = ask_json(capsys, "what did Microsoft say?", "--k", "2", "--lang", "id")
    assert 1 <= len(payload["results"]) <= 2
    assert {r["lang"] for r in payload["results"]} == {"id"}


def test_ask_json_keeps_non_ascii_readable(data_dir: Path, capsys) -> None:
    """Hindi text is printed as UTF-8 characters, not \\u escapes."""
    code, out, _err = run(capsys, "ask", "--json", "माइक्रोसॉफ्ट ने क्या कहा?")
    assert code == 0
    assert "माइक्रोसॉफ्ट" in out and "\\u09" not in out


def test_ask_plain_text_prints_quotes(data_dir: Path, capsys) -> None:
    """Without --json the answer is human text quoting the passage, exit status 0."""
    code, out, _err = run(capsys, "ask", "what did Microsoft say?")
    assert code == 0
    assert "Microsoft" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_a_clear_message(data_dir: Path, capsys, question) -> None:
    """An empty question exits with status 2: one JSON object with the reason in ``error`` on
    stdout, and the same one-line reason on stderr, no traceback."""
    code, out, err = run(capsys, "ask", "--json", question)
    assert code == 2
    [line] = out.strip().splitlines()
    assert json.loads(line) == {"query": question, "error": json.loads(line)["error"]}
    assert "empty" in json.loads(line)["error"]
    assert "empty" in err
    assert err.startswith("storybot: ")
    assert "Traceback" not in err


def test_too_long_question_exits_2(data_dir: Path, capsys) -> None:
    """A 5000-character question is refused with status 2 and the length in the message."""
    code, _out, err = run(capsys, "ask", "x" * 5000)
    assert code == 2
    assert "5,000" in err and "Traceback" not in err


def test_ingest_success_exits_0_with_a_summary(data_dir: Path, capsys, corpus_dir: Path) -> None:
    """Ingesting good files exits 0 and prints the counts."""
    code, out, _err = run(capsys, "ingest", str(corpus_dir))
    assert code == 0
    assert out.startswith("added 6, updated 0, skipped 0 (unchanged), failed 0")
    code, out, _err = run(capsys, "ingest", str(corpus_dir))
    assert code == 0
    assert "skipped 6" in out


def test_ingest_with_a_failure_exits_nonzero_and_names_it(
    data_dir: Path, capsys, corpus_dir: Path, tmp_path: Path
) -> None:
    """One bad item makes ingest exit non-zero and print the item and its reason; good ones land."""
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"text": "fine line with enough words to be kept as text."}\n{oops\n',
                   encoding="utf-8")
    code, out, _err = run(capsys, "ingest", str(corpus_dir), str(bad), str(tmp_path / "nope.txt"))
    assert code != 0
    assert "failed 2" in out
    assert f"{bad}:2" in out and "not valid JSON" in out
    assert "nope.txt" in out and "no such file" in out
    assert "added 7" in out


def test_sources_lists_the_seeds(data_dir: Path, capsys) -> None:
    """sources shows the seed outlets with their collection (the sample's own), languages and
    article counts, then how many passages have vectors."""
    code, out, _err = run(capsys, "sources")
    assert code == 0
    *lines, vectors = out.strip().splitlines()
    assert lines[0].split() == ["collection", "source", "lang", "articles", "newest"]
    assert all(line.startswith("sample ") for line in lines[1:])
    assert vectors.startswith("vectors: ")
    rows = {(line.split()[-3], line.split()[-2]) for line in lines[1:]}
    assert rows == {("hi", "1"), ("id", "1")}
    assert "Malang Terkini" in out
    assert "(no source)" in out  # the Hindi seed has no outlet


def test_reindex_reports_the_passage_count(data_dir: Path, capsys) -> None:
    """reindex prints how many passages it indexed, the same number as the store holds."""
    code, out, _err = run(capsys, "reindex")
    assert code == 0

    async def passages() -> int:
        async with await Library.open(data_dir) as library:
            return await library.store.count_passages()

    assert out.strip() == f"reindexed {asyncio.run(passages())} passages"


def test_bad_engine_setting_exits_2(data_dir: Path, capsys, monkeypatch) -> None:
    """An invalid STORYBOT_ENGINE is reported by name with status 2, not a traceback."""
    monkeypatch.setenv("STORYBOT_ENGINE", "lucene")
    code, _out, err = run(capsys, "ask", "what did Microsoft say?")
    assert code == 2
    assert "STORYBOT_ENGINE" in err and "Traceback" not in err


def test_missing_subcommand_is_a_usage_error(capsys) -> None:
    """Without a subcommand argparse exits with status 2 and usage text."""
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_ingest_max_bytes_refuses_a_larger_file(data_dir: Path, capsys, tmp_path: Path) -> None:
    """--max-bytes sets the size limit: a larger file is named as failed, exit status 1."""
    big = tmp_path / "big.txt"
    big.write_text("The minister said the port would open next year. " * 100, encoding="utf-8")
    code, out, _err = run(capsys, "ingest", "--max-bytes", "1000", str(big))
    assert code == 1
    assert "big.txt" in out and "over the 1,000 byte limit" in out


@pytest.mark.parametrize(
    ("option", "value", "listed"),
    [("--source", "BBC", "Malang Terkini"), ("--lang", "xx", "hi, id")],
)
def test_unknown_filter_is_an_error_listing_what_exists(
    data_dir: Path, capsys, option: str, value: str, listed: str
) -> None:
    """--source BBC or --lang xx is not a silent "no answer": exit 2, naming what the corpus has."""
    code, out, _err = run(capsys, "ask", "--json", "what did Microsoft say?", option, value)
    assert code == 2
    error = json.loads(out)["error"]
    assert value in error and listed in error


def test_ask_json_keeps_devanagari_as_it_is(data_dir: Path, capsys) -> None:
    """--json output is UTF-8 text: Hindi quotes are not \\u-escaped."""
    code, out, _err = run(capsys, "ask", "--json", "माइक्रोसॉफ्ट ने क्या कहा?")
    assert code == 0
    assert "माइक्रोसॉफ्ट" in out and "\\u09" not in out


def test_ingest_and_ask_as_a_server_and_purge_it(data_dir: Path, capsys, tmp_path: Path) -> None:
    """--guild ingests into that server's collection, which ask sees only with --guild;
    sources lists the collection; purge --guild removes it at once."""
    article = tmp_path / "memo.txt"
    article.write_text("The Quillhaven depot memo says the night trains return in May.\n")
    code, out, _err = run(capsys, "ingest", "--guild", "123456789012345678", str(article))
    assert code == 0 and out.startswith("added 1")
    shared = ask_json(capsys, "Quillhaven depot night trains")
    assert all("Quillhaven" not in r["text"] for r in shared["results"])
    server = ask_json(capsys, "Quillhaven depot night trains", "--guild", "123456789012345678")
    assert "Quillhaven" in server["results"][0]["text"]
    code, out, _err = run(capsys, "sources")
    assert "guild:123456789012345678" in out
    code, out, _err = run(capsys, "purge", "--guild", "123456789012345678")
    assert code == 0 and out.startswith("purged 1 articles")
    after = ask_json(capsys, "Quillhaven depot night trains", "--guild", "123456789012345678")
    assert all("Quillhaven" not in r["text"] for r in after["results"])


def test_feeds_add_list_poll_remove(data_dir: Path, capsys, monkeypatch) -> None:
    """storybot feeds: add a site (its page names the feed), list, poll into the server's
    collection, remove. Loopback is reachable only through STORYBOT_FETCH_ALLOW_HOSTS."""
    from bot.harness.localsite import LocalSite

    site = LocalSite().start()
    try:
        page = ("<html><body><article><p>The harbour board said the ferry resumes on Monday "
                "after repairs to the pier.</p></article></body></html>")
        site.serve("/story.html", page)
        site.serve("/rss.xml", f'<rss version="2.0"><channel><title>Harbour Wire</title><item>'
                               f'<link>{site.url("/story.html")}</link></item></channel></rss>')
        site.serve("/", '<html><head><link rel="alternate" type="application/rss+xml" '
                        'href="/rss.xml"></head><body>Home</body></html>')
        add = ("feeds", "add", site.url("/"), "--guild", "123456789012345678")
        code, _out, err = run(capsys, *add)
        assert code == 2 and "loopback" in err  # refused without the test allowance
        monkeypatch.setenv("STORYBOT_FETCH_ALLOW_HOSTS", site.host)
        code, out, _err = run(capsys, *add)
        assert code == 0 and "Harbour Wire" in out
        code, out, _err = run(capsys, "feeds", "poll")
        assert code == 0 and "1 new articles" in out
        code, out, _err = run(capsys, "feeds", "list")
        assert "Harbour Wire" in out and site.url("/rss.xml") in out
        answer = ask_json(capsys, "ferry pier repairs", "--guild", "123456789012345678")
        assert "ferry" in answer["results"][0]["text"]
        code, out, _err = run(capsys, "feeds", "remove", "1", "--guild", "123456789012345678")
        assert code == 0 and "removed feed 1" in out
    finally:
        site.close()


def test_embed_computes_what_ingest_left_and_sources_says_so(
    data_dir: Path, corpus_dir: Path, capsys
) -> None:
    """ingest stores and indexes (no vectors yet, and it says how to get them); embed computes
    them and says how long it took; sources then reports every passage done."""
    code, out, _err = run(capsys, "ingest", str(corpus_dir))
    assert code == 0 and "storybot embed" in out.splitlines()[-1]
    code, out, _err = run(capsys, "embed")
    assert code == 0 and out.startswith("vectors for ")
    assert out.splitlines()[-1].startswith("vectors: all ")
    code, out, _err = run(capsys, "sources")
    assert out.splitlines()[-1].startswith("vectors: all ")
    code, out, _err = run(capsys, "embed")
    assert code == 0 and out.startswith("vectors for 0 articles")


def test_k_below_one_is_refused(data_dir: Path, capsys) -> None:
    """``--k 0`` is a usage error naming the option, not an empty answer."""
    with pytest.raises(SystemExit) as stopped:
        main(["ask", "anything", "--k", "0"])
    assert stopped.value.code == 2
    assert "--k" in capsys.readouterr().err


def test_a_data_directory_that_is_a_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """STORYBOT_DATA_DIR naming a file fails with a message saying so."""
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    monkeypatch.setenv("STORYBOT_DATA_DIR", str(target))
    code, _out, err = run(capsys, "sources")
    assert code == 2 and "is a file, not a folder" in err


def test_quotes_lists_what_someone_said(data_dir: Path, capsys) -> None:
    """quotes prints a speaker's statements from the corpus, and says so when there are none."""
    code, out, _err = run(capsys, "quotes", "Microsoft", "--k", "2")
    assert code == 0 and re.match(r"\d+ statements by Microsoft, newest first:", out)
    assert out.count("   > Microsoft") >= 1 and out.count("\n\n") == 2
    code, out, _err = run(capsys, "quotes", "Nobody Atall")
    assert code == 0 and out.strip() == "No statements by Nobody Atall in the corpus."
