"""What kind of answer a question asks for, and whether a passage holds one.

"How much / berapa / कितना" ask for an amount, "when / kapan / कब" for a date or time, "who /
siapa / कौन" for a person, "where / di mana / कहाँ" for a place (cue words in
``index/data/answertypes/cues.tsv``). A passage shows an amount by a number or a number word,
a date by a year, a month or a weekday, a person by a capitalised Latin name inside a sentence
or a title (श्री, Pak, Dr), a place by a capitalised word after "in/di/dari" (markers in
``index/data/answertypes/markers.tsv`` and ``numbers.tsv``). Words the question already has do
not count: the answer to "who is Alex Spiro?" is not the name "Spiro" itself.

>>> question_type("How much did Elon Musk pay for Twitter?"), question_type("कब हुआ?")
('amount', 'date')
>>> kinds = answer_kinds("Musk paid 44 billion dollars in October.", {"musk", "pay"})
>>> sorted(kinds)
['amount', 'date']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from index.analysis.filters import normalize
from index.analysis.tokenizers import tokenize
from index.data import lines, table

__all__ = ["KINDS", "answer_kinds", "kinds_by_word", "kinds_except", "question_type"]

KINDS = ("date", "amount", "person", "place")  # cue order: a date cue beats an amount cue
_MONTH = re.compile(r"m\d\d")
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_SENTENCE_END = frozenset(".!?।\"“”")


@cache
def _rows(name: str) -> tuple[tuple[str, str], ...]:
    out = []
    for line in lines(f"answertypes/{name}"):
        kind, _, word = line.partition("\t")
        if word.strip():
            out.append((kind.strip(), normalize(word.strip()) if " " not in word else " ".join(
                normalize(w) for w in word.split())))
    return tuple(out)


@cache
def _markers(kind: str) -> frozenset[str]:
    return frozenset(word for k, word in _rows("markers.tsv") if k == kind)


def question_type(text: str) -> str | None:
    """The kind of answer a question asks for: "amount", "date", "person", "place" or None.

    The first cue in the question wins; at the same place a date beats an amount.
    """
    norms = [normalize(w.text) for w in tokenize(text)]
    joined = " " + " ".join(norms) + " "
    best: tuple[int, int, str] | None = None
    for kind, cue in _rows("cues.tsv"):
        at = joined.find(f" {cue} ")
        if at < 0:
            continue
        if kind == "person":
            following = joined[at + len(cue) + 2 :].split(" ", 1)[0]
            if following in _markers("not-person-after"):
                continue  # "कौन सा": which, not who
        rank = (at, KINDS.index(kind), kind)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def answer_kinds(text: str, question_norms: Iterable[str] = ()) -> set[str]:
    """The kinds of answer ``text`` holds, not counting words the question already has."""
    return kinds_except(kinds_by_word(text), question_norms)


def kinds_except(
    by_word: Iterable[tuple[str, frozenset[str]]], question_norms: Iterable[str]
) -> set[str]:
    """The kinds of answer of ``kinds_by_word``'s words, but for the question's own words."""
    skip = question_norms if isinstance(question_norms, (set, frozenset)) else set(question_norms)
    found: set[str] = set()
    for norm, kinds in by_word:
        if norm not in skip:
            found |= kinds
    return found


def kinds_by_word(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each word of ``text`` that shows a kind of answer (normalised), with the kinds."""
    numbers = table("numbers.tsv")
    out = []
    previous_norm, previous_end = "", -1
    for word in tokenize(text):
        norm = normalize(word.text)
        found: set[str] = set()
        mapped = numbers.get(norm)
        month = mapped is not None and _MONTH.fullmatch(mapped)
        if norm.isdigit() or (mapped is not None and not month):
            found.add("amount")
        if (norm.isdigit() and _YEAR.fullmatch(norm)) or month or norm in _markers("date"):
            found.add("date")
        if norm in _markers("person"):
            found.add("person")
        first = word.text[0]
        named = mapped is None and norm not in _markers("date")  # not "October", "Monday"
        if named and first.isupper() and first.isascii() and not word.text.isupper():
            gap = text[previous_end : word.start] if previous_end >= 0 else "."
            if not any(c in _SENTENCE_END for c in gap):
                found.add("person")
                if previous_norm in _markers("place-before"):
                    found.add("place")
        if found:
            out.append((norm, frozenset(found)))
        previous_norm, previous_end = norm, word.end
    return tuple(out)
