"""Per-language cue data (``index/data/statements/<lang>.toml``), loaded once per language.

A language's file lists its cues (verbs and phrases, each with the shape it takes around its
speaker) and the words that make up speaker phrases (titles, roles, stand-ins, organisation
words, …); ``README.md`` beside the files describes the format. Code only says how each shape
is read; adding a language is adding its file.

>>> rules = rules_for("id")
>>> [cue.name for cue in rules.lookup(("kata",))]
['before']
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files

from index.analysis.tokenizers import words
from index.data import lines, word_list
from index.lang import language

__all__ = ["SHAPES", "Cue", "Entry", "Rules", "all_rules", "fold", "folds_in_place", "is_related",
           "letter_names", "norm", "rules_for"]

# What a word is in a language's data (bit flags; a word may be several).
TITLE, ROLE, STAND, STMT, ORG, COMP, PART, CONN, HON = 1, 2, 4, 8, 16, 32, 64, 128, 256
NOTNAME, BOUND, STOP, FIRST, PRON, GAP, TIME, NEG, CUE, LINK, DET = (
    512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288)

SHAPES = ("speaker_verb", "verb_speaker", "phrase_speaker", "speaker_phrase")
"""How a cue stands to its speaker: "Trump said", "kata Prabowo", "according to X", "X के अनुसार"."""

_DATA = "statements"
_NUKTA = "\u093c"
_CANDRABINDU, _ANUSVARA = "\u0901", "\u0902"
_JOINERS = str.maketrans("", "", "\u200c\u200d")

Entry = tuple[str, ...]  # a data entry as normalised words: ("according", "to")


@lru_cache(maxsize=200_000)
def norm(word: str) -> str:
    """A word as cue data is matched: casefolded; Devanagari without nukta, chandrabindu as
    anusvara (the spelling variation of Hindi news), no zero-width joiners.

    >>> norm("Said"), norm("कहाँ") == norm("कहां")
    ('said', True)
    """
    text = word.casefold().translate(_JOINERS)
    if _NUKTA in text or _CANDRABINDU in text:
        text = unicodedata.normalize("NFD", text)
        text = text.replace(_NUKTA, "").replace(_CANDRABINDU, _ANUSVARA)
        text = unicodedata.normalize("NFC", text)
    return text


def _entry(text: str) -> Entry:
    return tuple(norm(w) for w in words(text))


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue of a language: its name (``Statement.cue``), shape and words."""

    name: str
    shape: str
    phrases: frozenset[Entry]
    gap: int = 0  # words that may stand between speaker and verb (speaker_verb)
    marked: bool = False  # the speaker carries the language's marker (Hindi "ने")
    after_quote: bool = False  # verb_speaker: the verb follows a quote or a comma
    clause_end: bool = False  # verb_speaker: the speaker phrase ends its clause (headlines)


@dataclass(frozen=True, slots=True)
class _PhraseSet:
    """Phrases of one or more words, found in a token sequence longest first."""

    by_first: dict[str, tuple[Entry, ...]]

    @classmethod
    def of(cls, entries: Iterable[str]) -> _PhraseSet:
        grouped: dict[str, set[Entry]] = {}
        for entry in entries:
            phrase = _entry(entry)
            if phrase:
                grouped.setdefault(phrase[0], set()).add(phrase)
        return cls({k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()})



@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the extractor knows about one language (see ``README.md`` of the data)."""

    lang: str
    cues: tuple[Cue, ...]
    capitalised: bool  # names are capitalised words (a Latin script)
    marker: frozenset[str] = frozenset()
    marked_pronouns: frozenset[str] = frozenset()
    pronoun_suffixes: tuple[str, ...] = ()
    principal_after_role: bool = False  # "Juru Bicara KPK Budi": the body follows the office
    short_names: str = "last"  # a name shortened to its "last" word (Trump) or "first" (Prabowo)
    titles: _PhraseSet = field(default_factory=lambda: _PhraseSet({}))
    roles: _PhraseSet = field(default_factory=lambda: _PhraseSet({}))
    stand_ins: _PhraseSet = field(default_factory=lambda: _PhraseSet({}))
    statement_nouns: _PhraseSet = field(default_factory=lambda: _PhraseSet({}))
    org_words: frozenset[str] = frozenset()
    place_words: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    role_complements: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    genitives: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    demonstratives: frozenset[str] = frozenset()  # "Politikus Partai Golkar **ini** menyebut"
    capacities: frozenset[str] = frozenset()  # "Siti Zuhro **sebagai** perwakilan …"
    relatives: frozenset[str] = frozenset()  # "poin **yang** disampaikan JPU"
    pronouns: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    gap_words: frozenset[str] = frozenset()
    time_words: frozenset[str] = frozenset()
    negations: frozenset[str] = frozenset()
    boundaries: frozenset[str] = frozenset()
    complementizers: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    related: tuple[str, ...] = ()
    cues_by_first: dict[str, tuple[tuple[Entry, Cue], ...]] = field(default_factory=dict)
    first_words: frozenset[str] = frozenset()  # the first word of every cue phrase
    _flags: dict[str, int] = field(default_factory=dict)  # word_flags: ``_flag_table``

    def lookup(self, entry: Entry) -> list[Cue]:
        """The cues whose words are exactly ``entry``."""
        return [cue for words, cue in self.cues_by_first.get(entry[0], ()) if words == entry]

    @property
    def suffixed_cues(self) -> dict[str, tuple[Cue, ...]]:
        """One-word cues with a pronoun suffix ("ujarnya": "ujar" + "nya") → their cues (those
        whose speaker follows them)."""
        return _suffixed(self.lang)

    @property
    def cue_starts(self) -> frozenset[str]:
        """Every word a cue may begin with: ``first_words`` and the ``suffixed_cues``."""
        return _cue_starts(self.lang)

    def cue_words_in(self, text: str) -> bool:
        """Whether ``text`` may hold a cue: a quick test on its lowercased, space-split words
        (a sentence without one holds no statement and is not read further)."""
        return self.cue_words_folded(fold(text))

    def cue_words_folded(self, folded: str) -> bool:
        """``cue_words_in`` of a text already folded (``fold``)."""
        single, several = _loose_words(self.lang)
        split = folded.split()
        if not single.isdisjoint(split):
            return True
        if several:
            spaced = " ".join(split)
            return any(map(spaced.__contains__, several))  # (a phrase in ``spaced``)
        return False

    def word_flags(self, word: str) -> int:
        """What the (normalised) word is in this language's data, as bit flags (several-word
        titles, roles, stand-ins and statement nouns flag their words in ``multi_flags``)."""
        return self._flag_table().get(word, 0)

    def flags_of_words(self, normed: Sequence[str]) -> list[int]:
        """``word_flags`` of each word: one dictionary look-up a word."""
        get = self._flag_table().get
        return [get(w, 0) for w in normed]

    def _flag_table(self) -> dict[str, int]:
        """Every word the data flags → its flags, made once: a word missing from it has none,
        so reading a sentence never tests a word against each of the word lists."""
        table = self._flags
        if not table:
            table.update(self._word_table())
        return table

    def _word_table(self) -> dict[str, int]:
        table: dict[str, int] = {}
        for phrases, flag in ((self.titles, TITLE), (self.roles, ROLE),
                              (self.stand_ins, STAND), (self.statement_nouns, STMT)):
            for first, group in phrases.by_first.items():
                if any(len(p) == 1 for p in group):  # a one-word entry
                    table[first] = table.get(first, 0) | flag
        for members, flag in ((self.org_words, ORG), (self.role_complements, COMP),
                            (self.particles, PART), (self.links, LINK),
                            (self.determiners, DET),
                            (self.connectors, CONN),
                            (self.honorifics, HON), (self.not_names, NOTNAME),
                            (self.boundaries, BOUND), (self.stop, STOP),
                            (self.first_person, FIRST), (self.pronouns, PRON),
                            (self.gap_words, GAP), (self.time_words, TIME),
                            (self.negations, NEG), (self.first_words, CUE)):
            for word in members:
                table[word] = table.get(word, 0) | flag
        return table

    def multi_flags(self, normed: Sequence[str], flags: list[int]) -> None:
        """Add to ``flags`` the flags of several-word entries found in ``normed``."""
        starts = _multi_starts(self.lang)
        if starts.keys().isdisjoint(normed):
            return  # (most sentences: no word begins one)
        for i, word in enumerate(normed):
            for phrase, flag in starts.get(word, ()):
                if tuple(normed[i : i + len(phrase)]) == phrase:
                    for k in range(i, i + len(phrase)):
                        flags[k] |= flag


def _words(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(e) for e in entries)


@cache
def rules_for(lang: str) -> Rules | None:
    """The rules of ``lang`` (``index/data/statements/<lang>.toml``), or None without a file."""
    resource = files("index").joinpath("data", _DATA, f"{lang}.toml")
    if not resource.is_file():
        return None
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    names = data.get("names", {})
    cues = []
    for entry in data.get("cue", ()):
        if entry["shape"] not in SHAPES:
            raise ValueError(f"{lang}.toml: cue {entry['name']!r}: shape must be one of {SHAPES}")
        cues.append(Cue(
            name=entry["name"], shape=entry["shape"],
            phrases=frozenset(p for p in map(_entry, entry["words"]) if p),
            gap=int(entry.get("gap", 0)), marked=bool(entry.get("marked", False)),
            after_quote=bool(entry.get("after_quote", False)),
            clause_end=bool(entry.get("clause_end", False)),
        ))
    by_first: dict[str, list[tuple[Entry, Cue]]] = {}
    for cue in cues:
        for phrase in cue.phrases:
            by_first.setdefault(phrase[0], []).append((phrase, cue))
    registered = language(lang)
    return Rules(
        lang=lang,
        cues=tuple(cues),
        capitalised=registered is None or registered.script == "LATIN",
        marker=_words(data.get("marker", ())),
        marked_pronouns=_words(data.get("marked_pronouns", ())),
        pronoun_suffixes=tuple(data.get("pronoun_suffixes", ())),
        principal_after_role=bool(data.get("principal_after_role", False)),
        short_names=str(data.get("short_names", "last")),
        titles=_PhraseSet.of(names.get("titles", ())),
        roles=_PhraseSet.of(names.get("roles", ())),
        stand_ins=_PhraseSet.of(names.get("stand_ins", ())),
        statement_nouns=_PhraseSet.of(names.get("statement_nouns", ())),
        org_words=_words(names.get("org_words", ())),
        place_words=_words(names.get("place_words", ())),
        prepositions=_words(names.get("prepositions", ())),
        role_complements=_words(names.get("role_complements", ())),
        connectors=_words(names.get("connectors", ())),
        particles=_words(names.get("particles", ())),
        links=_words(names.get("links", ())),
        determiners=_words(names.get("determiners", ())),
        genitives=_words(names.get("genitives", ())),
        honorifics=_words(names.get("honorifics", ())),
        demonstratives=_words(names.get("demonstratives", ())),
        capacities=_words(names.get("capacities", ())),
        relatives=_words(names.get("relatives", ())),
        pronouns=_words(names.get("pronouns", ())),
        first_person=_words(names.get("first_person", ())),
        not_names=_words(names.get("not_names", ())),
        gap_words=_words(names.get("gap_words", ())),
        time_words=_words(names.get("time_words", ())),
        negations=_words(names.get("negations", ())),
        boundaries=_words(names.get("boundaries", ())),
        complementizers=_words(data.get("complementizers", ())),
        stop=_words(word_list("stopwords", lang)),
        related=tuple(norm(r) for r in names.get("related", ())),
        cues_by_first={
            k: tuple(sorted(v, key=lambda pc: len(pc[0]), reverse=True))
            for k, v in by_first.items()
        },
        first_words=frozenset(by_first),
    )


@cache
def all_rules() -> tuple[Rules, ...]:
    """The rules of every language with a data file."""
    folder = files("index").joinpath("data", _DATA)
    codes = sorted(e.name.removesuffix(".toml") for e in folder.iterdir()
                   if e.name.endswith(".toml"))
    return tuple(r for code in codes if (r := rules_for(code)) is not None)


@cache
def _related() -> tuple[str, ...]:
    return tuple(sorted({prefix for rules in all_rules() for prefix in rules.related}))


def is_related(line: str) -> bool:
    """Whether a line is a related-content teaser in any language ("Baca juga: …", "JUST
    WATCHED", "यह भी पढ़ें"; a page in one language may carry another's)."""
    head = norm(line[:60].lstrip(" \"'“‘([*-–—•|>"))
    return head.startswith(_related())


@cache
def _multi_starts(lang: str) -> dict[str, tuple[tuple[Entry, int], ...]]:
    """First word → the several-word titles, roles, stand-ins and statement nouns it begins."""
    rules = rules_for(lang)
    out: dict[str, list[tuple[Entry, int]]] = {}
    if rules is not None:
        for phrases, flag in ((rules.titles, TITLE), (rules.roles, ROLE),
                              (rules.stand_ins, STAND), (rules.statement_nouns, STMT)):
            for first, group in phrases.by_first.items():
                out.setdefault(first, []).extend((p, flag) for p in group if len(p) > 1)
    return {k: tuple(v) for k, v in out.items() if v}


@cache
def _suffixed(lang: str) -> dict[str, tuple[Cue, ...]]:
    rules = rules_for(lang)
    out: dict[str, list[Cue]] = {}
    if rules is not None:
        for cue in rules.cues:
            if cue.shape not in ("verb_speaker", "phrase_speaker"):
                continue
            for phrase in cue.phrases:
                if len(phrase) == 1:
                    for suffix in rules.pronoun_suffixes:
                        out.setdefault(phrase[0] + suffix, []).append(cue)
    return {k: tuple(v) for k, v in out.items() if k not in (rules.first_words if rules else ())}


@cache
def _cue_starts(lang: str) -> frozenset[str]:
    rules = rules_for(lang)
    return frozenset() if rules is None else rules.first_words.union(_suffixed(lang))


_PUNCTUATION = str.maketrans({ch: " " for ch in "\"'“”‘’„«»()[]{}.,;:!?-–—/|*…।॥"})


def fold(text: str) -> str:
    """``text`` as ``Rules.cue_words_in`` reads its words: casefolded, punctuation as spaces,
    Devanagari spelled as ``norm`` spells it."""
    folded = text.casefold().translate(_PUNCTUATION)
    if _NUKTA in folded or _CANDRABINDU in folded:
        folded = norm(folded)
    return folded


def folds_in_place(text: str, folded: str) -> bool:
    """Whether ``fold`` kept each character of ``text`` in its place in ``folded`` (so a part of
    ``text`` folds to the same part of ``folded``): casefolding only ever lengthens a text and
    the punctuation is replaced one for one, so an equal length says so, unless ``norm``
    respelled Devanagari."""
    return len(folded) == len(text) and _NUKTA not in text and _CANDRABINDU not in text


@cache
def _loose_words(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The language's cues as ``cue_words_in`` sees them: one-word cues (also with the pronoun
    suffixes: "ujarnya"), and several-word cues as space-joined strings."""
    rules = rules_for(lang)
    if rules is None:
        return frozenset(), ()
    single: set[str] = set()
    several: set[str] = set()
    for cue in rules.cues:
        for phrase in cue.phrases:
            if len(phrase) == 1:
                single.add(phrase[0])
                single.update(phrase[0] + suffix for suffix in rules.pronoun_suffixes)
            else:
                several.add(" ".join(phrase))
    several = {p for p in several if not single.intersection(p.split()[:1])}
    return frozenset(single), tuple(sorted(several))


@cache
def letter_names() -> dict[str, str]:
    """Devanagari names of Latin letters (``letters.tsv``): "डब्ल्यू" → "W"."""
    out: dict[str, str] = {}
    for line in lines(f"{_DATA}/letters.tsv"):
        name, _, letter = line.partition("\t")
        if name and letter:
            out[norm(name.strip())] = letter.strip()
    return out
