"""Text-fragment deep links: the quote's words, escaped as the spec asks, after the page URL."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from index.search.links import encode_fragment_term, text_fragment_link


@pytest.mark.parametrize(
    ("term", "encoded"),
    [
        ("start-up", "start%2Dup"),
        ("a, b", "a%2C%20b"),
        ("A&B", "A%26B"),
        ("two words", "two%20words"),
        ("#:~:text=", "%23%3A~%3Atext%3D"),
        ("माइक्रोसॉफ्ट", "%E0%A4%AE%E0%A4%BE%E0%A4%87%E0%A4%95%E0%A5%8D%E0%A4%B0%E0%A5%8B"
                        "%E0%A4%B8%E0%A5%89%E0%A4%AB%E0%A5%8D%E0%A4%9F"),
    ],
)
def test_fragment_term_escapes_dash_comma_ampersand_and_spaces(term: str, encoded: str) -> None:
    """'-', ',', '&', spaces and URL syntax are percent-encoded; the term decodes back exactly."""
    assert encode_fragment_term(term) == encoded
    assert unquote(encoded) == term


def test_short_passage_is_matched_whole() -> None:
    """A passage of up to ten words becomes one textStart term holding all of it."""
    link = text_fragment_link("https://x.example/a", "Microsoft said, on Friday-ish: A&B are fine.")
    assert link == (
        "https://x.example/a#:~:text="
        "Microsoft%20said%2C%20on%20Friday%2Dish%3A%20A%26B%20are%20fine."
    )


def test_long_passage_is_matched_by_its_first_and_last_words() -> None:
    """A longer passage becomes textStart,textEnd of its first and last five words."""
    words = [f"w{i}" for i in range(1, 13)]
    link = text_fragment_link("https://x.example/a", " ".join(words))
    assert link == "https://x.example/a#:~:text=w1%20w2%20w3%20w4%20w5,w8%20w9%20w10%20w11%20w12"
    directive = link.split("#:~:text=", 1)[1]
    assert directive.count(",") == 1  # the separator is the only raw comma


def test_existing_fragment_is_replaced_and_query_kept() -> None:
    """The page's own #fragment is dropped; its query string stays."""
    link = text_fragment_link("https://x.example/a?id=7&p=2#comments", "Hello there.")
    assert link == "https://x.example/a?id=7&p=2#:~:text=Hello%20there."


def test_whitespace_in_the_passage_is_collapsed() -> None:
    """Line breaks and runs of spaces in a passage become single encoded spaces."""
    link = text_fragment_link("http://x.example/", "one\n two   three")
    assert link == "http://x.example/#:~:text=one%20two%20three"


@pytest.mark.parametrize(
    "url",
    ["ftp://x.example/a", "javascript:alert(1)", "file:///etc/passwd", "/relative/path",
     "x.example/a", "mailto:a@x.example", "https://"],
)
def test_non_http_url_gives_no_link(url: str) -> None:
    """Only absolute http(s) URLs get a link; anything else gives None."""
    assert text_fragment_link(url, "Some quoted words.") is None


def test_empty_passage_links_to_the_page() -> None:
    """With no words to select, the link is the page itself."""
    assert text_fragment_link("https://x.example/a", "   ") == "https://x.example/a"
