"""Article text → sentences → passages of a few whole sentences, with offsets.

Sentences end at ``. ! ?`` (Latin), ``।`` / ``॥`` (Devanagari) and at every line break (a line
of cleaned text is a paragraph). A dot after a known abbreviation
(``index/data/abbreviations.txt``), an initial ("J. K.", "J.K.") or between digits ("16.00") does
not end a sentence; "No." does only when no number follows.

A passage is a paragraph, cut between sentences when it is long, so a quote is always whole
sentences from one paragraph. A "sentence" longer than ``MAX_SENTENCE_CHARS`` (a scraped table,
a page with no punctuation, a hostile megabyte-long line) is cut at the last space before that
limit, so no passage ever grows past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from index.data import word_list

__all__ = [
    "MAX_PASSAGE_CHARS", "MAX_SENTENCE_CHARS", "Span", "split_passages", "split_sentences",
]

MAX_PASSAGE_CHARS = 600
MAX_PASSAGE_SENTENCES = 3
MAX_SENTENCE_CHARS = 1000

Span = tuple[int, int]

# A sentence end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?।॥]+[\"'”’»)\]]*(?=\s)|[।॥]+[\"'”’»)\]]*")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_INITIALS = re.compile(r"[A-Z](?:\.[A-Z])*")
_NUMBER_ABBREVIATIONS = ("no", "nos")


@cache
def _abbreviations() -> frozenset[str]:
    return word_list("", "abbreviations")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at ``dot`` belongs to an abbreviation or initial, not a sentence end."""
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not match:
        return False
    word = match.group(1).lower()
    if _INITIALS.fullmatch(match.group(1)):
        return True  # "J." or "J.K."
    if word in _NUMBER_ABBREVIATIONS:
        return text[dot + 1 : dot + 3].strip()[:1].isdigit()  # "No. 5", but "said no."
    return word in _abbreviations()


def _paragraph_sentences(text: str, start: int, end: int) -> Iterator[Span]:
    begin = start
    for match in _END.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        stop = match.end()
        if text[begin:stop].strip():
            yield from _bounded(text, *_trim(text, begin, stop))
        begin = stop
    if text[begin:end].strip():
        yield from _bounded(text, *_trim(text, begin, end))


def _bounded(text: str, start: int, end: int) -> Iterator[Span]:
    """A span cut into pieces of at most ``MAX_SENTENCE_CHARS``, at spaces where there are any."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        cut = cut if cut > start else limit
        yield _trim(text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str) -> Iterator[Span]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield _trim(text, pos, pos + len(line))
        pos += len(line) + 1


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``.

    >>> t = "Ia berkata. Lalu pergi.\\nयह पहला है। यह दूसरा है।"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Ia berkata.', 'Lalu pergi.', 'यह पहला है।', 'यह दूसरा है।']
    """
    return [s for p in _paragraphs(text) for s in _paragraph_sentences(text, *p)]


def split_passages(text: str) -> list[Span]:
    """Passage spans of ``text``: whole sentences, never across a paragraph."""
    passages: list[Span] = []
    for para in _paragraphs(text):
        passages.extend(_chunk(list(_paragraph_sentences(text, *para))))
    return passages


def _chunk(sentences: list[Span]) -> Iterator[Span]:
    """Group a paragraph's sentences into passages within the size limits."""
    start, end, count = sentences[0][0], sentences[0][1], 1
    for s_start, s_end in sentences[1:]:
        if count >= MAX_PASSAGE_SENTENCES or s_end - start > MAX_PASSAGE_CHARS:
            yield start, end
            start, count = s_start, 0
        end = s_end
        count += 1
    yield start, end
