"""Engine parity: tantivy (production) and rank-bm25 (reference) given the same analysed passages
rank the same passages first with close scores, filter alike and count alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.analysis.analyzers import analyzer_for
from index.search.engines import Doc, Hit, Query, RankBM25Engine, TantivyEngine, make_engine
from index.search.engines.base import K1, B

TIE = 0.02  # reference scores closer than this (relative) are a tie: order within it is free


def query_for(text: str, lang: str, *, key_weight: float = 0.0, **limits: str) -> Query:
    """The question's terms (and, with a key weight, its phonetic keys) as an engine query."""
    analysed = analyzer_for(lang).analyze(text)
    terms: dict[str, float] = {}
    for term in analysed.terms:
        terms[term] = terms.get(term, 0.0) + 1.0
    keys = {key: key_weight for key in analysed.keys} if key_weight else {}
    return Query(terms, keys, **limits)


@pytest.fixture
def docs(tiny_docs: list[Doc]) -> list[Doc]:
    """The tiny en/hi/id corpus, cleaned, split and analysed by the real pipeline."""
    return tiny_docs


@pytest.fixture
def engines(tmp_path: Path, docs: list[Doc]):
    """Both engines holding the same documents: tantivy on disk, rank-bm25 in memory."""
    tantivy = TantivyEngine(tmp_path / "index")
    reference = RankBM25Engine()
    for engine in (tantivy, reference):
        assert engine.add(docs) == len(docs)
        engine.commit()
    yield tantivy, reference
    tantivy.close()
    reference.close()


def tie_groups(hits: list[Hit]) -> list[set[tuple[str, int]]]:
    """The reference hits grouped into runs of (nearly) equal score, best first."""
    groups: list[set[tuple[str, int]]] = []
    previous = None
    for hit in hits:
        key = (hit.article_id, hit.position)
        if previous is not None and abs(previous - hit.score) <= TIE * previous:
            groups[-1].add(key)
        else:
            groups.append({key})
        previous = hit.score
    return groups


def assert_same_ranking(got: list[Hit], want: list[Hit]) -> None:
    """Same hits, in the same order up to ties, with scores within 5%."""
    assert len(got) == len(want)
    position = 0
    for group in tie_groups(want):
        block = {(h.article_id, h.position) for h in got[position : position + len(group)]}
        assert block == group
        position += len(group)
    by_key = {(h.article_id, h.position): h.score for h in got}
    ours = np.array([by_key[(h.article_id, h.position)] for h in want])
    reference = np.array([h.score for h in want])
    assert np.allclose(ours, reference, rtol=0.05)


QUERIES = [
    ("new bridge over the river", "en", {}),
    ("council bridge cost", "en", {}),
    ("heatwave schools weather", "en", {}),
    ("मुंबई में भारी बारिश", "hi", {}),
    ("किसान बीमा योजना", "hi", {}),
    ("harga beras naik", "id", {}),
    ("warga gunung Merapi mengungsi", "id", {}),
    ("Mumbai rain", "en", {"key_weight": 0.5}),  # keys: a Latin name finds its Devanagari form
    ("council said 44", "en", {"key_weight": 0.1}),
    ("council schools region day year trucks water", "en", {}),  # spread over two articles
    ("सरकार किसान मौसम लोगों दिन", "hi", {}),
    ("warga harga pasar pemerintah gunung", "id", {"key_weight": 0.1}),
]


def test_both_engines_use_tantivys_bm25_parameters() -> None:
    """The reference is set to tantivy's k1 and b, not rank-bm25's own defaults."""
    assert (K1, B) == (1.2, 0.75)


@pytest.mark.parametrize(("text", "lang", "extra"), QUERIES)
def test_engines_agree_on_top_results(engines, text: str, lang: str, extra: dict) -> None:
    """tantivy and rank-bm25 return the same top passages in the same order, scores close."""
    tantivy, reference = engines
    query = query_for(text, lang, **extra)
    want = reference.search(query, 5)
    assert want, "the query should match something in the tiny corpus"
    assert_same_ranking(tantivy.search(query, 5), want)


@pytest.mark.parametrize("k", [1, 3, 50])
def test_k_limits_the_number_of_hits(engines, k: int) -> None:
    """At most k hits come back, best first, from both engines."""
    query = query_for("council bridge river schools", "en")
    for engine in engines:
        hits = engine.search(query, k)
        assert 1 <= len(hits) <= k
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("lang", ["en", "hi", "id"])
def test_language_filter(engines, docs: list[Doc], lang: str) -> None:
    """With a language set, only passages of that language come back (the same in both)."""
    query = Query({}, {"MKRSFT": 1.0, "KNSL": 1.0, "KSN": 1.0, "HRK": 1.0, "BRS": 1.0},
                  lang=lang)
    in_lang = {(d.article_id, d.position) for d in docs if d.lang == lang}
    tantivy, reference = engines
    want = reference.search(query, 20)
    assert want
    assert {(h.article_id, h.position) for h in want} <= in_lang
    assert_same_ranking(tantivy.search(query, 20), want)


def test_source_filter_is_case_insensitive(engines, docs: list[Doc]) -> None:
    """With a source set, only that outlet's passages come back, whatever the letter case."""
    query = query_for("harga beras naik gunung warga council bridge", "id")
    tantivy, reference = engines
    for source in ("Contoh Berita", "contoh berita"):
        limited = Query(query.terms, query.keys, source=source)
        want = reference.search(limited, 20)
        assert want and {h.article_id for h in want} <= {"a00000000005", "a00000000006"}
        assert_same_ranking(tantivy.search(limited, 20), want)


def test_unknown_source_or_language_finds_nothing(engines) -> None:
    """A filter nothing matches gives no hits, not unfiltered ones."""
    base = query_for("council bridge", "en")
    for engine in engines:
        assert engine.search(Query(base.terms, {}, lang="fr"), 5) == []
        assert engine.search(Query(base.terms, {}, source="Nobody"), 5) == []


def test_delete_articles_then_commit_removes_their_passages(engines, docs: list[Doc]) -> None:
    """After delete_articles and commit, an article's passages are gone from search and counts."""
    query = query_for("bridge council", "en")
    victim = "a00000000001"
    victim_passages = sum(d.article_id == victim for d in docs)
    for engine in engines:
        assert any(h.article_id == victim for h in engine.search(query, 10))
        engine.delete_articles([victim])
        engine.commit()
        assert all(h.article_id != victim for h in engine.search(query, 10))
        assert engine.num_docs() == len(docs) - victim_passages
        assert engine.doc_freq("terms", "bridg", "en") == 0


# Only the reference: tantivy's document frequency, like the BM25 scores it feeds, keeps
# counting deleted passages until their segment is merged (see TantivyEngine.doc_freq).
@pytest.mark.parametrize("name", ["rank-bm25"])
def test_doc_freq_forgets_deleted_articles(tmp_path: Path, docs: list[Doc], name: str) -> None:
    """After deleting the only article holding a term, its document frequency is 0."""
    engine = make_engine(name, tmp_path / "index")
    try:
        engine.add(docs)
        engine.commit()
        assert engine.doc_freq("terms", "bridg") == 2
        engine.delete_articles(["a00000000001"])
        engine.commit()
        assert engine.doc_freq("terms", "bridg") == 0
    finally:
        engine.close()


def test_changes_are_invisible_until_commit(engines, docs: list[Doc]) -> None:
    """Added documents are searchable only after commit."""
    extra = Doc("a0000000000a", 0, "en", ["zebra", "crossing"], ["SBR"], ("example wire",))
    for engine in engines:
        engine.add([extra])
        assert engine.search(Query({"zebra": 1.0}, {}), 5) == []
        engine.commit()
        assert [(h.article_id, h.position) for h in engine.search(Query({"zebra": 1.0}, {}), 5)
                ] == [("a0000000000a", 0)]
        assert engine.num_docs() == len(docs) + 1


def test_clear_empties_the_engine(engines) -> None:
    """clear removes every passage at once."""
    for engine in engines:
        engine.clear()
        assert engine.num_docs() == 0
        assert engine.search(query_for("bridge", "en"), 5) == []


@pytest.mark.parametrize("name", ["tantivy", "rank-bm25"])
def test_empty_corpus_search_returns_nothing(tmp_path: Path, name: str) -> None:
    """An engine with no documents answers every query with an empty list."""
    engine = make_engine(name, tmp_path / "empty")
    try:
        assert engine.search(query_for("bridge council", "en"), 5) == []
        assert engine.num_docs() == 0
        assert engine.doc_freq("terms", "bridg") == 0
    finally:
        engine.close()


@pytest.mark.parametrize(
    "query",
    [
        Query({}, {}),
        Query({"bridg": 0.0}, {"BRJ": 0.0}),
        query_for("the and of", "en"),  # only stop words: no terms at all
        Query({"nosuchterm": 1.0}, {}),
    ],
    ids=["no-terms", "zero-weights", "stopwords-only", "unknown-term"],
)
def test_empty_or_unmatched_query_returns_nothing(engines, query: Query) -> None:
    """A query with no (weighted, known) terms gives no hits in either engine."""
    for engine in engines:
        assert engine.search(query, 5) == []


@pytest.mark.parametrize(
    "name",
    [
        "tantivy",
        "rank-bm25",
    ],
)
def test_k_zero_returns_nothing(tmp_path: Path, docs: list[Doc], name: str) -> None:
    """Asking for no hits gives none, without an error."""
    engine = make_engine(name, tmp_path / "index")
    try:
        engine.add(docs)
        engine.commit()
        assert engine.search(query_for("bridge", "en"), 0) == []
    finally:
        engine.close()


def test_unknown_engine_name_is_refused(tmp_path: Path) -> None:
    """make_engine names the valid choices when given a wrong one."""
    with pytest.raises(ValueError, match="tantivy"):
        make_engine("lucene", tmp_path)


@pytest.mark.parametrize(
    ("field", "token"),
    [("terms", "bridg"), ("terms", "council"), ("terms", "किसान"), ("terms", "beras"),
     ("terms", "44"), ("keys", "MKRSFT"), ("keys", "BRJ"), ("terms", "absent")],
)
def test_doc_freq_agrees(engines, docs: list[Doc], field: str, token: str) -> None:
    """Both engines count the passages holding a token as the documents say, overall and per
    language."""
    tantivy, reference = engines
    want = sum(token in getattr(d, field) for d in docs)
    assert tantivy.doc_freq(field, token) == reference.doc_freq(field, token) == want
    for lang in ("en", "hi", "id"):
        want_lang = sum(token in getattr(d, field) for d in docs if d.lang == lang)
        assert tantivy.doc_freq(field, token, lang) == reference.doc_freq(field, token, lang)
        assert reference.doc_freq(field, token, lang) == want_lang


def test_num_docs_agrees(engines, docs: list[Doc]) -> None:
    """Both engines count all passages and the passages of each language alike."""
    tantivy, reference = engines
    assert tantivy.num_docs() == reference.num_docs() == len(docs)
    for lang in ("en", "hi", "id", "fr"):
        want = sum(d.lang == lang for d in docs)
        assert tantivy.num_docs(lang) == reference.num_docs(lang) == want


def test_tantivy_index_survives_reopening(tmp_path: Path, docs: list[Doc]) -> None:
    """A committed tantivy index opens again from its folder with the same documents."""
    first = TantivyEngine(tmp_path / "index")
    first.add(docs)
    first.commit()
    query = query_for("harga beras", "id")
    before = first.search(query, 3)
    first.close()
    again = TantivyEngine(tmp_path / "index")
    try:
        assert again.num_docs() == len(docs)
        assert again.search(query, 3) == before
        assert TantivyEngine.is_readable(tmp_path / "index")
    finally:
        again.close()


def test_engines_agree_on_passage_length_corpus(tmp_path: Path) -> None:
    """On 300 passages of realistic lengths, where tantivy's one-byte length encoding is lossy,
    each tantivy score is within 5% of the reference's and only near-ties change places."""
    import random

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(300)]
    zipf = [1 / (i + 1) for i in range(300)]
    docs = [
        Doc(f"a{i + 1:011x}", 0, "en", rng.choices(vocab, zipf, k=rng.randint(3, 120)), [])
        for i in range(300)
    ]
    tantivy, reference = TantivyEngine(tmp_path / "index"), RankBM25Engine()
    for engine in (tantivy, reference):
        engine.add(docs)
        engine.commit()
    try:
        for _ in range(20):
            query = Query({w: 1.0 for w in rng.sample(vocab[5:150], 3)}, {})
            everything = reference.search(query, len(docs))
            ref = {(h.article_id, h.position): h.score for h in everything}
            got = tantivy.search(query, 5)
            assert len(got) == 5
            ours = np.array([h.score for h in got])
            theirs = np.array([ref[(h.article_id, h.position)] for h in got])
            assert np.allclose(ours, theirs, rtol=0.05)
            # a passage tantivy ranks in its top 5 is at most 5% below the reference's 5th
            assert theirs.min() >= 0.95 * everything[4].score
            first, second = everything[0], everything[1]
            if first.score > 1.05 * second.score:
                assert (got[0].article_id, got[0].position) == (first.article_id, first.position)
    finally:
        tantivy.close()
