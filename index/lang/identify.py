"""Language codes and language identification: the script decides first, a small model second.

Devanagari text is Hindi (the language storybot serves; Marathi and Nepali share the script and
get the same analysis). Latin text goes to py3langid, restricted to the languages we analyse
specially plus their common neighbours, so short news text is not mistaken for something exotic.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "LATIN_LANGS",
    "detect_language",
    "dominant_script",
    "normalize_lang",
    "script_of",
]

_CODE = re.compile(r"[a-z]{2,3}")
LATIN_LANGS = ("en", "id")
# Codes, names and the languages folded into one analyser ("ms" reads as Indonesian).
_ALIASES = {
    "eng": "en", "english": "en",
    "hin": "hi", "hindi": "hi", "हिन्दी": "hi", "हिंदी": "hi",
    "ind": "id", "indonesian": "id", "bahasa": "id", "in": "id", "ms": "id", "msa": "id",
    "malay": "id",
}
# What py3langid may answer for Latin text; everything else it is not asked about.
_LANGID_SET = ["en", "id", "ms", "fr", "de", "es", "it", "nl", "pt", "tl", "sw", "tr", "vi"]


def normalize_lang(code: str | None) -> str | None:
    """``"Hindi"``, ``"hin"``, ``"hi-IN"`` → ``"hi"``; other codes keep their first part, and
    anything that is not a two- or three-letter code gives None (the text is then identified)."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if not code:
        return None
    if code in _ALIASES:
        return _ALIASES[code]
    base = code.split("-", 1)[0]
    base = _ALIASES.get(base, base)
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


def dominant_script(text: str) -> str | None:
    """The script most letters of ``text`` are written in, or None when it has no letters."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = script_of(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda s: counts[s])


_identifier = None


def _langid_classify(text: str) -> str:
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(_LANGID_SET)
        _identifier = ident
    lang, _prob = _identifier.classify(text)
    return str(lang)


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
    if script == "DEVANAGARI":
        return "hi"
    if script != "LATIN":
        return _SCRIPT_LANG.get(script, "und")
    return normalize_lang(_langid_classify(text[:2000])) or default


# Scripts that name their language well enough for a fallback analyser.
_SCRIPT_LANG = {
    "ARABIC": "ar", "BENGALI": "bn", "CYRILLIC": "ru", "GREEK": "el", "HEBREW": "he",
    "GUJARATI": "gu", "GURMUKHI": "pa", "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn",
    "MALAYALAM": "ml", "THAI": "th", "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja",
    "CJK": "zh",
}
