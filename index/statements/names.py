"""Whole names across scripts: ``name_key``, ``same_name_word``, ``speaker_matches``, ``resolve``.

A name word becomes one Latin token: Devanagari through ``index.analysis.keys.romanize`` (Hindi
schwa deletion, then ITRANS), other scripts through ``anyascii``; then both are folded the same
way (aspirates, w/v, z/j, c/k/s, double letters, a final cluster vowel, ...). Words spelled out
as Latin letters (डब्ल्यूएचओ) and Latin acronyms (WHO) become the capital letters themselves.

Two words are the same when their tokens are equal, or when their consonants are equal and
their vowels differ only in the ways ``index/data/statements/vowels.tsv`` allows (Trump and
ट्रंप, "tramp"; Biden and बाइडन, "baidan"). Consonant keys alone are never enough: मोदी
("modi") is not "Moody's" ("mudi": o and u differ), nor "made", nor "media"; "Putin" is not
"potensi" (other consonants).

>>> name_key("डोनाल्ड ट्रंप"), name_key("Donald Trump")
(('donald', 'tramp'), ('donald', 'trump'))
>>> same_name_word("ट्रंप", "Trump"), same_name_word("मोदी", "Moody"), name_key("डब्ल्यूएचओ")
(True, False, ('WHO',))
>>> speaker_matches("Trump", "Donald Trump"), speaker_matches("Donald Trump", "Kenneth Trump")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache

from anyascii import anyascii

from index.analysis.analyzers import is_acronym
from index.analysis.keys import romanize
from index.analysis.tokenizers import tokenize
from index.data import lines
from index.statements.cues import all_rules, letter_names, norm
from index.statements.model import Statement

__all__ = [
    "NameMatcher", "Transliterated", "entity_names", "meets", "name_key", "name_shapes",
    "resolve", "same_name_word", "speaker_matches", "spelled_letters", "spoken_by",
    "strip_titles", "word_key",
]

_CACHE = 100_000
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_VOWEL_GROUPS = re.compile(r"[aeiou]+")
_FOLDS = (  # applied in order to a lowercase ASCII word
    (re.compile(r"ch"), "C"),  # च / English ch: kept apart from c = k / s below
    (re.compile(r"ph"), "f"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"([kgjtdb])h"), r"\1"),  # aspirates: kh gh jh th dh bh
    (re.compile(r"ck"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "j"),
    (re.compile(r"w"), "v"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"C"), "c"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"iy(?=[aeiou])"), "i"),  # Hindi िया for "ia": सुबियांतो = Subianto
    (re.compile(r"yy"), "y"),  # Zelenskyy = Zelensky
    (re.compile(r"ey$"), "e"),
    (re.compile(r"oe$"), "o"),  # Joe = जो
    (re.compile(r"(?<=[^aeiou])y$"), "i"),  # final y is a vowel: Moody = mudi
    (re.compile(r"h(?![aeiou])"), ""),  # silent h: John = jon, Shah = sa
    (re.compile(r"n(?=[pbm])"), "m"),  # anusvara before a labial: ट्रंप = tramp
    (re.compile(r"(.)\1+"), r"\1"),  # double letters
    (re.compile(r"(?<=[^aeiou][^aeiou])a$"), ""),  # a vowel after a final cluster: डोनाल्ड
    (re.compile(r"(?<=[^aeiou])e$"), ""),  # silent final e: Mike = mik
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # "Donald Trump Jr." is another person
_MIN_PREFIX = 5


@lru_cache(maxsize=_CACHE)
def spelled_letters(word: str) -> str | None:
    """The Latin letters a Devanagari word spells out (डब्ल्यूएचओ → "WHO"), or None when it is
    not entirely letter names or names fewer than two letters (के, the postposition, is "K")."""
    table = letter_names()
    text = norm(word)
    out: list[str] = []
    i = 0
    longest = max(map(len, table), default=0)
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            letter = table.get(text[i : i + size])
            if letter is not None:
                out.append(letter)
                i += size
                break
        else:
            return None
    return "".join(out) if len(out) >= 2 else None


def _needs(pattern: re.Pattern[str]) -> str:
    """A letter without which ``pattern`` cannot match (its first, when it begins with a
    letter neither optional nor an alternative), or "" when there is none to tell."""
    text = pattern.pattern
    if text[:1].isalpha() and text[1:2] not in ("?", "*", "{") and "|" not in text:
        return text[0]
    return ""


# ``_FOLDS`` with the letter each needs: most patterns find nothing in a word, and a look for
# the letter is far cheaper than the pattern's ``sub``.
_GUARDED_FOLDS = tuple((_needs(pattern), pattern, replacement) for pattern, replacement in _FOLDS)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(latin: str) -> str:
    for needs, pattern, replacement in _GUARDED_FOLDS:
        if needs in latin:
            latin = pattern.sub(replacement, latin)
    return latin


class Transliterated(str):
    """A ``word_key`` token read from another script than Latin: its vowels are a guess
    (ट्रंप reads "tramp"), so ``same_name_word`` lets them differ as ``vowels.tsv`` allows.
    Equal to the plain string; only the type tells."""

    __slots__ = ()


@lru_cache(maxsize=_CACHE)
def word_key(word: str) -> str:
    """One name word as a normalised Latin token: "ट्रंप" → "tramp", "Kejriwal" → "kejrival",
    "WHO" / "डब्ल्यूएचओ" → "WHO" (acronyms keep their capitals, apart from ordinary words).
    A token transliterated from Devanagari is a ``Transliterated``."""
    if _DEVANAGARI.search(word):
        letters = spelled_letters(word)
        if letters:
            return letters
        return Transliterated(_fold(romanize(word)))
    if is_acronym(word):
        return word.upper()
    return _fold(_NOT_ALNUM.sub("", anyascii(word).lower()))


@lru_cache(maxsize=_CACHE)
def name_key(name: str) -> tuple[str, ...]:
    """A script-independent key of a whole name: one token per name word (``word_key``).

    A possessive "'s" is dropped ("Moody's" → ("mudi",)).
    """
    out = []
    previous_end = -1
    for token in tokenize(name):
        if token.text.lower() == "s" and name[previous_end : token.start] in ("'", "’"):
            continue
        previous_end = token.end
        key = word_key(token.text)
        if key:
            out.append(key)
    return tuple(out)


def name_shapes(name: str) -> tuple[str, ...]:
    """Each word of a name as its consonants alone, the same in every script: a coarse key to
    find the names that may meet ``name`` (``meets`` then decides). Acronyms keep their letters.

    >>> name_shapes("Donald Trump"), name_shapes("डोनाल्ड ट्रंप"), name_shapes("WHO")
    (('dnld', 'trmp'), ('dnld', 'trmp'), ('WHO',))
    """
    return tuple(key if key.isupper() else (_VOWEL_GROUPS.sub("", key) or key)
                 for key in name_key(name))


@cache
def _vowel_pairs() -> tuple[frozenset[frozenset[str]], frozenset[frozenset[str]]]:
    """``vowels.tsv`` as (pairs allowed anywhere, pairs allowed after the first syllable)."""
    anywhere: set[frozenset[str]] = set()
    later: set[frozenset[str]] = set()
    for line in lines("statements/vowels.tsv"):
        fields = line.split("\t")
        if len(fields) >= 3:
            pair = frozenset(fields[:2])
            (anywhere if fields[2] == "any" else later).add(pair)
    return frozenset(anywhere), frozenset(anywhere | later)


def _shape(token: str) -> tuple[str, list[str]]:
    """A token's consonants (vowel groups marked by "_") and its vowel groups."""
    return _VOWEL_GROUPS.sub("_", token), _VOWEL_GROUPS.findall(token)


@lru_cache(maxsize=_CACHE, typed=True)
def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isupper() or b.isupper():  # an acronym meets only its own letters
        return a.upper() == b.upper() and ((a.isupper() and b.isupper()) or len(a) <= 5)
    if not (isinstance(a, Transliterated) or isinstance(b, Transliterated)):
        return False  # two Latin spellings: the same word only when folded alike
    skeleton_a, vowels_a = _shape(a)
    skeleton_b, vowels_b = _shape(b)
    if skeleton_a != skeleton_b or len(vowels_a) != len(vowels_b):
        return False
    first, later = _vowel_pairs()
    return all(
        _same_vowels(x, y, later if i else first)
        for i, (x, y) in enumerate(zip(vowels_a, vowels_b, strict=True))
    )


def _same_vowels(x: str, y: str, pairs: frozenset[frozenset[str]]) -> bool:
    """Vowel groups meet: equal, a listed pair, or letter by letter ("eo" and "io": Pompeo)."""
    if x == y or frozenset((x, y)) in pairs:
        return True
    later = _vowel_pairs()[1]
    return len(x) == len(y) > 1 and all(
        a == b or frozenset((a, b)) in later for a, b in zip(x, y, strict=True)
    )


def same_name_word(a: str, b: str) -> bool:
    """Whether two name words (any scripts) are one word: equal ``word_key`` tokens, or equal
    consonants with vowels that differ only as ``vowels.tsv`` allows (see the module doc)."""
    return _same_token(word_key(a), word_key(b))


@cache
def _office_words(titles: bool = False) -> frozenset[str]:
    """Keys of every language's roles and stand-ins ("spokesman", "प्रशासन", "pengacara"),
    and with ``titles`` its titles too: a speaker named with a role or stand-in is an office
    or someone standing in, not the person named beside it."""
    out: set[str] = set()
    for rules in all_rules():
        kinds = (rules.titles, rules.roles, rules.stand_ins) if titles else (
            rules.roles, rules.stand_ins)
        for phrases in kinds:
            for group in phrases.by_first.values():
                out.update(word_key(w) for phrase in group for w in phrase)
    return frozenset(k for k in out if k)


def strip_titles(name: str) -> str:
    """A typed name without leading titles of any language ("President Trump" → "Trump",
    "प्रधानमंत्री मोदी" → "मोदी"); the name itself when nothing else would be left."""
    tokens = tokenize(name)
    offices = _office_words(titles=True)
    i = 0
    while i < len(tokens) - 1 and word_key(tokens[i].text) in offices:
        i += 1
    return name[tokens[i].start :].strip() if tokens and i else name


def _covers(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether every word of ``shorter`` meets a distinct word of ``longer``. In a name of
    several words of which one already met, a word also meets a longer one it begins (of five
    letters or more): "Purbaya Yudhi Sadewa" and a page's "Purbaya Yudhi Sadewabuka"."""
    free = list(longer)
    missed = []
    for word in shorter:
        for i, other in enumerate(free):
            if _same_token(word, other):
                del free[i]
                break
        else:
            missed.append(word)
    for word in missed:
        if len(missed) == len(shorter) or len(word) < _MIN_PREFIX:
            return False
        hit = next((i for i, other in enumerate(free) if len(other) >= _MIN_PREFIX
                    and (other.startswith(word) or word.startswith(other))), None)
        if hit is None:
            return False
        del free[hit]
    return not (_SUFFIXES & set(free))


def meets(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whole names meet: one's words are all among the other's ("Trump" ⊂ "Donald Trump"),
    unless the shorter is only generic words ("the organization" is not every organisation)."""
    if not a or not b:
        return False
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    if len(shorter) < len(longer) and all(w in _generic_words() for w in shorter):
        return False
    return _covers(longer, shorter)


@cache
def _generic_words() -> frozenset[str]:
    return _office_words(titles=True) | _org_words()


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and _covers(a, b)


def entity_names(wanted: str, aliases: Mapping[str, set[str]] | None = None) -> list[str]:
    """``wanted`` and every other name ``aliases`` give the same entity, followed across
    languages: "Organisasi Kesehatan Dunia" → "WHO" → "World Health Organization",
    "डब्ल्यूएचओ" → "विश्व स्वास्थ्य संगठन". ``aliases`` maps a name to its other names (both
    directions, as ``index.statements.aliases.alias_map`` builds it)."""
    names = [wanted]
    if not aliases:
        return names
    keys = [name_key(strip_titles(wanted))]
    entries = [(name_key(k), v) for k, v in aliases.items()]
    grown = True
    while grown and len(names) < 64:
        grown = False
        for key, others in entries:
            if any(_same_name(key, k) for k in keys):
                for other in others:
                    other_key = name_key(other)
                    if other_key and not any(_same_name(other_key, k) for k in keys):
                        names.append(other)
                        keys.append(other_key)
                        grown = True
    return names


@cache
def _org_words() -> frozenset[str]:
    """Keys of every language's organisation words ("organization", "komisi", "संगठन")."""
    out: set[str] = set()
    for rules in all_rules():
        out.update(word_key(w) for w in rules.org_words)
    return frozenset(k for k in out if k)


class NameMatcher:
    """``speaker_matches`` for one ``wanted`` name, its aliases followed once for all speakers.

    ``statement(s)`` is ``spoken_by``: also true for an official speaking for the body
    ``wanted`` names (``Statement.on_behalf``), unless ``wanted`` is a person's name."""

    def __init__(self, wanted: str, aliases: Mapping[str, set[str]] | None = None) -> None:
        self.wanted = wanted
        self.names = names = entity_names(wanted, aliases)  # wanted first, then its aliases
        keys = [name_key(strip_titles(n)) for n in names]
        typed = wanted.strip()
        if typed.isalpha() and typed.islower() and len(typed) <= 5:
            keys.append((typed.upper(),))  # "kpk" typed for KPK
        self._keys = [k for k in keys if k]
        self._offices = _office_words()
        orgs = _org_words()
        # a body: an acronym, an organisation word, another name, or one word ("Microsoft");
        # a person's whole name ("Donald Trump") never has officials speaking for it
        self.body = len(names) > 1 or any(
            len(k) == 1 or any(w.isupper() or w in orgs for w in k) for k in self._keys)

    def statement(self, statement: Statement) -> bool:
        """Whether ``statement`` is by the entity (see ``spoken_by``)."""
        if self(statement.speaker):
            return True
        return self.body and statement.on_behalf is not None and self(statement.on_behalf)

    def __call__(self, speaker: str) -> bool:
        key = name_key(speaker)
        if not key:
            return False
        offices = {w for w in key if w in self._offices}  # "spokesman": also in the wanted name
        return any(offices.issubset(wanted) and meets(wanted, key) for wanted in self._keys)


def speaker_matches(
    wanted: str, speaker: str, aliases: Mapping[str, set[str]] | None = None
) -> bool:
    """Whether ``speaker`` (as ``extract_statements`` names them) is the entity ``wanted`` means.

    Whole names meet across scripts (``same_name_word`` per word); a part of a name meets the
    whole ("Trump" meets "Donald Trump"); names that each have words the other lacks do not
    ("Kenneth Trump" is not "Donald Trump"); a speaker named with an office or stand-in word
    ("Trump administration", "Putin's spokesman", "Pengacara Jokowi") is not the person named
    beside it; ``aliases`` connect an organisation's names ("KPK" and "Komisi Pemberantasan
    Korupsi"). Titles typed with the name are ignored.

    >>> speaker_matches("ट्रंप", "Donald Trump"), speaker_matches("Trump", "ट्रंप प्रशासन")
    (True, False)
    """
    return NameMatcher(wanted, aliases)(speaker)


def spoken_by(
    wanted: str, statement: Statement, aliases: Mapping[str, set[str]] | None = None
) -> bool:
    """Whether ``statement`` is by the entity ``wanted`` means: its speaker meets ``wanted``
    (``speaker_matches``), or an official speaks for the body ``wanted`` names ("Juru Bicara
    KPK Budi Prasetyo" speaks for KPK). A person's whole name ("Donald Trump", as ``resolve``
    gives it) takes no one else's words: "Putin's spokesman" or the "Trump administration"
    never speak for the person."""
    return NameMatcher(wanted, aliases).statement(statement)


def resolve(
    wanted: str, speakers: Mapping[str, int], aliases: Mapping[str, set[str]] | None = None
) -> str:
    """The entity a typed name most likely means, from how often each speaker name occurs in
    the corpus's statements: the fullest name that meets ``wanted``, by the statements of it
    and of its spellings in other scripts. ``{"Donald Trump": 120, "Trump": 80, "Kenneth
    Trump": 1}`` → "Donald Trump", so that a follow of "Trump" then rejects "Kenneth Trump".
    Falls back to ``wanted``.

    >>> resolve("Trump", {"Donald Trump": 120, "Trump": 80, "Kenneth Trump": 1})
    'Donald Trump'
    """
    matcher = NameMatcher(wanted, aliases)
    size = len(name_key(strip_titles(wanted)))
    candidates = [(name, count) for name, count in speakers.items() if count > 0 and matcher(name)]
    fuller = [(n, c) for n, c in candidates if len(name_key(n)) > size]
    if not fuller:
        return wanted
    keys = {n: name_key(n) for n, _ in fuller}

    def weight(name: str) -> int:  # its statements, in every spelling of the same whole name
        return sum(c for n, c in fuller if _same_name(keys[n], keys[name]))

    return max(fuller, key=lambda nc: (weight(nc[0]), nc[1], len(keys[nc[0]])))[0]

