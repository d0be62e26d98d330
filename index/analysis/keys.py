"""Script-independent phonetic keys, so names and loanwords match across Hindi, English, Indonesian.

Articles are indexed with per-language BM25 tokens, and beside them with one phonetic key per word.
"Microsoft", "माइक्रोसॉफ्ट", "maikrosoft" and Cyrillic "Майкрософт" all reduce to ``MKRSFT``, so
a question in one script finds an article in another without machine translation.

The pipeline is: romanise (Devanagari via ``indic_transliteration`` ITRANS after Hindi schwa
deletion; every other script via ``anyascii``), rewrite a few spellings so Hindi romanisations and
English orthography meet (aspirates, w/v, anusvara; table in ``index/data/keys.tsv``), then reduce
with ``jellyfish.metaphone``, which drops non-initial vowels (the least reliable part of a
transliteration) and folds English spelling quirks (ph, tion, ck, double letters).

Example::

    >>> phonetic_key("Microsoft"), phonetic_key("माइक्रोसॉफ्ट")
    ('MKRSFT', 'MKRSFT')
    >>> phonetic_key("ने") is None  # too short to be a useful match
    True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jellyfish
from anyascii import anyascii
from indic_transliteration import sanscript

__all__ = ["MIN_CONSONANTS", "phonetic_key", "query_keys", "romanize"]

MIN_CONSONANTS = 2
"""A key needs at least this many consonants other than the weak H, W and Y.

One consonant ("ne" -> N, "ka" -> K, "hai" -> H, "और" -> AR) would match a large share of all words.
Two keep short but real loanwords ("data"/"डेटा" -> TT, "Elon"/"एलोन" -> ALN, "Modi" -> MT);
three would lose "data" and "Elon". Not counting H/W/Y drops Hindi function words such as
"kaha" (KH), "kiya" (KY) and "yah" (Y), whose glides come and go between spellings anyway.
"""

_CACHE_SIZE = 200_000
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_ALPHA = re.compile(r"[^a-z]+")
_WEAK = frozenset("AHWY")  # vowel marker and glides: not counted towards MIN_CONSONANTS
_VOWELS = frozenset("AEIOU")
_TRIMMED_ENDINGS = frozenset("SY")
_MIN_TRIM_LENGTH = 3

_NUKTA = "\u093c"
_VIRAMA = "\u094d"


def _is_consonant(ch: str) -> bool:
    return "\u0915" <= ch <= "\u0939" or "\u0958" <= ch <= "\u095f" or "\u0978" <= ch <= "\u097f"


def _is_matra(ch: str) -> bool:
    return (
        "\u093a" <= ch <= "\u094c" and ch not in "\u093c\u093d"
    ) or ch in "\u094e\u094f\u0955\u0956\u0957\u0962\u0963"


def _is_vowel_letter(ch: str) -> bool:
    return "\u0904" <= ch <= "\u0914" or ch in "\u0960\u0961\u0972\u0973\u0974\u0975\u0976\u0977"


@dataclass(frozen=True, slots=True)
class _Tables:
    deva: tuple[tuple[re.Pattern[str], str], ...]
    aspirable: frozenset[str]
    latin: tuple[tuple[re.Pattern[str], str], ...]


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Load ``index/data/keys.tsv`` once: the rewrites are data, tuned without touching code."""
    text = resources.files("index").joinpath("data", "keys.tsv").read_text(encoding="utf-8")
    deva: list[tuple[re.Pattern[str], str]] = []
    aspirable: set[str] = set()
    latin: list[tuple[re.Pattern[str], str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(f"keys.tsv:{number}: expected stage<TAB>pattern[<TAB>replacement]")
        stage, pattern = fields[0], _unescape(fields[1])
        replacement = _unescape(fields[2]) if len(fields) > 2 else ""
        if stage == "deva":
            deva.append((re.compile(unicodedata.normalize("NFC", pattern)), replacement))
        elif stage == "aspir":
            aspirable.add(pattern)
        elif stage == "latin":
            latin.append((re.compile(pattern), replacement))
        else:
            raise ValueError(f"keys.tsv:{number}: unknown stage {stage!r}")
    return _Tables(tuple(deva), frozenset(aspirable), tuple(latin))


def _delete_schwas(word: str, aspirable: frozenset[str]) -> str:
    """Mark silent inherent vowels with a virama, so ITRANS writes "tvitar", not "tvitara".

    Hindi drops the final schwa unless it follows a conjunct (सत्य stays "satya"), and a medial
    schwa in the context vowel-C_C-vowel (right to left, so "kamala" -> "kamal", not "kaml").
    Metaphone ignores medial vowels, but a stray "a" changes how it treats H, W and Y.
    """
    # units: [consonant text, kind]; kind A = inherent schwa, M = matra, H = half (virama),
    # V = independent vowel, O = anything else.
    units: list[list[str]] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if _is_consonant(ch):
            j = i + 1
            if j < n and word[j] == _NUKTA:
                j += 1
            cons = word[i:j]
            if j < n and word[j] == _VIRAMA:
                units.append([cons, "H", word[j]])
                j += 1
            elif j < n and _is_matra(word[j]):
                units.append([cons, "M", word[j]])
                j += 1
            else:
                units.append([cons, "A", ""])
            i = j
        else:
            units.append([ch, "V" if _is_vowel_letter(ch) else "O", ""])
            i += 1
    if len(units) >= 2 and units[-1][1] == "A" and units[-2][1] != "H":
        units[-1][1:] = ["D", _VIRAMA]
    for k in range(len(units) - 2, 0, -1):
        unit, after = units[k], units[k + 1]
        if (
            unit[1] == "A"
            and units[k - 1][1] in "AMV"
            and after[1] in "AM"
            and not (after[0] == "ह" and unit[0] in aspirable)
        ):
            unit[1:] = ["D", _VIRAMA]
    return "".join(unit[0] + unit[2] for unit in units)


@lru_cache(maxsize=_CACHE_SIZE)
def romanize(word: str) -> str:
    """Any-script word -> lowercase ASCII Latin, the common ground for phonetic keys.

    Devanagari goes through the ``deva`` rewrites, Hindi schwa deletion and sanscript ITRANS
    (its digraphs "sh", "ch", "ph" match English spelling; IAST's "ś" would fold to a plain "s");
    every other script, Latin included, through ``anyascii``. Letters and digits are kept.

    Example: ``romanize("ट्विटर") == "tvitar"``, ``romanize("Café") == "cafe"``.
    """
    text = unicodedata.normalize("NFC", word)
    if _DEVANAGARI.search(text):
        for pattern, replacement in _tables().deva:
            text = pattern.sub(replacement, text)
        text = _delete_schwas(text, _tables().aspirable)
        text = sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.ITRANS)
    return _NOT_ALNUM.sub("", anyascii(text).lower())


@lru_cache(maxsize=_CACHE_SIZE)
def phonetic_key(word: str) -> str | None:
    """Script-independent key of one word, or None when it would be too short to be useful.

    The key is the metaphone code of the rewritten romanisation, with any initial vowel written
    as "A" (English and Hindi disagree on which vowel letter starts "Apple" / "एप्पल"). Keys with
    fewer than ``MIN_CONSONANTS`` strong consonants, and digit-only words, give None.

    Example: ``phonetic_key("twitar") == phonetic_key("ट्विटर") == "TFTR"``.
    """
    text = _NOT_ALPHA.sub("", romanize(word))
    if not text:
        return None
    for pattern, replacement in _tables().latin:
        text = pattern.sub(replacement, text)
    key = jellyfish.metaphone(text).upper()
    # Glides come and go between spellings (न्यूटन = "nyutan" for Newton, यूनिवर्सिटी = "yu…" for
    # university): an initial Y reads as a vowel, any other Y is dropped.
    if key[:1] in _VOWELS or key[:1] == "Y":
        key = "A" + key[1:]
    key = key[:1] + key[1:].replace("Y", "")
    # Inflection endings that one language writes and the other drops: English plural -s
    # (years, farmers), and the -iya that Hindi adds to names in -ia (India = इंडिया).
    while len(key) > _MIN_TRIM_LENGTH and key[-1] in _TRIMMED_ENDINGS:
        key = key[:-1]
    if sum(ch not in _WEAK for ch in key) < MIN_CONSONANTS:
        return None
    return key


_DEMONYM = re.compile(r"(?:ian|ean|an|ese)$")


@lru_cache(maxsize=_CACHE_SIZE)
def query_keys(word: str) -> tuple[str, ...]:
    """The keys a question word should match: its own, and for a Latin people-or-language word
    (Tibetan, American, Chinese) also its place's, since Hindi derives those differently
    (तिब्बती, अमेरिकी, चीनी all reduce to the place's key).

    Example: ``query_keys("Tibetan") == ("TBTN", "TBT")``.
    """
    key = phonetic_key(word)
    keys = [key] if key else []
    lowered = word.lower()
    if lowered.isascii() and len(lowered) > 5 and _DEMONYM.search(lowered):
        place = phonetic_key(_DEMONYM.sub("", lowered))
        if place and place not in keys and len(place) >= 3:
            keys.append(place)
    return tuple(keys)
