"""The opensearch engine against tantivy, as tests/index/test_engines.py holds tantivy against
rank-bm25: same passages in the same order with close scores, same counts, same filters; and
what only a cluster engine has: identity through an alias, rebuilds behind it, vectors."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index.analysis.analyzers import analyzer_for
from index.search.engines import Doc, Hit, Query, TantivyEngine
from index.search.engines.base import VectorDoc
from index.search.engines.opensearch_engine import OpenSearchEngine
from index.search.engines.opensearch_schema import DIMENSION

TIE = 1e-4  # tantivy scores closer than this (relative) are a tie: order within it is free


def query_for(text: str, analyse_as: str, *, key_weight: float = 0.0, **limits) -> Query:
    """The text's terms (and keys at ``key_weight``) analysed for one language, as a query."""
    analysed = analyzer_for(analyse_as).analyze(text)
    terms: dict[str, float] = {}
    for term in analysed.terms:
        terms[term] = terms.get(term, 0.0) + 1.0
    keys = {key: key_weight for key in analysed.keys} if key_weight else {}
    return Query(terms, keys, **limits)


def assert_same_ranking(got: list[Hit], want: list[Hit]) -> None:
    """The same passages in the same order (up to exact ties) and scores within 0.1%."""
    assert len(got) == len(want)
    groups: list[set[tuple[str, int]]] = []
    previous = None
    for hit in want:
        key = (hit.article_id, hit.position)
        if previous is not None and abs(previous - hit.score) <= TIE * previous:
            groups[-1].add(key)
        else:
            groups.append({key})
        previous = hit.score
    position = 0
    for group in groups:
        assert {(h.article_id, h.position) for h in got[position: position + len(group)]} == group
        position += len(group)
    by_key = {(h.article_id, h.position): h.score for h in got}
    ours = np.array([by_key[(h.article_id, h.position)] for h in want])
    assert np.allclose(ours, np.array([h.score for h in want]), rtol=1e-3)


def with_collections(docs: list[Doc]) -> list[Doc]:
    """The tiny corpus with every third article in a server's collection, and titles."""
    out = []
    for doc in docs:
        number = int(doc.article_id[1:], 16)
        out.append(Doc(doc.article_id, doc.position, doc.lang, doc.terms, doc.keys,
                       doc.outlets, "guild:1" if number % 3 == 0 else "shared",
                       doc.terms[:3]))
    return out


@pytest.fixture
def engine(cluster_url: str, prefix: str) -> Iterator[OpenSearchEngine]:
    built = OpenSearchEngine(cluster_url, prefix=prefix)
    built.reset("first")
    yield built
    built.close()


@pytest.fixture
def engines(tmp_path: Path, engine: OpenSearchEngine, tiny_docs: list[Doc]):
    """tantivy and opensearch holding the same documents (with collections and titles)."""
    docs = with_collections(tiny_docs)
    tantivy = TantivyEngine(tmp_path / "index")
    for each in (tantivy, engine):
        assert each.add(docs) == len(docs)
        each.commit()
    yield tantivy, engine, docs
    tantivy.close()


QUERIES = [
    ("new bridge over the river", "en", {}),
    ("council bridge cost", "en", {}),
    ("heatwave schools weather", "en", {}),
    ("मुंबई में भारी बारिश", "hi", {}),
    ("किसान बीमा योजना", "hi", {}),
    ("harga beras naik", "id", {}),
    ("warga gunung Merapi mengungsi", "id", {}),
    ("Mumbai rain", "en", {"key_weight": 0.5}),
    ("council said 44", "en", {"key_weight": 0.1}),
    ("council schools region day year trucks water", "en", {"title_weight": 0.3}),
    ("सरकार किसान मौसम लोगों दिन", "hi", {}),
    ("warga harga pasar pemerintah gunung", "id", {"key_weight": 0.1, "title_weight": 0.3}),
]


@pytest.mark.parametrize(("text", "lang", "extra"), QUERIES)
def test_same_top_results_as_tantivy(engines, text: str, lang: str, extra: dict) -> None:
    """Same passages, same order, same scores as tantivy (BM25 with k1/b, summed boosts)."""
    tantivy, engine, _docs = engines
    query = query_for(text, lang, **extra)
    want = tantivy.search(query, 10)
    assert want
    assert_same_ranking(engine.search(query, 10), want)


@pytest.mark.parametrize("limits", [
    {"lang": "hi"}, {"lang": "id"}, {"source": "Contoh Berita"}, {"source": "EXAMPLE WIRE"},
    {"collections": ("guild:1",)}, {"collections": ("shared",)},
    {"collections": ("shared", "guild:1")}, {"collections": ("guild:1",), "lang": "en"},
])
def test_filters_match_tantivy(engines, limits: dict) -> None:
    """Language, outlet and collection limits select the same passages as tantivy's."""
    tantivy, engine, docs = engines
    query = query_for("harga beras gunung council bridge heatwave Mumbai kisan", "en",
                      key_weight=0.5, **limits)
    want = tantivy.search(query, 20)
    got = engine.search(query, 20)
    assert_same_ranking(got, want)
    allowed = {
        (d.article_id, d.position) for d in docs
        if ("lang" not in limits or d.lang == limits["lang"])
        and ("source" not in limits or limits["source"].lower() in d.outlets)
        and ("collections" not in limits or d.collection in limits["collections"])
    }
    assert {(h.article_id, h.position) for h in got} <= allowed


def test_a_filter_nothing_matches_finds_nothing(engines) -> None:
    _tantivy, engine, _docs = engines
    base = query_for("council bridge", "en")
    assert engine.search(Query(base.terms, {}, lang="fr"), 5) == []
    assert engine.search(Query(base.terms, {}, source="Nobody"), 5) == []
    assert engine.search(Query(base.terms, {}, collections=()), 5) == []
    assert engine.search(Query({}, {}), 5) == []
    assert engine.search(base, 0) == []


@pytest.mark.parametrize(("field", "token"), [
    ("terms", "bridg"), ("terms", "किसान"), ("terms", "beras"), ("terms", "44"),
    ("keys", "MKRSFT"), ("keys", "BRJ"), ("terms", "absent"),
])
def test_counts_match_tantivy(engines, field: str, token: str) -> None:
    """doc_freq (overall and per language) and num_docs mean what tantivy's mean."""
    tantivy, engine, docs = engines
    assert engine.doc_freq(field, token) == tantivy.doc_freq(field, token)
    for lang in ("en", "hi", "id", "fr"):
        assert engine.doc_freq(field, token, lang) == tantivy.doc_freq(field, token, lang)
        assert engine.num_docs(lang) == tantivy.num_docs(lang)
    assert engine.num_docs() == tantivy.num_docs() == len(docs)


def test_changes_are_invisible_until_commit(engines) -> None:
    _tantivy, engine, docs = engines
    extra = Doc("a0000000000a", 0, "en", ["zebra", "crossing"], ["SBR"], ("example wire",))
    engine.add([extra])
    assert engine.search(Query({"zebra": 1.0}, {}), 5) == []
    engine.commit()
    assert [(h.article_id, h.position) for h in engine.search(Query({"zebra": 1.0}, {}), 5)
            ] == [("a0000000000a", 0)]
    assert engine.num_docs() == len(docs) + 1


def test_reingest_replaces_an_articles_passages(engines) -> None:
    """Delete then add (what the library does on a re-ingest) leaves only the new passages,
    even when the new version has fewer; deleting alone removes them everywhere."""
    _tantivy, engine, docs = engines
    victim = "a00000000001"
    before = sum(d.article_id == victim for d in docs)
    assert before > 1
    engine.delete_articles([victim])
    engine.add([Doc(victim, 0, "en", ["rebuilt", "bridge"], [], ("example wire",))])
    engine.commit()
    hits = engine.search(Query({"bridg": 1.0, "rebuilt": 1.0, "council": 1.0}, {}), 50)
    assert [(h.article_id, h.position) for h in hits if h.article_id == victim] == [(victim, 0)]
    assert engine.num_docs() == len(docs) - before + 1
    engine.delete_articles([victim])
    engine.commit()
    assert engine.doc_freq("terms", "rebuilt") == 0
    assert engine.num_docs() == len(docs) - before


def test_identity_lives_in_the_alias(cluster_url: str, prefix: str, tiny_docs) -> None:
    """A new prefix has no id; reset records one; another engine object reads it back."""
    engine = OpenSearchEngine(cluster_url, prefix=prefix)
    try:
        assert engine.stored_id() is None
        engine.reset("abc123")
        assert engine.stored_id() == "abc123"
        engine.add(tiny_docs)
        engine.commit()
        engine.reset("def456")
        assert engine.stored_id() == "def456" and engine.num_docs() == 0
        again = OpenSearchEngine(cluster_url, prefix=prefix)
        assert again.stored_id() == "def456"
        again.close()
        indices = engine.client.indices.get(index=f"{prefix}-*")
        assert sorted(indices) == [f"{prefix}-def456"]
    finally:
        engine.close()


def test_rebuild_answers_from_the_old_index_until_the_swap(engines, prefix: str) -> None:
    """During a rebuild, searches and counts use the old index while writes fill the new one;
    finish_rebuild swaps the alias and drops the old index."""
    _tantivy, engine, docs = engines
    query = query_for("harga beras naik", "id")
    before = engine.search(query, 5)
    engine.begin_rebuild("second")
    assert engine.stored_id() == "first"
    engine.add(docs[:3])
    engine.commit()
    assert engine.search(query, 5) == before and engine.num_docs() == len(docs)
    engine.finish_rebuild()
    assert engine.stored_id() == "second"
    assert engine.num_docs() == 3
    assert sorted(engine.client.indices.get(index=f"{prefix}-*")) == [f"{prefix}-second"]


def unit(rng: random.Random) -> list[float]:
    vector = np.array([rng.gauss(0, 1) for _ in range(DIMENSION)], dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def test_vectors_nearest_first_within_collections(engine: OpenSearchEngine) -> None:
    """Vectors update the passages' documents; the nearest come back with their cosine, and a
    collection limit is applied inside the search (a small collection still fills k)."""
    rng = random.Random(5)
    docs = [Doc(f"a{i:011x}", 0, "en", [f"w{i}"], [], (),
                "guild:7" if i % 10 == 0 else "shared") for i in range(1, 201)]
    engine.add(docs)
    vectors = {d.article_id: unit(rng) for d in docs}
    assert engine.add_vectors(
        VectorDoc(d.article_id, 0, d.collection, "en", vectors[d.article_id]) for d in docs
    ) == len(docs)
    engine.commit()
    assert engine.num_vectors() == len(docs)
    target = "a00000000037"
    hits = engine.search_vector(vectors[target], 5)
    assert (hits[0].article_id, hits[0].position) == (target, 0)
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)
    expected = sorted((float(np.dot(vectors[target], v)) for v in vectors.values()),
                      reverse=True)[:5]
    assert [h.score for h in hits] == pytest.approx(expected, abs=1e-3)
    in_guild = engine.search_vector(vectors[target], 10, collections=("guild:7",))
    assert len(in_guild) == 10
    assert {h.article_id for h in in_guild} <= {d.article_id for d in docs
                                                if d.collection == "guild:7"}
    assert engine.search_vector(vectors[target], 5, collections=()) == []
    # the passage's terms are untouched by the vector update
    term = f"w{int(target[1:], 16)}"
    assert [h.article_id for h in engine.search(Query({term: 1.0}, {}), 5)] == [target]


def test_a_vector_for_a_deleted_passage_is_dropped(engine: OpenSearchEngine) -> None:
    """A vector arriving after its article was deleted is skipped, not made a bare document."""
    rng = random.Random(1)
    engine.add_vectors([VectorDoc("a00000000999", 0, "shared", "en", unit(rng))])
    engine.commit()
    assert engine.num_docs() == 0 and engine.num_vectors() == 0


def test_the_password_is_never_shown(cluster_url: str) -> None:
    """A URL with credentials appears masked in the engine's repr."""
    secret = "https://bob:hunter2@search.example:9200"
    engine = OpenSearchEngine(secret, prefix="storybot-test-never-used")
    try:
        assert "hunter2" not in repr(engine) and "bob:***@" in repr(engine)
    finally:
        engine.close()


def test_ties_and_empty_titles_as_in_tantivy(tmp_path: Path, engine: OpenSearchEngine) -> None:
    """Identical passages tie and come back in the order they were indexed, as in tantivy;
    passages without a title count in the title statistics as in tantivy, so title matches
    are the same passages, their scores a little apart (see the engine docstring)."""
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(60)]
    docs = []
    for i in range(1, 301):
        terms = rng.choices(vocab, k=rng.randint(5, 30))
        if i % 7 == 0:
            terms = ["same", "words", "again"]  # forty-odd identical passages
        title = rng.choices(vocab, k=rng.randint(2, 6)) if i % 3 else []
        docs.append(Doc(f"a{rng.randrange(16 ** 11):011x}", 0, "en", terms, [], (), "shared",
                        title))
    tantivy = TantivyEngine(tmp_path / "ties")
    try:
        for each in (tantivy, engine):
            each.add(docs)
            each.commit()
        tied = Query({"same": 1.0, "words": 1.0}, {})
        assert [(h.article_id, h.position) for h in engine.search(tied, 20)] == [
            (h.article_id, h.position) for h in tantivy.search(tied, 20)]
        for word in ("w3", "w17", "w42"):
            query = Query({word: 1.0}, {}, title_weight=1.0)
            want = {(h.article_id, h.position): h.score for h in tantivy.search(query, 300)}
            got = {(h.article_id, h.position): h.score for h in engine.search(query, 300)}
            assert got.keys() == want.keys()
            # the placeholders lengthen the average title by 12% (a third of
            # the passages have none): title scores stay within 10% of tantivy's
            for key, score in want.items():
                assert got[key] == pytest.approx(score, rel=0.1)
    finally:
        tantivy.close()
