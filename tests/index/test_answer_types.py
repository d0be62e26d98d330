"""What kind of answer a question asks for, and which passages hold one
(``index.search.answer_types``)."""

from __future__ import annotations

import pytest

from index.search.answer_types import answer_kinds, question_type


@pytest.mark.parametrize(("question", "kind"), [
    ("How much did Elon Musk pay for Twitter?", "amount"),
    ("berapa harga beras di pasar?", "amount"),
    ("मुंबई में कितने लोग बीमार हैं?", "amount"),
    ("How hot could the heat wave get?", "amount"),  # a measure: degrees, metres, years
    ("seberapa tinggi abu letusan gunung itu?", "amount"),
    ("When does the bridge open?", "date"),
    ("tahun berapa jembatan dibuka?", "date"),  # a year is a number too: the date cue wins
    ("बैठक कब होगी?", "date"),
    ("Who is Alex Spiro?", "person"),
    ("siapa pengacara Elon Musk?", "person"),
    ("Where did the ferry sink?", "place"),
    ("what did Microsoft say?", None),
])
def test_the_kind_a_question_asks_for(question: str, kind: str | None) -> None:
    """The first cue word of the question names the kind, in English, Indonesian and Hindi."""
    assert question_type(question) == kind


def test_a_passage_shows_amounts_dates_people_and_places() -> None:
    """Numbers, months and weekdays, capitalised names inside a sentence, a place after "in"."""
    text = "On Monday the council in Surabaya paid 44 million to Rina Mahendra."
    assert answer_kinds(text) == {"date", "amount", "person", "place"}


def test_the_questions_own_words_do_not_count_as_an_answer() -> None:
    """The answer to "who is Alex Spiro?" is not the name Spiro itself."""
    text = "Alex Spiro spoke to reporters."
    assert "person" in answer_kinds(text)
    assert "person" not in answer_kinds(text, {"alex", "spiro"})
