"""Which language a text is in: the script decides first, a small model second.

Devanagari text is Hindi (the registry's first Devanagari language; Marathi and Nepali share
the script and get the same analysis). Latin text goes to py3langid, asked only about the
*plausible* languages: those the registry marks ``identify`` (the Latin languages storybot
serves), so short news text is never called Swahili or Tagalog. Other scripts name their
language through the registry.

A passage inside an article is identified only when its script differs from the article's, and
even then it keeps the article's language when the evidence is thin: too few letters, a mix of
scripts (a Hindi sentence with English words), or a classifier that is not sure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from index.lang import aliases, for_script, languages, latin_served

__all__ = [
    "LATIN_LANGS",
    "detect_language",
    "detect_passage_language",
    "dominant_script",
    "normalize_lang",
    "script_of",
]

_CODE = re.compile(r"[a-z]{2,3}")
LATIN_LANGS = latin_served()
MIN_LETTERS = 40  # about 6-8 words: fewer say little about a language
MIN_PROBABILITY = 0.9  # among the plausible languages
MIXED_SHARE = 0.2  # this share of letters in another script: a mixed passage


def normalize_lang(code: str | None) -> str | None:
    """``"Hindi"``, ``"hin"``, ``"hi-IN"`` → ``"hi"``; other codes keep their first part, and
    anything that is not a two- or three-letter code gives None (the text is then identified)."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if not code:
        return None
    known = aliases()
    if code in known:
        return known[code]
    base = code.split("-", 1)[0]
    base = known.get(base, base)
    # A code, not free text: metadata is untrusted and the code is shown and indexed.
    return base if _CODE.fullmatch(base) else None


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """The script of one letter, from its Unicode name: ``"LATIN"``, ``"DEVANAGARI"``, …"""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "UNKNOWN"
    return name.split(" ", 1)[0]


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = script_of(char)
            counts[script] = counts.get(script, 0) + 1
    return counts


def dominant_script(text: str) -> str | None:
    """The script most letters of ``text`` are written in, or None when it has no letters."""
    counts = _script_counts(text)
    return max(counts, key=lambda s: counts[s]) if counts else None


@cache
def _identifier() -> Any:
    """py3langid, restricted to the registry's plausible Latin languages (and their aliases
    the model knows, such as Malay for Indonesian)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    wanted = {
        code for lang in languages().values() if lang.identify
        for code in (lang.code, *lang.aliases) if code in known
    }
    ident.set_languages(sorted(wanted))
    return ident


def _classify(text: str) -> tuple[str | None, float]:
    lang, probability = _identifier().classify(text[:2000])
    return normalize_lang(str(lang)), float(probability)


def _by_script(script: str, default: str) -> str:
    return for_script(script) or ("und" if script != "LATIN" else default)


def detect_language(text: str, *, default: str = "en") -> str:
    """Best guess of the language of ``text`` as a short code (``"hi"``, ``"id"``, ``"en"``, …).

    >>> detect_language("माइक्रोसॉफ्ट ने क्या कहा?")
    'hi'
    >>> detect_language("Microsoft menanggapi dengan menyatakan bahwa")
    'id'
    """
    script = dominant_script(text[:2000])
    if script is None:
        return default
    if script != "LATIN":
        return _by_script(script, default)
    lang, _probability = _classify(text)
    return lang or default


def detect_passage_language(text: str, article_lang: str) -> str:
    """The language of a passage inside an article in ``article_lang``: the article's, unless
    the passage is clearly written in another language.

    >>> detect_passage_language("Microsoft said so.", "hi")  # a few English words: too little
    'hi'
    """
    counts = _script_counts(text[:2000])
    if not counts:
        return article_lang
    script = max(counts, key=lambda s: counts[s])
    article_script = languages()[article_lang].script if article_lang in languages() else None
    if script == article_script:
        return article_lang
    if script != "LATIN":
        return _by_script(script, article_lang)
    letters = counts[script]
    others = sum(counts.values()) - letters
    if letters < MIN_LETTERS or others >= MIXED_SHARE * (letters + others):
        return article_lang
    lang, probability = _classify(text)
    return lang if lang is not None and probability >= MIN_PROBABILITY else article_lang
