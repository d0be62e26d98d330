"""Sentences and passages: split at real sentence ends in Hindi, Indonesian and English, and
group whole sentences into passages whose offsets index the text exactly."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ingest.passages import (
    MAX_PASSAGE_CHARS,
    MAX_PASSAGE_SENTENCES,
    split_passages,
    split_sentences,
)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def passages(text: str) -> list[str]:
    return [text[a:b] for a, b in split_passages(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hindi: danda and double danda, with or without a space after
        (
            "माइक्रोसॉफ्ट ने कहा। ट्विटर ने आरोप लगाया॥ तीसरा वाक्य है।",
            ["माइक्रोसॉफ्ट ने कहा।", "ट्विटर ने आरोप लगाया॥", "तीसरा वाक्य है।"],
        ),
        ("पहला वाक्य।दूसरा वाक्य।", ["पहला वाक्य।", "दूसरा वाक्य।"]),
        (
            'मस्क ने कहा। "यह गलत है।" उन्होंने जोड़ा।',
            ["मस्क ने कहा।", '"यह गलत है।"', "उन्होंने जोड़ा।"],
        ),
        ("क्या यह सच है? हाँ!", ["क्या यह सच है?", "हाँ!"]),
        # Indonesian: times with a dot, decimal commas, local abbreviations
        (
            "Apa kata Microsoft? Rapat dimulai pukul 16.00 WIB. Harga naik 3,5 persen.",
            ["Apa kata Microsoft?", "Rapat dimulai pukul 16.00 WIB.", "Harga naik 3,5 persen."],
        ),
        ("Kata Bpk. Joko, harga naik. Dia pergi.", ["Kata Bpk. Joko, harga naik.", "Dia pergi."]),
        # English: titles, U.S., decimals, initials, quotes
        (
            "Dr. Smith met U.S. officials on Monday. It cost $3.5 million! Really?",
            ["Dr. Smith met U.S. officials on Monday.", "It cost $3.5 million!", "Really?"],
        ),
        (
            "Mr. Nadella, Prof. Lee and Gen. Smith met. Then they left.",
            ["Mr. Nadella, Prof. Lee and Gen. Smith met.", "Then they left."],
        ),
        (
            "J. K. Rowling wrote to the board. It replied.",
            ["J. K. Rowling wrote to the board.", "It replied."],
        ),
        (
            'He said: "We will pay." Then he left.',
            ['He said: "We will pay."', "Then he left."],
        ),
        ("The U.S. economy grew 2.4 percent. Jobs rose.", ["The U.S. economy grew 2.4 percent.",
                                                          "Jobs rose."]),
        # a line break always ends a sentence (a line of cleaned text is a paragraph)
        ("A headline without a stop\nNext line here.", ["A headline without a stop",
                                                         "Next line here."]),
        pytest.param("J.K. Rowling wrote to the board. It replied.",
            ["J.K. Rowling wrote to the board.", "It replied."], id="unspaced-initials",),
        pytest.param("He arrived at 9 a.m. on Monday. Talks began.",
            ["He arrived at 9 a.m. on Monday.", "Talks began."], id="a.m.",),
        pytest.param("The company said no. It cost more.",
            ["The company said no.", "It cost more."], id="said-no",),
    ],
)
def test_sentence_split(text: str, expected: list[str]) -> None:
    """Sentences end at . ! ? । ॥ and line breaks, but not after abbreviations, initials or in
    numbers."""
    assert sentences(text) == expected


def test_sentence_spans_are_trimmed_offsets_into_the_text() -> None:
    """Each sentence span indexes the original text and carries no outer whitespace."""
    text = "  Ia berkata.   Lalu pergi.  \n\n यह पहला है।  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Ia berkata.", "Lalu pergi.", "यह पहला है।"]
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)


def test_empty_and_blank_text_have_no_sentences_or_passages() -> None:
    """Nothing to split gives empty lists, not an error."""
    for text in ("", "   ", "\n\n"):
        assert split_sentences(text) == []
        assert split_passages(text) == []


def test_passage_never_crosses_a_paragraph() -> None:
    """Each line of the cleaned text is its own passage or passages."""
    text = "Short one. Short two.\nनया अनुच्छेद। दूसरा वाक्य।\nParagraf ketiga."
    assert passages(text) == ["Short one. Short two.", "नया अनुच्छेद। दूसरा वाक्य।", "Paragraf ketiga."]


def test_long_paragraph_is_cut_between_sentences() -> None:
    """A paragraph of many sentences becomes several passages of at most the sentence limit."""
    sentence = "The council met again on Tuesday to vote on the budget."
    text = " ".join([sentence] * 10)
    parts = passages(text)
    assert len(parts) > 1
    for part in parts:
        assert 1 <= len(sentences(part)) <= MAX_PASSAGE_SENTENCES
        assert len(part) <= MAX_PASSAGE_CHARS
    assert " ".join(parts) == text


def test_single_sentence_longer_than_the_limit_is_one_passage() -> None:
    """A sentence over MAX_PASSAGE_CHARS is kept whole as its own passage, never cut."""
    long_sentence = "Panjang " * 100 + "sekali."
    text = f"Awal cerita. {long_sentence} Akhir cerita."
    parts = passages(text)
    assert long_sentence in parts
    assert len(long_sentence) > MAX_PASSAGE_CHARS
    assert parts[0] == "Awal cerita."
    assert parts[-1] == "Akhir cerita."


SENTENCE_POOL = [
    "माइक्रोसॉफ्ट ने कहा कि वह भुगतान नहीं करेगा।",
    "ट्विटर ने गुरुवार को एक पत्र भेजा॥",
    "Microsoft menanggapi dengan menyatakan bahwa saat ini tidak membayar Twitter.",
    "Rapat dimulai pukul 16.00 WIB.",
    "Dr. Smith met U.S. officials on Monday.",
    "It cost $3.5 million!",
    "Why now?",
    "A very long sentence that goes on " + "and on " * 90 + "until it ends.",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(SENTENCE_POOL), st.sampled_from([" ", "  ", "\n", " \n "])),
        min_size=1,
        max_size=25,
    )
)
def test_passages_are_whole_sentences_within_limits(pieces: list[tuple[str, str]]) -> None:
    """For any mix of sentences: passages cover every sentence whole, in order, with exact
    offsets, and exceed the size limit only when one sentence alone is longer."""
    text = "".join(s + sep for s, sep in pieces)
    sentence_spans = split_sentences(text)
    passage_spans = split_passages(text)
    # exactly the pool sentences, in order
    assert [text[a:b] for a, b in sentence_spans] == [s for s, _ in pieces]
    # passages are ordered, disjoint and each is a run of whole sentences
    assert passage_spans == sorted(passage_spans)
    for (_, end), (start, _) in itertools.pairwise(passage_spans):
        assert end <= start
    covered = []
    for start, end in passage_spans:
        inside = [(a, b) for a, b in sentence_spans if start <= a and b <= end]
        assert inside, "a passage holds at least one whole sentence"
        assert inside[0][0] == start and inside[-1][1] == end
        assert "\n" not in text[start:end]
        assert len(inside) <= MAX_PASSAGE_SENTENCES
        assert end - start <= MAX_PASSAGE_CHARS or len(inside) == 1
        covered += inside
    assert covered == sentence_spans
