"""Everyday words across languages, from the hand-written ``index/data/glossary.tsv``.

Names, numbers and loanwords meet across scripts through phonetic keys; common words ("war",
"युद्ध", "perang") do not sound alike, so a small glossary lets a question word also look for
its counterparts in the articles' language. Terms are compared as the analysers make them, so
"years" finds the concept of "year" and the Hindi side is searched as "वर्ष" and "साल" stem.
"""

from __future__ import annotations

from functools import cache

from index.analysis.analyzers import analyzer_for
from index.data import lines

__all__ = ["GLOSSARY_LANGS", "translations"]

GLOSSARY_LANGS = ("en", "hi", "id")


@cache
def _concepts() -> tuple[dict[str, tuple[str, ...]], ...]:
    concepts = []
    for line in lines("glossary.tsv"):
        columns = line.split("\t")
        if len(columns) != len(GLOSSARY_LANGS):
            continue
        concepts.append({
            lang: tuple(w.strip() for w in column.split("|") if w.strip() and " " not in w.strip())
            for lang, column in zip(GLOSSARY_LANGS, columns, strict=True)
        })
    return tuple(concepts)


def _term(lang: str, word: str) -> str | None:
    result = analyzer_for(lang).word(word)
    return result[0] if result is not None else None


@cache
def _by_term(lang: str) -> dict[str, tuple[int, ...]]:
    """(analysed term in ``lang``) → the concepts it belongs to."""
    found: dict[str, list[int]] = {}
    for number, concept in enumerate(_concepts()):
        for word in concept.get(lang, ()):
            term = _term(lang, word)
            if term is not None:
                found.setdefault(term, []).append(number)
    return {term: tuple(numbers) for term, numbers in found.items()}


@cache
def translations(word: str, from_lang: str, to_lang: str) -> tuple[str, ...]:
    """Terms of ``to_lang`` (as its analyser makes them) for a question word of ``from_lang``.

    >>> translations("wars", "en", "hi")
    ('युद्ध', 'जंग')
    """
    if from_lang == to_lang or from_lang not in GLOSSARY_LANGS or to_lang not in GLOSSARY_LANGS:
        return ()
    term = _term(from_lang, word)
    if term is None:
        return ()
    out: list[str] = []
    for number in _by_term(from_lang).get(term, ()):
        for target in _concepts()[number][to_lang]:
            translated = _term(to_lang, target)
            if translated is not None and translated not in out:
                out.append(translated)
    return tuple(out)
