"""The default engine: a tantivy index on disk, next to the SQLite file.

Terms and keys arrive pre-analysed, joined by spaces, and tantivy's ``whitespace`` tokenizer
splits them again, so tantivy never changes a token. Article ids (``a`` + 11 hex digits) are kept
as a u64 fast field, so hits are resolved to (article, position) without reading stored documents.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy

from index.search.engines.base import Doc, Hit, Query

__all__ = ["TantivyEngine"]

log = logging.getLogger(__name__)

_WRITER_HEAP = 128_000_000
_FIELDS = ("terms", "keys", "title")
_ID_FILE = "storybot-index-id"
_COUNTS_LIMIT = 50_000  # remembered per-language counts before the memo starts over


def _article_number(article_id: str) -> int:
    return int(article_id[1:], 16)


def _article_id(number: int) -> str:
    return f"a{number:011x}"


def _count(result: tantivy.SearchResult) -> int:
    """The match count of a search made with ``count=True`` (missing from tantivy's stubs)."""
    return int(getattr(result, "count", 0) or 0)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("article", indexed=True, fast=True)
    builder.add_unsigned_field("position", fast=True)
    builder.add_text_field("lang", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("collection", tokenizer_name="raw", index_option="basic")
    for name in _FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


class TantivyEngine:
    """BM25 over an on-disk tantivy index at ``path`` (created when missing).

    An index folder that does not open with today's schema (damaged by a crash, or written by an
    older storybot) is replaced by an empty one, which the library then fills from the store.
    """

    name = "tantivy"

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path is not None else None
        self._schema = _schema()
        if self.path is not None:
            if self.path.exists() and not self.is_readable(self.path):
                log.warning("search index at %s is damaged or of another schema; rebuilding",
                            self.path)
                self.destroy(self.path)
            self.path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
        else:
            self._index = tantivy.Index(self._schema)
        self._writer: tantivy.IndexWriter | None = None
        self._memory_id: str | None = None
        # Per-language counts (a count query walks every posting) until the next commit
        self._counts: dict[tuple[str, str, str], int] = {}

    def stored_id(self) -> str | None:
        if self.path is None:
            return self._memory_id
        id_file = self.path / _ID_FILE
        if not id_file.is_file() or not (self.path / "meta.json").is_file():
            return None
        return id_file.read_text(encoding="utf-8").strip() or None

    def reset(self, index_id: str) -> None:
        self.clear()
        self._write_id(index_id)

    def _write_id(self, index_id: str) -> None:
        if self.path is None:
            self._memory_id = index_id
        else:
            (self.path / _ID_FILE).write_text(index_id, encoding="utf-8")

    def begin_rebuild(self, index_id: str) -> None:
        # One folder: the rebuild empties it at once (questions meanwhile find less).
        self.reset(index_id)

    def finish_rebuild(self) -> None:
        pass

    @staticmethod
    def is_readable(path: Path) -> bool:
        """Whether an index at ``path`` opens with this schema (a crash may leave it unusable)."""
        try:
            index = tantivy.Index(_schema(), path=str(path), reuse=True)
            index.searcher().num_docs  # noqa: B018 - touching it reads the meta file
        except (OSError, ValueError):
            return False
        return True

    def _w(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(_WRITER_HEAP, 1)
        return self._writer

    def add(self, docs: Iterable[Doc]) -> int:
        writer = self._w()
        count = 0
        for doc in docs:
            document = tantivy.Document()
            document.add_unsigned("article", _article_number(doc.article_id))
            document.add_unsigned("position", doc.position)
            document.add_text("lang", doc.lang)
            for outlet in doc.outlets:
                document.add_text("source", outlet)
            document.add_text("collection", doc.collection)
            document.add_text("terms", " ".join(doc.terms))
            document.add_text("keys", " ".join(doc.keys))
            document.add_text("title", " ".join(doc.title))
            writer.add_document(document)
            count += 1
        return count

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        writer = self._w()
        for article_id in article_ids:
            # by query: the by-term call takes a Python int as i64 and matches no u64 term
            writer.delete_documents_by_query(
                tantivy.Query.term_query(self._schema, "article", _article_number(article_id))
            )

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._index.reload()
        self._counts = {}  # after the reload: a reader holding the old dict used the old searcher

    def clear(self) -> None:
        writer = self._w()
        writer.delete_all_documents()
        self.commit()

    def _query(self, query: Query) -> tantivy.Query:
        schema = self._schema
        clauses = []
        for field, weights in query.fields():
            for token, weight in weights.items():
                if weight <= 0:
                    continue
                clause = tantivy.Query.term_query(schema, field, token)
                if weight != 1.0:
                    clause = tantivy.Query.boost_query(clause, weight)
                clauses.append((tantivy.Occur.Should, clause))
        if not clauses:
            return tantivy.Query.empty_query()
        matched = tantivy.Query.boolean_query(clauses)
        filters = [("lang", query.lang), ("source", query.source.lower() if query.source else None)]
        must = [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(
                tantivy.Query.term_query(schema, field, value), 0.0))
            for field, value in filters
            if value is not None
        ]
        if query.collections is not None:
            one_of = tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "collection", name))
                for name in query.collections
            ])
            must.append((tantivy.Occur.Must, tantivy.Query.const_score_query(one_of, 0.0)))
        if not must:
            return matched
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, matched), *must])

    def search(self, query: Query, k: int) -> list[Hit]:
        if k <= 0:
            return []
        searcher = self._index.searcher()
        return self._hits(searcher, searcher.search(self._query(query), limit=k, count=False))

    @staticmethod
    def _hits(searcher: tantivy.Searcher, result: tantivy.SearchResult) -> list[Hit]:
        if not result.hits:
            return []
        addresses = [address for _score, address in result.hits]
        articles = searcher.fast_field_values("article", addresses)
        positions = searcher.fast_field_values("position", addresses)
        return [
            Hit(_article_id(int(article or 0)), int(position or 0), float(score))
            for (score, _addr), article, position in zip(
                result.hits, articles, positions, strict=True
            )
        ]

    def scores(self, query: Query, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], float]:
        wanted = set(keys)
        if not wanted:
            return {}
        articles = sorted({article for article, _position in wanted})
        only = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.term_query(
                self._schema, "article", _article_number(article)))
            for article in articles
        ])
        restricted = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, self._query(query)),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(only, 0.0)),
        ])
        searcher = self._index.searcher()
        limit = max(len(wanted), 1) * 64  # every passage of these articles, in practice
        return {
            (hit.article_id, hit.position): hit.score
            for hit in self._hits(searcher, searcher.search(restricted, limit=limit, count=False))
            if (hit.article_id, hit.position) in wanted
        }

    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int:
        """Passages holding ``token``; without ``lang``, tantivy's own statistic, which, like the
        BM25 scores it feeds, still counts deleted passages until their segment is merged."""
        if lang is None:
            return int(self._index.searcher().doc_freq(field, token))
        return self._count_in(lang, field, token)

    def num_docs(self, lang: str | None = None) -> int:
        if lang is None:
            return int(self._index.searcher().num_docs)
        return self._count_in(lang)

    def _count_in(self, lang: str, field: str = "", token: str = "") -> int:
        """Passages of ``lang`` (holding ``token`` in ``field``, if given), remembered until
        the next commit."""
        counts = self._counts  # first: a commit replaces it only after reloading the searcher
        cached = counts.get((lang, field, token))
        if cached is not None:
            return cached
        query = tantivy.Query.term_query(self._schema, "lang", lang)
        if field:
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.term_query(self._schema, field, token)),
                (tantivy.Occur.Must, query),
            ])
        count = _count(self._index.searcher().search(query, limit=1, count=True))
        if len(counts) > _COUNTS_LIMIT:
            counts.clear()
        counts[(lang, field, token)] = count
        return count

    def close(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    @staticmethod
    def destroy(path: Path) -> None:
        """Delete an index folder (before a rebuild from the store)."""
        shutil.rmtree(path, ignore_errors=True)
