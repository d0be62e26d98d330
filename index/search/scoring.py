"""One relevance scale for every candidate passage, whatever its language.

Scores of different analysers are not comparable, so a passage is not ranked by its BM25 score
but by evidence that means the same in every language, combined by one weighted sum:

* ``match``: the share of the question's informative (IDF) weight the passage matches exactly,
  through a glossary counterpart, or through a phonetic key; a key-only match earns at most what
  the key is worth *in the passage's language* ("Bret" meeting भारत, a key most Hindi passages
  hold, earns little), and the rest of its weight is ``key_weak``, which counts against;
* ``title``: the share matched only in the article's title;
* ``bm25``: BM25 within its language divided by the best score the question could get there
  (its attainable maximum), so a language's best hit is not 1.0 unless it really matches;
* ``dense``: the question–passage cosine of the multilingual model, centred and scaled, weighed
  more for a passage in another language than the question's (where words cannot meet);
* ``same_lang``, ``answer_type`` (the passage holds the kind of answer asked for: an amount, a
  date, a person, a place), ``statement`` (the speaker and a reporting verb share a sentence).

The weights were set on half of each evaluation set's dev questions and checked on the other
half; there is one set for the semantic stage on and one for it off (no vectors yet).

``no_answer``: a question is unanswered when none of the first ``SUPPORT_DEPTH`` results matches
its most specific word (the rarest; a name the corpus does not hold) or holds a statement by
the speaker it asks about, the first result does not match ``MIN_COVERAGE`` of its weight
(a rare word of the question, "ngomong", "duit", need not be in the answer), and the semantic
stage does not vouch for the first one (its cosine does not stand out from the 11th nearest
passage's by ``DENSE_GAP``, ``DENSE_GAP_CROSS`` for a question in a language no passage is
in, and it is at least ``DENSE_MIN_COSINE``; in a corpus under ``DENSE_MIN_PASSAGES`` it never
vouches). A question naming someone or something no passage holds in any spelling, or none of
whose words the corpus holds in any form, is unanswered outright, without asking the vectors.
Without vectors, the first result must also cover half the question's weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from index.search.engines.base import K1

__all__ = [
    "WITHOUT_DENSE", "WITH_DENSE", "Features", "Weights", "combine", "dense_feature",
    "idf", "is_no_answer", "most_specific", "supports", "upper_bound", "word_features",
    "word_matches",
]

NONE, EXACT, GLOSS, KEY, TITLE = 0, 1, 2, 3, 4

COS_CENTRE = 0.80  # a typical e5-small cosine of a question and a related passage
COS_SCALE = 0.04  # one unit of the dense feature (about the spread of the top-50 cosines)

SUPPORT_DEPTH = 3  # the most specific word must be matched by one of the first three
KEY_SUPPORT_IDF = 5.0  # a key-only match supports a word only when the key is this rare there
DENSE_GAP_RANK = 10  # the semantic stage vouches when the first result's cosine is …
DENSE_GAP = 0.025  # … this far above the 11th nearest passage's (it stands out)
DENSE_GAP_CROSS = 0.015  # … when no passage is in the question's language (words cannot meet)
DENSE_MIN_PASSAGES = 100  # … and only in a corpus of other stories too: in a few articles on
# one story the 11th nearest passage is as related as the first, and junk stands out as much
DENSE_MIN_COSINE = 0.76  # and never below this cosine (e5-small: nothing related is that far)
MIN_COVERAGE_NO_DENSE = 0.5  # without vectors: the first result's share of the question
MIN_COVERAGE = 2 / 3  # with or without: a first result matching this much of it is an answer


@dataclass(frozen=True, slots=True)
class Weights:
    match: float
    key_weak: float  # (negative) key-only matches of keys common in that language
    title: float
    bm25: float
    dense_same: float  # passage in the question's language
    dense_cross: float  # passage in another language
    same_lang: float
    answer_type: float
    statement: float


WITH_DENSE = Weights(match=6.0, key_weak=-4.0, title=3.0, bm25=2.5, dense_same=2.0,
                     dense_cross=4.0, same_lang=3.0, answer_type=1.0, statement=3.5)
# Without vectors BM25 weighs more than the share matched: in a large news corpus many passages
# hold most of the question's words, and BM25's term frequency and length tell them apart
# (realtimeqa-en, 67,796 news chunks: R@1 .38 → .45 on both halves of its dev questions; the
# other sets within a question or two).
WITHOUT_DENSE = Weights(match=6.0, key_weak=-3.0, title=8.0, bm25=15.0, dense_same=0.0,
                        dense_cross=0.0, same_lang=3.0, answer_type=1.5, statement=3.5)


@dataclass(slots=True)
class Features:
    exact: float = 0.0
    gloss: float = 0.0
    key: float = 0.0
    key_weak: float = 0.0
    title: float = 0.0
    bm25: float = 0.0
    dense: float | None = None  # None: the passage has no vector (yet)
    same_lang: float = 0.0
    answer_type: float = 0.0
    statement: float = 0.0

    @property
    def match(self) -> float:
        return self.exact + self.gloss + self.key


def idf(df: int, n_docs: int) -> float:
    """BM25's IDF, as tantivy computes it."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def dense_feature(cosine: float) -> float:
    return (cosine - COS_CENTRE) / COS_SCALE


def word_matches(
    words: Sequence[Any], terms: frozenset[str], keys: frozenset[str], title: frozenset[str]
) -> list[int]:
    """How each question word (``answer.Word``) meets a passage: EXACT, GLOSS, KEY (only its
    phonetic key), TITLE (only in the article title) or NONE; the first that applies."""
    out = []
    for w in words:
        if w.term in terms:
            out.append(EXACT)
        elif not terms.isdisjoint(w.glosses):
            out.append(GLOSS)
        elif (w.key is not None and w.key in keys) or (
            w.alt_key is not None and w.alt_key in keys
        ):
            out.append(KEY)
        elif w.term in title or not title.isdisjoint(w.glosses):
            out.append(TITLE)
        else:
            out.append(NONE)
    return out


def word_features(
    weights: Sequence[float], key_idfs: Sequence[float], kinds: Sequence[int]
) -> tuple[float, float, float, float, float]:
    """Shares of the question's IDF weight matched exactly, by glossary, by key (at most the
    key's IDF in the passage's language), by key beyond that (weak), and in the title only.

    A sound-alike meets one word of a question; a passage that meets two or more question words
    by key alone (Elon Musk and Twitter as एलोन मस्क and ट्विटर) is about them, so those
    matches earn their full weight."""
    total = sum(weights) or 1.0
    exact = gloss = key = weak = title = 0.0
    several = sum(1 for kind in kinds if kind == KEY) >= 2
    for weight, key_idf, kind in zip(weights, key_idfs, kinds, strict=True):
        if kind == EXACT:
            exact += weight
        elif kind == GLOSS:
            gloss += weight
        elif kind == KEY:
            earned = weight if several else min(weight, key_idf)
            key += earned
            weak += weight - earned
        elif kind == TITLE:
            title += weight
    return exact / total, gloss / total, key / total, weak / total, title / total


def upper_bound(query: Any, doc_freq: Callable[[str, str], int], n_docs: int) -> float:
    """The largest BM25 score ``query`` could get from the tokens the corpus holds (each matched
    with unbounded frequency: idf × (K1 + 1) × boost, over the query's fields)."""
    total = 0.0
    for field, weights in query.fields():
        for token, weight in weights.items():
            if weight > 0:
                df = doc_freq(field, token)
                if df > 0:
                    total += weight * idf(df, n_docs) * (K1 + 1.0)
    return total or 1.0


def combine(f: Features, w: Weights) -> float:
    """The one relevance scale: a weighted sum, the same for every language."""
    score = (
        w.match * f.match + w.key_weak * f.key_weak + w.title * f.title + w.bm25 * f.bm25
        + w.same_lang * f.same_lang + w.answer_type * f.answer_type + w.statement * f.statement
    )
    if f.dense is not None:
        score += (w.dense_same if f.same_lang else w.dense_cross) * f.dense
    return score


def most_specific(df_terms: Sequence[int], n_docs: int) -> list[int]:
    """Indices of the question words with the highest IDF by their terms (a name the corpus
    does not hold has df 0, so it is its question's most specific word)."""
    specs = [idf(df, n_docs) for df in df_terms]
    top = max(specs, default=0.0)
    return [i for i, spec in enumerate(specs) if spec >= top - 1e-9]


def supports(
    kinds: Sequence[int], key_idfs: Sequence[float], cross_script: bool, wanted: Sequence[int]
) -> bool:
    """Whether a passage matches one of the ``wanted`` words: exactly, by glossary, or (across
    scripts only) by its key, when the key is rare in the passage's language or when another
    question word meets the passage by key too (एलोन मस्क … वकील for "elon musk ke vakil": as in
    ``word_features``, a passage meeting two question words by key alone is about them)."""
    several = sum(1 for kind in kinds if kind == KEY) >= 2
    for i in wanted:
        if kinds[i] in (EXACT, GLOSS):
            return True
        if kinds[i] == KEY and cross_script and (several or key_idfs[i] >= KEY_SUPPORT_IDF):
            return True
    return False


def is_no_answer(
    lexical_support: bool, first_cosine: float | None, dense_cosines: Sequence[float],
    first_match: float, known: bool = True, absent_name: bool = False,
    gap_needed: float = DENSE_GAP, n_passages: int = DENSE_MIN_PASSAGES,
) -> bool:
    """See the module's docstring."""
    if absent_name or not known:  # a name no passage holds in any spelling, or no word of
        return True  # the question at all: the story is not in the corpus, whatever is nearest
    if lexical_support or first_match >= MIN_COVERAGE:
        return False
    if (first_cosine is None or len(dense_cosines) <= DENSE_GAP_RANK
            or n_passages < DENSE_MIN_PASSAGES):
        return first_match < MIN_COVERAGE_NO_DENSE
    gap = first_cosine - sorted(dense_cosines, reverse=True)[DENSE_GAP_RANK]
    return gap < gap_needed or first_cosine < DENSE_MIN_COSINE
