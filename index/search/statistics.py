"""The corpus figures ranking reads, fetched from the engine before ranking starts.

Ranking (``index.search.answer``) weighs a question's words by how rare they are: in the whole
index, and among the passages of one language. Those figures come from the engine (over HTTP on
a cluster), so they are fetched first, in one place (``fetch_statistics``), and ranking itself
is a pure function of what it is handed: it never calls the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Counts", "Statistics", "fetch_statistics", "wanted_tokens"]


class Counts(Protocol):
    """What ranking asks of the corpus (an engine answers it too)."""

    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int: ...

    def num_docs(self, lang: str | None = None) -> int: ...


@dataclass(slots=True)
class Statistics:
    """Document frequencies of a question's tokens and passage counts, by language (None: the
    whole index). Asking for a figure that was not fetched is a bug, and raises ``KeyError``."""

    docs: dict[str | None, int] = field(default_factory=dict)
    freqs: dict[tuple[str, str, str | None], int] = field(default_factory=dict)

    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int:
        return self.freqs[(field, token, lang)]

    def num_docs(self, lang: str | None = None) -> int:
        return self.docs[lang]


def wanted_tokens(plans: Sequence[Any]) -> set[tuple[str, str, str | None]]:
    """Every ``(field, token, lang)`` ranking may look up for these plans (``answer.Plan``):
    each word's term, glossary counterparts and keys, in the whole index and in the plan's
    language, and every token of the plan's engine query."""
    wanted: set[tuple[str, str, str | None]] = set()
    for plan in plans:
        for word in plan.words:
            tokens = [("terms", t) for t in (word.term, *word.glosses)]
            tokens += [("keys", k) for k in (word.key, word.alt_key) if k]
            for field_name, token in tokens:
                wanted.add((field_name, token, None))
                wanted.add((field_name, token, plan.lang))
        for field_name, weights in plan.query.fields():
            wanted.update((field_name, token, None) for token in weights)
    return wanted


def fetch_statistics(engine: Counts, plans: Sequence[Any], langs: Iterable[str]) -> Statistics:
    """The figures ranking needs for ``plans`` and a question in one of ``langs``, from the
    engine (in a worker thread: on a cluster each is a request)."""
    stats = Statistics()
    for lang in {None, *langs, *(plan.lang for plan in plans)}:
        stats.docs[lang] = engine.num_docs(lang)
    for field_name, token, lang in wanted_tokens(plans):
        stats.freqs[(field_name, token, lang)] = engine.doc_freq(field_name, token, lang)
    return stats
