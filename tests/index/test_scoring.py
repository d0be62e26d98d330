"""The one relevance scale (``index.search.scoring``): its parts, one at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from index.search.engines.base import K1, Query
from index.search.scoring import (
    EXACT,
    GLOSS,
    KEY,
    NONE,
    TITLE,
    WITH_DENSE,
    WITHOUT_DENSE,
    Features,
    combine,
    dense_feature,
    idf,
    is_no_answer,
    most_specific,
    supports,
    upper_bound,
    word_features,
    word_matches,
)


@dataclass(frozen=True)
class W:
    """A question word as ``answer.Word`` has it (the fields scoring reads)."""

    term: str
    key: str | None = None
    alt_key: str | None = None
    glosses: tuple[str, ...] = ()


def test_idf_is_tantivys_and_rarer_words_weigh_more() -> None:
    """BM25's IDF: log(1 + (N - df + 0.5) / (df + 0.5)); a word in no passage weighs most."""
    assert idf(10, 1000) == pytest.approx(math.log(1 + 990.5 / 10.5))
    assert idf(0, 1000) > idf(1, 1000) > idf(500, 1000) > 0


def test_a_word_meets_a_passage_exactly_by_glossary_by_key_or_in_the_title() -> None:
    """The first kind of meeting that applies is the one counted."""
    words = [W("microsoft", key="MKRS"), W("war", glosses=("perang",)), W("nadela", key="NTL"),
             W("deal"), W("absent")]
    kinds = word_matches(words, frozenset({"microsoft", "perang"}), frozenset({"NTL"}),
                         frozenset({"deal"}))
    assert kinds == [EXACT, GLOSS, KEY, TITLE, NONE]


def test_a_lone_key_match_earns_only_what_the_key_is_worth_in_that_language() -> None:
    """One sound-alike (a key most passages hold) earns its key's IDF and the rest is weak;
    two key matches in one passage are the names themselves and earn their full weight."""
    exact, _gloss, key, weak, _title = word_features([4.0, 4.0], [1.0, 1.0], [EXACT, KEY])
    assert (exact, key, weak) == (0.5, 1.0 / 8.0, 3.0 / 8.0)
    _exact, _gloss, key, weak, _title = word_features([4.0, 4.0], [1.0, 1.0], [KEY, KEY])
    assert (key, weak) == (1.0, 0.0)


def test_the_upper_bound_is_what_the_query_could_score_from_the_tokens_held() -> None:
    """Each held token at its weight × IDF × (K1 + 1); tokens no passage holds add nothing."""
    query = Query({"bridge": 1.0, "zzz": 1.0}, {"BRJ": 0.5})
    freqs = {("terms", "bridge"): 10, ("terms", "zzz"): 0, ("keys", "BRJ"): 20}
    bound = upper_bound(query, lambda field, token: freqs[(field, token)], 1000)
    assert bound == pytest.approx((idf(10, 1000) + 0.5 * idf(20, 1000)) * (K1 + 1))


def test_the_most_specific_words_are_the_rarest() -> None:
    """Ties share the top; a word no passage holds is the most specific of all."""
    assert most_specific([100, 3, 3], 1000) == [1, 2]
    assert most_specific([100, 0, 3], 1000) == [1]


def test_support_across_scripts_needs_a_rare_key() -> None:
    """An exact or glossary match supports; a key match only across scripts, and when the key
    is rare or another question word meets the passage by key too."""
    assert supports([EXACT], [0.0], cross_script=False, wanted=[0])
    assert not supports([KEY], [9.0], cross_script=False, wanted=[0])
    assert supports([KEY], [9.0], cross_script=True, wanted=[0])
    assert not supports([KEY], [1.0], cross_script=True, wanted=[0])
    # "elon musk ke vakil": एलोन, मस्क and वकील all by key, none rare in a small corpus
    assert supports([KEY, KEY, KEY], [1.0, 1.0, 2.0], cross_script=True, wanted=[2])
    assert not supports([NONE, KEY], [1.0, 1.0], cross_script=True, wanted=[1])


def test_no_answer_rules() -> None:
    """A name held nowhere, or a question none of whose words the corpus holds, is unanswered
    whatever the vectors say; a lexical match answers; otherwise the semantic stage must vouch
    (a first cosine standing out from the 11th, in a corpus large enough for the 11th to be
    background), or, without it, the first result must cover half the question."""
    assert is_no_answer(True, 0.9, [0.9] * 20, 1.0, absent_name=True)
    assert not is_no_answer(True, None, [], 0.1)
    assert is_no_answer(False, None, [], 0.4)
    assert not is_no_answer(False, None, [], 0.6)
    standing_out = [0.86] + [0.80] * 19
    assert not is_no_answer(False, 0.86, standing_out, 0.0)
    assert is_no_answer(False, 0.81, [0.81] + [0.80] * 19, 0.0)
    assert is_no_answer(False, 0.86, standing_out, 0.0, known=False)
    assert is_no_answer(True, 0.9, standing_out, 1.0, known=False)  # the vectors are not asked
    # a few articles on one story: nothing stands out from a background, so the words decide
    assert is_no_answer(False, 0.86, standing_out, 0.0, n_passages=29)
    assert not is_no_answer(False, 0.86, standing_out, 0.6, n_passages=29)
    # the question's rarest word missed ("ngomong"), nothing stands out, but the first result
    # holds most of the question: an answer; half of it is not enough when vectors are there
    flat = [0.86] + [0.85] * 19
    assert not is_no_answer(False, 0.86, flat, 0.7)
    assert is_no_answer(False, 0.86, flat, 0.5)


def test_the_dense_feature_weighs_more_across_languages() -> None:
    """The same cosine counts more for a passage in another language (words cannot meet
    there); without vectors a passage is scored by its other features alone."""
    cosine = dense_feature(0.88)
    other = combine(Features(dense=cosine), WITH_DENSE)
    same = combine(Features(dense=cosine, same_lang=1.0), WITH_DENSE) - WITH_DENSE.same_lang
    assert other > same > 0
    assert combine(Features(dense=None, bm25=1.0), WITHOUT_DENSE) == WITHOUT_DENSE.bm25
