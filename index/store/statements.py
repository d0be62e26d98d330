"""The store's part for who said what: each article's statements, the aliases articles define,
and the ones a server's admins add or strike out.

Statements and aliases are derived from an article's passages (``index.corpus.statements``
keeps them in step, like the search index, with ``statement_state`` as their ledger) and go
with the article (a foreign key). A speaker's name is kept with its ``speaker_shape`` (the
consonants of each word, the same in every script: ``index.statements.name_shapes``), so the
statements that may be a name's are found by a coarse filter, and the exact rule
(``index.statements.NameMatcher``) is applied to those alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update

from index.statements import Statement, name_shapes
from index.store.schema import aliases, articles, guild_aliases, statements
from index.store.store import Store

__all__ = ["StatementStore", "shape_column"]

_IDS_PER_QUERY = 500
_SHAPES_PER_QUERY = 40


def shape_column(speaker: str) -> str:
    """What ``speaker_shape`` holds: each word's shape between spaces (" dnld trmp ")."""
    return " " + " ".join(name_shapes(speaker)) + " "


def _row(article_id: str, seq: int, s: Statement) -> dict[str, Any]:
    return {
        "article_id": article_id, "seq": seq, "position": s.position,
        "sentence_start": s.sentence[0], "sentence_end": s.sentence[1],
        "mention_start": s.mention[0], "mention_end": s.mention[1],
        "content_start": s.content[0], "content_end": s.content[1],
        "speaker": s.speaker, "speaker_shape": shape_column(s.speaker),
        "on_behalf": s.on_behalf, "cue": s.cue, "lang": s.lang, "quoted": s.quoted,
        "named": s.named,
    }


def _statement(row: Any) -> Statement:
    return Statement(
        position=int(row.position), sentence=(int(row.sentence_start), int(row.sentence_end)),
        mention=(int(row.mention_start), int(row.mention_end)), speaker=row.speaker,
        cue=row.cue, content=(int(row.content_start), int(row.content_end)),
        on_behalf=row.on_behalf, lang=row.lang, quoted=bool(row.quoted),
        named=bool(row.named),
    )


class StatementStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    async def replace(
        self, found: Iterable[tuple[str, Sequence[Statement], Iterable[tuple[str, str]]]]
    ) -> None:
        """Replace these articles' statements and aliases: ``(article id, statements,
        (name, alias) pairs)``, in one transaction."""
        found = list(found)
        ids = [article_id for article_id, _s, _a in found]
        rows = [_row(a, seq, s) for a, found_statements, _al in found
                for seq, s in enumerate(found_statements)]
        pairs = {(a, name, alias) for a, _s, defined in found for name, alias in defined}
        async with self.store.writing() as conn:
            for i in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[i : i + _IDS_PER_QUERY]
                await conn.execute(delete(statements).where(statements.c.article_id.in_(chunk)))
                await conn.execute(delete(aliases).where(aliases.c.article_id.in_(chunk)))
            if rows:
                await conn.execute(insert(statements), rows)
            if pairs:
                await conn.execute(insert(aliases), [
                    {"article_id": a, "name": name, "alias": alias} for a, name, alias in pairs
                ])

    async def of_articles(self, article_ids: Sequence[str]) -> dict[str, list[Statement]]:
        """The statements of these articles, in article order."""
        out: dict[str, list[Statement]] = {}
        async with self.engine.connect() as conn:
            for i in range(0, len(article_ids), _IDS_PER_QUERY):
                rows = await conn.execute(
                    select(statements)
                    .where(statements.c.article_id.in_(list(article_ids[i : i + _IDS_PER_QUERY])))
                    .order_by(statements.c.article_id, statements.c.seq)
                )
                for row in rows:
                    out.setdefault(str(row.article_id), []).append(_statement(row))
        return out

    def _by_shape(self, shapes: Iterable[str]) -> Any:
        words = sorted(set(shapes))[:_SHAPES_PER_QUERY]
        if not words:
            return None
        return or_(*(statements.c.speaker_shape.like(f"% {w} %") for w in words),
                   *(statements.c.on_behalf == w for w in words if w.isupper()))

    async def speakers(
        self, shapes: Iterable[str], collections: Sequence[str]
    ) -> dict[str, int]:
        """How many statements each speaker (or body spoken for) whose name has one of these
        word shapes has in these collections."""
        where = self._by_shape(shapes)
        if where is None:
            return {}
        counts: dict[str, int] = {}
        async with self.engine.connect() as conn:
            for column in (statements.c.speaker, statements.c.on_behalf):
                rows = await conn.execute(
                    select(column, func.count())
                    .join(articles, articles.c.id == statements.c.article_id)
                    .where(where, column.is_not(None),
                           articles.c.collection.in_(list(collections)))
                    .group_by(column)
                )
                for name, count in rows:
                    counts[str(name)] = counts.get(str(name), 0) + int(count)
        return counts

    async def by_shapes(
        self, shapes: Iterable[str], collections: Sequence[str], *,
        since: str | None = None, limit: int = 2000,
    ) -> list[tuple[str, Statement]]:
        """``(article id, statement)`` of the statements whose speaker (or body spoken for) may
        be a name with these word shapes, in these collections, newest articles first."""
        where = self._by_shape(shapes)
        if where is None:
            return []
        newest = func.coalesce(articles.c.published, articles.c.ingested_at)
        query = (
            select(statements)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(where, articles.c.collection.in_(list(collections)))
            .order_by(newest.desc(), statements.c.article_id, statements.c.seq)
            .limit(limit)
        )
        if since is not None:
            query = query.where(newest >= since)
        async with self.engine.connect() as conn:
            return [(str(row.article_id), _statement(row)) for row in await conn.execute(query)]

    # --- aliases ---------------------------------------------------------------------------

    async def aliases(
        self, collections: Sequence[str], guild_id: int | None = None
    ) -> list[tuple[str, str]]:
        """``(name, alias)`` pairs the articles of these collections define, with the server's
        own additions and without the pairs its admins struck out."""
        async with self.engine.connect() as conn:
            learned = {(str(r[0]), str(r[1])) for r in await conn.execute(
                select(aliases.c.name, aliases.c.alias).distinct()
                .join(articles, articles.c.id == aliases.c.article_id)
                .where(articles.c.collection.in_(list(collections)))
            )}
            if guild_id is None:
                return sorted(learned)
            own = list(await conn.execute(
                select(guild_aliases.c.name, guild_aliases.c.alias, guild_aliases.c.removed)
                .where(guild_aliases.c.guild_id == str(guild_id))
            ))
        for name, alias, removed in own:
            pair = (str(name), str(alias))
            if removed:
                learned.discard(pair)
                learned.discard((pair[1], pair[0]))
            else:
                learned.add(pair)
        return sorted(learned)

    async def set_alias(
        self, guild_id: int, name: str, alias: str, *, removed: bool, by: int | None = None
    ) -> None:
        """A server's admin adds ``alias`` as another name of ``name`` (or strikes it out)."""
        key = and_(guild_aliases.c.guild_id == str(guild_id), guild_aliases.c.name == name,
                   guild_aliases.c.alias == alias)
        values = {"removed": removed, "added_by": str(by) if by else None,
                  "at": datetime.now(UTC).isoformat(timespec="seconds")}
        async with self.store.writing() as conn:
            found = await conn.scalar(select(func.count()).select_from(guild_aliases).where(key))
            if found:
                await conn.execute(update(guild_aliases).where(key).values(**values))
            else:
                await conn.execute(insert(guild_aliases).values(
                    guild_id=str(guild_id), name=name, alias=alias, **values))
