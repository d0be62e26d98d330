"""Untrusted text, made safe to store and show.

Articles, titles, outlet names and questions come from anywhere. Before any of it is stored or
shown, characters that are never part of a story are removed: C0 and C1 control characters other
than tab and line breaks (NUL, ESC, which starts terminal escape sequences, …) and the
bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make
text display in another order than it is stored. Zero-width (non-)joiners stay: Hindi and other
Indic scripts need them inside words.

>>> strip_controls("safe\\u202etxt.exe\\x1b[31m!")
'safetxt.exe[31m!'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import regex

__all__ = ["quote_key", "strip_controls"]

_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]"
)


def strip_controls(text: str) -> str:
    """``text`` without control and bidirectional-formatting characters."""
    return _CONTROLS.sub("", text)


_NOT_WORD = regex.compile(r"[^\p{L}\p{M}\p{N}]+")


def quote_key(text: str) -> str:
    """The identity of a quote across outlets: its words, case and punctuation aside.

    >>> quote_key("“We will cooperate,” it said.") == quote_key("we will COOPERATE it said")
    True
    """
    canon = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:32]
