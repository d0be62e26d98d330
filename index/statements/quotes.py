"""Quotes in a sentence: where direct speech begins and ends.

>>> text = '"We will win," she said, calling it a “historic day”.'
>>> [text[a:b] for a, b in quote_spans(text, 0, len(text))]
['We will win,', 'historic day']
"""

from __future__ import annotations

import re

__all__ = ["QUOTE_MARKS", "has_quote", "quote_spans"]

QUOTE_MARKS = "\"“”„«»‘’"
_QUOTE_MARK = re.compile("[" + QUOTE_MARKS + "']")
_MARKS = frozenset(QUOTE_MARKS)


def has_quote(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a quotation mark."""
    return not _MARKS.isdisjoint(text[start:end])


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted stretches of ``text[start:end]``; one left open at either end runs to that end.

    A curly mark says which way it faces; a straight one opens after a space (or at the start)
    and closes before one (or at the end)."""
    spans = []
    opening = None
    seen = False  # a quotation mark came before in this sentence
    for match in _QUOTE_MARK.finditer(text, start, end):
        k = match.start()
        ch = text[k]
        if not _is_quote(text, k):
            continue
        if ch in "“„«‘":
            opens = True
        elif ch in "”»’":
            opens = False
        else:
            before = text[k - 1] if k > start else " "
            after = text[k + 1] if k + 1 < end else " "
            opens = before.isspace() or (not after.isspace() and opening is None
                                         and not before.isalnum() and before not in ".,!?;:")
        if opens and (opening is None or k == opening + 1):  # "‘‘" opens once
            opening = k
        elif not opens and opening is not None:
            spans.append((opening + 1, k))
            opening = None
        elif not opens and not seen:  # closes a quote an earlier sentence opened
            spans.append((start, k))
        seen = True
    if opening is not None:
        spans.append((opening + 1, end))
    return [(a, b) for a, b in spans if b > a]


def _is_quote(text: str, k: int) -> bool:
    """Whether an apostrophe-like mark at ``k`` quotes (not "Trump's", "don't")."""
    if text[k] not in "'’":
        return True
    before = text[k - 1] if k else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())
