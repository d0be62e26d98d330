"""Text → words, with their character offsets in the text.

A word is a run of letters, combining marks and digits (``[\\p{L}\\p{M}\\p{N}]+``). Marks matter:
Devanagari vowel signs and viramas are combining marks, and Python's ``re`` ``\\w`` does not match
all of them, so it would cut "माइक्रोसॉफ्ट" into pieces. Zero-width (non-)joiners stay inside a word.

>>> [t.text for t in tokenize("माइक्रोसॉफ्ट ने कहा: US$44 billion")]
['माइक्रोसॉफ्ट', 'ने', 'कहा', 'US', '44', 'billion']
"""

from __future__ import annotations

from typing import NamedTuple

import regex

__all__ = ["Word", "tokenize", "words"]

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\u200c\u200d]*[\p{L}\p{M}\p{N}])?")


class Word(NamedTuple):
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Word]:
    """Split ``text`` into words, keeping each word's offsets into ``text``."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def words(text: str) -> list[str]:
    """The words of ``text`` without offsets (faster, for when positions are not needed)."""
    return _WORD.findall(text)
