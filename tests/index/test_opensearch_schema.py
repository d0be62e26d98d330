"""The opensearch engine's pure parts, without a cluster: node URLs and their masking, the
index mapping, and the queries it sends (tantivy's query, filters inside it)."""

from __future__ import annotations

import pytest

from index.search.engines import Doc, Query, make_engine
from index.search.engines.base import K1, B
from index.search.engines.opensearch_address import ClusterAddress, mask
from index.search.engines.opensearch_client import Retry, is_transient, with_backoff
from index.search.engines.opensearch_schema import (
    EMPTY,
    bm25_query,
    bm25_search,
    cosine_from_score,
    doc_id,
    doc_source,
    hit_key,
    index_body,
    knn_query,
)


def test_node_urls_are_parsed_with_default_ports_and_credentials_apart() -> None:
    address = ClusterAddress.parse(
        " https://admin:s3cr:et@a.example , https://admin:s3cr:et@b.example:9201 ,"
    )
    assert address.nodes == ("https://a.example:443", "https://b.example:9201")
    assert (address.user, address.password) == ("admin", "s3cr:et")
    assert "s3cr" not in address.shown and "s3cr" not in repr(address)
    assert address.shown == "https://admin:***@a.example:443,https://admin:***@b.example:9201"
    assert ClusterAddress.parse("http://127.0.0.1").nodes == ("http://127.0.0.1:9200",)


@pytest.mark.parametrize("url", [
    "", "127.0.0.1:9200", "ftp://u:hunter2@h", "http://u:hunter2@h:port", "http://h:9200/x",
    "https://u:hunter2@a:1,https://v:other@b:1",
])
def test_bad_node_urls_are_refused_without_showing_the_password(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        ClusterAddress.parse(url)
    assert "hunter2" not in str(caught.value)


def test_mask_hides_only_the_password() -> None:
    assert mask("https://u:p@h:1") == "https://u:***@h:1"
    assert mask("https://h:1/a@b") == "https://h:1/a@b"


def test_the_query_is_tantivys_with_filters_inside() -> None:
    """Should-terms boosted by weight (zero weights dropped), titles at title_weight, at least
    one must match, limits as filter clauses (lowercased source)."""
    query = Query({"bridg": 2.0, "river": 0.0}, {"BRJ": 0.5}, lang="en", source="Example Wire",
                  title_weight=0.3, collections=("shared", "guild:1"))
    dsl = bm25_query(query)
    assert dsl == {"bool": {
        "should": [
            {"term": {"terms": {"value": "bridg", "boost": 2.0}}},
            {"term": {"keys": {"value": "BRJ", "boost": 0.5}}},
            {"term": {"title": {"value": "bridg", "boost": pytest.approx(0.6)}}},
        ],
        "minimum_should_match": 1,
        "filter": [{"term": {"lang": "en"}}, {"term": {"source": "example wire"}},
                   {"terms": {"collection": ["shared", "guild:1"]}}],
    }}
    assert bm25_query(Query({"x": 0.0}, {})) is None


def test_the_knn_query_filters_inside_the_graph_search() -> None:
    dsl = knn_query([0.5, 0.5], 4, ("guild:1",))
    assert dsl == {"knn": {"vector": {"vector": [0.5, 0.5], "k": 4, "filter": {
        "bool": {"filter": [{"terms": {"collection": ["guild:1"]}}]}}}}}
    assert "filter" not in knn_query([1.0], 3, None)["knn"]["vector"]
    assert cosine_from_score(1.0) == 1.0 and cosine_from_score(0.5) == 0.0


def test_the_mapping_scores_with_storybots_bm25_and_holds_vectors() -> None:
    body = index_body("abc", shards=3, replicas=1)
    settings = body["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (3, 1)
    assert settings["similarity"]["storybot_bm25"] == {
        "type": "BM25", "k1": K1, "b": B, "discount_overlaps": True}
    fields = body["mappings"]["properties"]
    for name in ("terms", "keys", "title"):
        assert fields[name]["similarity"] == "storybot_bm25"
        assert fields[name]["analyzer"] == "whitespace"
    assert fields["vector"]["dimension"] == 384
    assert fields["vector"]["method"]["engine"] == "lucene"
    assert body["mappings"]["_meta"] == {"storybot_index_id": "abc"}


def test_documents_carry_tokens_joined_and_an_id_per_passage() -> None:
    doc = Doc("a0000000000f", 3, "hi", ["मुंब", "बारिश"], ["MMB"], ("उदाहरण समाचार", "x.example"),
              "guild:1", ["बारिश"])
    assert doc_source(doc, 7) == {
        "article": "a0000000000f", "position": 3, "seq": 7, "lang": "hi",
        "source": ["उदाहरण समाचार", "x.example"], "collection": "guild:1",
        "terms": "मुंब बारिश", "keys": "MMB", "title": "बारिश"}
    assert hit_key(doc_id("a0000000000f", 3)) == ("a0000000000f", 3)


def test_empty_fields_hold_a_token_no_question_has() -> None:
    """So Lucene counts every passage in every field, as tantivy does."""
    source = doc_source(Doc("a0000000000f", 0, "en", ["x"], [], ()), 1)
    assert source["keys"] == source["title"] == EMPTY
    assert not any(ch.isalnum() for ch in EMPTY)


def test_ties_go_to_the_passage_indexed_first() -> None:
    body = bm25_search(Query({"x": 1.0}, {}), 5)
    assert body is not None and body["size"] == 5 and body["track_scores"] is True
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"seq": {"order": "asc"}}]
    assert bm25_search(Query({}, {}), 5) is None


def test_backoff_retries_transient_failures_then_names_the_cluster() -> None:
    from opensearchpy.exceptions import ConnectionError as ClientConnectionError
    from opensearchpy.exceptions import TransportError

    from index.errors import ClusterError

    address = ClusterAddress.parse("http://u:hunter2@h:1")
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TransportError(429, "too_many_requests", {})
        return "done"

    waits: list[float] = []
    assert with_backoff(flaky, "write", address, Retry(5, 0.5, 1.0), waits.append) == "done"
    assert waits == [0.5, 1.0]

    def down() -> None:
        raise ClientConnectionError("N/A", "refused", None)

    with pytest.raises(ClusterError) as caught:
        with_backoff(down, "write", address, Retry(3, 0.1, 1.0), lambda s: None)
    assert "after 3 attempts" in str(caught.value) and "hunter2" not in str(caught.value)
    assert not is_transient(TransportError(400, "bad", {}))


def test_a_search_cut_by_a_dying_node_is_retried_but_a_broken_query_is_not() -> None:
    """The body OpenSearch returns when a node dies under a search (seen in CI's failover
    run) is worth retrying on the surviving copies; a 500 from a bad script is not."""
    from opensearchpy.exceptions import TransportError

    def body(*causes: str) -> dict:
        return {"error": {"root_cause": [{"type": c, "reason": "x"} for c in causes],
                          "type": "search_phase_execution_exception"}, "status": 500}

    lost = TransportError(500, "search_phase_execution_exception",
                          body("node_disconnected_exception"))
    assert is_transient(lost)
    assert is_transient(TransportError(500, "search_phase_execution_exception",
                                       body("no_shard_available_action_exception")))
    assert not is_transient(TransportError(500, "search_phase_execution_exception",
                                           body("script_exception")))
    assert not is_transient(TransportError(500, "search_phase_execution_exception",
                                           body("node_disconnected_exception",
                                                "script_exception")))
    assert not is_transient(TransportError(500, "internal", "not json"))


def test_make_engine_needs_a_url_for_opensearch(tmp_path) -> None:
    with pytest.raises(ValueError, match="url"):
        make_engine("opensearch", tmp_path)
    with pytest.raises(ValueError, match="no options"):
        make_engine("tantivy", tmp_path, url="http://h:1")
