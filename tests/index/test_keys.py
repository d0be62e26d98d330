"""Phonetic keys: names and loanwords meet across scripts; short, common, numeric words do not."""

from __future__ import annotations

import re

import pytest

from index.analysis.keys import MIN_CONSONANTS, phonetic_key, romanize

# (Latin spelling, Devanagari spelling, expected shared key) from the product's sample articles.
PAIRS = [
    ("Microsoft", "माइक्रोसॉफ्ट", "MKRSFT"),
    ("Twitter", "ट्विटर", "TFTR"),
    ("Nadella", "नडेला", "NTL"),
    ("Spiro", "स्पिरो", "SPR"),
    ("subscription", "सब्सक्रिप्शन", "SBSKRPXN"),
    ("Musk", "मस्क", "MSK"),
    ("Elon", "एलोन", "ALN"),
    ("Satya", "सत्या", "ST"),
    ("OpenAI", "ओपनएआई", "APN"),
    ("data", "डेटा", "TT"),
    ("Instagram", "इंस्टाग्राम", "ANSTKRM"),
]


@pytest.mark.parametrize(("latin", "devanagari", "key"), PAIRS)
def test_pair_meets_in_both_directions(latin: str, devanagari: str, key: str) -> None:
    """The English and Devanagari spellings of a name give the same, expected key."""
    assert phonetic_key(latin.lower()) == key
    assert phonetic_key(devanagari) == key
    assert phonetic_key(devanagari) == phonetic_key(latin.lower())


@pytest.mark.parametrize(("latin", "devanagari", "key"), PAIRS)
def test_case_does_not_matter(latin: str, devanagari: str, key: str) -> None:
    """Capitalised and lowercased Latin spellings give the same key."""
    assert phonetic_key(latin) == phonetic_key(latin.lower()) == phonetic_key(latin.upper())


@pytest.mark.parametrize(
    ("romanised", "devanagari"),
    [
        ("twitar", "ट्विटर"),
        ("tvitar", "ट्विटर"),
        ("maikrosoft", "माइक्रोसॉफ्ट"),
        ("nadela", "नडेला"),
        ("sabskripshan", "सब्सक्रिप्शन"),
        ("instagraam", "इंस्टाग्राम"),
        ("satyaa", "सत्या"),
        ("maska", "मस्क"),
        ("deta", "डेटा"),
        ("kampani", "कंपनी"),
        ("pehle", "पहले"),
    ],
)
def test_romanised_hindi_meets_devanagari(romanised: str, devanagari: str) -> None:
    """Hindi typed in Latin letters gets the key of the Devanagari spelling."""
    assert phonetic_key(romanised) is not None
    assert phonetic_key(romanised) == phonetic_key(devanagari)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ट्विटर", "tvitar"),
        ("नडेला", "nadela"),
        ("सत्या", "satya"),
        ("Café", "cafe"),
        ("Microsoft", "microsoft"),
    ],
)
def test_romanize_gives_lowercase_ascii(word: str, expected: str) -> None:
    """romanize drops the silent final schwa, keeps it after a conjunct, and ASCII-folds Latin."""
    assert romanize(word) == expected


NAMES = [
    "microsoft",
    "twitter",
    "nadella",
    "spiro",
    "musk",
    "paris",
    "weather",
    "instagram",
    "elon",
    "satya",
    "openai",
    "data",
    "subscription",
]


@pytest.mark.parametrize("first", NAMES)
@pytest.mark.parametrize("second", NAMES)
def test_distinct_words_stay_apart(first: str, second: str) -> None:
    """Different names and words never share a key (mask/musk are allowed to, not tested here)."""
    if first != second:
        assert phonetic_key(first) != phonetic_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("paris", "spiro"),
        ("weather", "twitter"),
        ("microsoft", "माइक्रोमैक्स"),
        ("नडेला", "नाडा"),
        ("twitter", "titter"),
    ],
)
def test_near_misses_stay_apart(first: str, second: str) -> None:
    """Words that share letters but not their consonant skeleton get different keys."""
    assert phonetic_key(first) != phonetic_key(second)


@pytest.mark.parametrize(
    "word",
    [
        "ne",
        "ka",
        "hai",
        "se",
        "ki",
        "aur",
        "और",
        "है",
        "ने",
        "का",
        "की",
        "से",
        "में",
        "मैं",
        "हैं",
        "नहीं",
        "को",
        "कहा",
        "क्या",
        "kya",
        "kaha",
        "yah",
        "the",
        "a",
        "of",
        "to",
        "",
    ],
)
def test_short_or_common_words_give_none(word: str) -> None:
    """Words with fewer than MIN_CONSONANTS strong consonants would match everything: None."""
    assert phonetic_key(word) is None


def test_min_consonants_is_two() -> None:
    """The documented minimum keeps two-consonant loanwords like data/डेटा."""
    assert MIN_CONSONANTS == 2
    assert phonetic_key("डेटा") == "TT"


@pytest.mark.parametrize("word", ["2023", "0", "१२", "२०२३", "3.5", "10,000"])
def test_digits_give_none(word: str) -> None:
    """Numbers, in any digit script, are left to the number handling."""
    assert phonetic_key(word) is None


@pytest.mark.parametrize(
    ("precomposed", "decomposed"),
    [
        ("\u095b\u0942\u092e", "\u091c\u093c\u0942\u092e"),  # ज़ूम zoom
        (
            "\u095e\u0947\u0938\u092c\u0941\u0915",
            "\u092b\u093c\u0947\u0938\u092c\u0941\u0915",
        ),  # फ़ेसबुक
        ("\u0958\u093e\u0928\u0942\u0928", "\u0915\u093c\u093e\u0928\u0942\u0928"),  # क़ानून
        ("\u095c\u093e\u0908\u0930", "\u0921\u093c\u093e\u0908\u0930"),  # ड़ाइर (flap)
    ],
)
def test_precomposed_and_decomposed_nukta_agree(precomposed: str, decomposed: str) -> None:
    """U+0958-U+095F letters and base + U+093C give the same romanisation and key."""
    assert romanize(precomposed) == romanize(decomposed)
    assert phonetic_key(precomposed) == phonetic_key(decomposed)
    assert phonetic_key(precomposed) is not None


@pytest.mark.parametrize(("devanagari", "latin"), [("फ़ेसबुक", "facebook"), ("ज़ूम", "zoom")])
def test_nukta_letters_sound_like_english(devanagari: str, latin: str) -> None:
    """फ़ is f and ज़ is z, so nukta loanwords meet their English spelling."""
    assert phonetic_key(devanagari) == phonetic_key(latin)


@pytest.mark.parametrize(
    "word",
    [
        "Майкрософт",
        "Твиттер",
        "مايكروسوفت",
        "ميكروسوفت",
        "微软",
        "マイクロソフト",
        "Ελλάδα",
        "মাইক্রোসফট",
        "מיקרוסופט",
        "🙂",
        "-",
        "x\u200dy",
        "ट्विटर\u200d",
    ],
)
def test_any_script_gives_a_key_or_none(word: str) -> None:
    """Other scripts, emoji and joiners romanise to ASCII and give an uppercase key or None."""
    assert re.fullmatch(r"[a-z0-9]*", romanize(word))
    key = phonetic_key(word)
    assert key is None or re.fullmatch(r"[A-Z0-9]+", key)


@pytest.mark.parametrize("word", ["Майкрософт", "مايكروسوفت"])
def test_cyrillic_and_arabic_microsoft_meet_english(word: str) -> None:
    """anyascii romanisations of Microsoft reach the same key as the English spelling."""
    assert phonetic_key(word) == phonetic_key("microsoft")


def test_key_starts_with_a_for_any_initial_vowel() -> None:
    """Initial vowels collapse to A, since scripts disagree on them (Apple / एप्पल)."""
    assert phonetic_key("apple") == phonetic_key("एप्पल") == "APL"
    assert phonetic_key("elon") == phonetic_key("alan")


def test_key_is_memoised() -> None:
    """Repeated words are served from the cache, as indexing calls this for every word."""
    phonetic_key.cache_clear()
    phonetic_key("microsoft")
    phonetic_key("microsoft")
    assert phonetic_key.cache_info().hits >= 1
