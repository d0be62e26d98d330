"""The library on a cluster: tantivy's answers, rebuilds that keep answering, deletes and
re-ingests, and the store's ledger repairing the index after a crash, as it does for tantivy."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from index.library import Library
from index.semantic.engine_vectors import EngineVectors
from tests.made_up_news import Feed, kill_mid_ingest

REPO = Path(__file__).resolve().parents[2]

QUESTIONS = [
    "Why did the council wait so long for the bridge?",
    "how hot was it during the heatwave?",
    "मुंबई में बारिश से क्या हुआ?",
    "किसानों के लिए नई योजना क्या है?",
    "Kenapa harga beras naik?",
    "Berapa kilometer warga harus menjauh dari Merapi?",
    "what did the weather office say?",
    "Mumbai rain",
]


def keys_of(answer) -> list[tuple[str, str]]:
    return [(q.article_id, q.passage_id) for q in answer.quotes]


async def test_answers_are_tantivys(tmp_path: Path, corpus_dir: Path, options: dict) -> None:
    """The same questions get the same quotes, in the same order, from both engines."""
    embedded = await Library.open(tmp_path / "tantivy", sample=False)
    cluster = await Library.open(tmp_path / "cluster", sample=False, engine="opensearch",
                                 engine_options=options)
    try:
        for library in (embedded, cluster):
            assert (await library.ingest.paths([corpus_dir])).ok
        for question in QUESTIONS:
            want = await embedded.ask(question, k=5)
            got = await cluster.ask(question, k=5)
            assert keys_of(got) == keys_of(want), question
            assert got.no_answer == want.no_answer
            for lang in ("hi", "id"):
                assert keys_of(await cluster.ask(question, lang=lang)) == keys_of(
                    await embedded.ask(question, lang=lang))
    finally:
        await embedded.close()
        await cluster.close()


async def test_vectors_live_in_the_cluster(
    tmp_path: Path, corpus_dir: Path, options: dict
) -> None:
    """With the semantic stage on, the passages' vectors go into the cluster (one copy for
    every bot process, searched with the collection filter) and the answers are the embedded
    library's; reopened, nothing is embedded or sent again."""
    embedded = await Library.open(tmp_path / "tantivy", sample=False)
    cluster = await Library.open(tmp_path / "cluster", sample=False, engine="opensearch",
                                 engine_options=options)
    try:
        for library in (embedded, cluster):
            assert (await library.ingest.paths([corpus_dir])).ok
            assert await library.embedding.run() > 0
        assert cluster.semantic is not None
        assert isinstance(cluster.semantic.index, EngineVectors)
        assert cluster.engine.num_vectors() == await cluster.store.count_passages()
        for question in QUESTIONS:
            want = keys_of(await embedded.ask(question, k=5))
            got = keys_of(await cluster.ask(question, k=5))
            assert got[:1] == want[:1], question  # float16 here, float32 there: near-ties
            assert len(set(got) & set(want)) >= min(4, len(want)), question  # may swap places
    finally:
        await embedded.close()
        await cluster.close()
    reopened = await Library.open(tmp_path / "cluster", sample=False, engine="opensearch",
                                  engine_options=options)
    try:
        assert reopened.semantic is not None
        await reopened.semantic.wait_ready()
        done, total = await reopened.embedding.status()
        assert done == total > 0
        assert await reopened.embedding.run() == 0
    finally:
        await reopened.close()


async def test_reindex_keeps_answering(tmp_path: Path, library: Library, feed) -> None:
    """Questions asked while reindex rebuilds are all answered (from the old index), and the
    new index holds every passage when it is swapped in."""
    feed_file = tmp_path / "feed.jsonl"
    feed.write(feed_file, 600)
    assert (await library.ingest.paths([feed_file])).ok
    passages = await library.store.count_passages()
    old_id = library.engine.stored_id()
    rebuild = asyncio.create_task(library.reindex())
    answers, during = [], 0
    while not rebuild.done():
        answer = await library.ask(f"what about the {feed.word(len(answers) % 600)} project?")
        answers.append(answer)
        during += getattr(library.engine, "_write_index", None) is not None
        await asyncio.sleep(0)
    assert await rebuild == passages
    # (how many overlap depends on the machine's load: two did on a busy one)
    assert during >= 1, "the questions should overlap the rebuild"
    assert all(answer.quotes for answer in answers)
    assert library.engine.stored_id() not in (None, old_id)
    assert library.engine.num_docs() == passages
    answer = await library.ask(f"what about the {feed.word(7)} project?")
    assert feed.word(7) in answer.quotes[0].text


async def test_reingest_and_delete_stay_consistent(tmp_path: Path, library: Library) -> None:
    """A re-ingested article (same URL, shorter text) keeps only its new passages; a removed
    one leaves the index."""
    record = {"url": "https://feed.example/x", "lang": "en", "text":
              "The zubabo bridge opened.\nThe zubabo ferry closed.\nThe zubabo road is new."}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    [article_id] = (await library.ingest.paths([path])).added
    first = await library.ask("zubabo")
    assert len(first.quotes) == 3
    record["text"] = "The zubabo bridge is closed again."
    path.write_text(json.dumps(record), encoding="utf-8")
    assert (await library.ingest.paths([path])).updated == [article_id]
    again = await library.ask("zubabo")
    assert [q.text for q in again.quotes] == ["The zubabo bridge is closed again."]
    assert library.engine.num_docs() == await library.store.count_passages() == 1
    await library.servers.remove_article(article_id, "shared")
    assert (await library.ask("zubabo")).no_answer
    assert library.engine.num_docs() == 0


async def test_index_catches_up_after_a_kill_mid_ingest(
    tmp_path: Path, options: dict
) -> None:
    """SIGKILL mid-ingest (articles stored, their index writes not all sent or refreshed):
    the next open finds the ledger behind and indexes exactly what the store holds."""
    data = tmp_path / "data"
    kill_mid_ingest(tmp_path, data, "opensearch", options)

    async with await Library.open(data, sample=False, engine="opensearch",
                                  engine_options=options) as library:
        stored = await library.store.count_articles()
        assert 150 <= stored < 3020, "killed mid-ingest"
        assert library.engine.num_docs() == await library.store.count_passages()
        for i in (0, 19, stored - 1):
            answer = await library.ask(f"{Feed.word(i)} project")
            assert answer.quotes and Feed.word(i) in answer.quotes[0].text


async def test_an_index_of_another_store_is_replaced(tmp_path: Path, corpus_dir: Path,
                                                      options: dict) -> None:
    """Two stores on one prefix: opening the second replaces the first's index (the ids
    differ), and the second's articles are all indexed."""
    first = await Library.open(tmp_path / "one", sample=False, engine="opensearch",
                               engine_options=options)
    await first.ingest.paths([corpus_dir])
    first_id = first.engine.stored_id()
    await first.close()
    second = await Library.open(tmp_path / "two", sample=True, engine="opensearch",
                                engine_options=options)
    try:
        assert second.engine.stored_id() != first_id
        assert second.engine.num_docs() == await second.store.count_passages()
        assert (await second.ask("what did Microsoft say?")).quotes
    finally:
        await second.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://user:hunter2@127.0.0.1:9"])
async def test_an_unreachable_cluster_is_a_clear_error(tmp_path: Path, url: str) -> None:
    """No node answers: opening fails after its retries with a ClusterError that names the
    cluster, without its password."""
    from index.errors import ClusterError
    from index.search.engines.opensearch_client import Retry
    from index.search.engines.opensearch_engine import OpenSearchEngine

    engine = OpenSearchEngine(url, prefix="storybot-test-unreachable", timeout=2,
                              retry=Retry(attempts=2, first_wait=0.1))
    try:
        with pytest.raises(ClusterError) as caught:
            engine.stored_id()
    finally:
        engine.close()
    assert "127.0.0.1:9" in str(caught.value) and "hunter2" not in str(caught.value)
