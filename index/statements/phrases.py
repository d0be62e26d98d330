"""Speaker phrases: where the words naming a speaker begin and end, and who they name.

A sentence's words carry flags from the language's data (title, role, stand-in, organisation
word, …). ``back`` and ``forward`` find the speaker phrase ending or starting at a word;
``speakers`` splits a joint phrase ("Biden and Macron") and reads each part as one of

- a person: the name after the titles and offices ("Former President Donald Trump" → Donald
  Trump; "Wakil Ketua KPK Fitroh Rohcahyanto" → Fitroh Rohcahyanto, for KPK);
- an organisation: "the World Health Organization", "KPK", "स्वास्थ्य मंत्रालय";
- an office or stand-in with no name of its own: "Putin's spokesman", "Trump administration",
  "Pengacara Jokowi", "ट्रंप प्रशासन" — never the one named beside it.

A speaker set off from the verb by asides (``apposed``) is the one named before them ("Alex
Spiro, pengacara pribadi Elon Musk, pemilik media sosial Twitter, menulis"), or the name set off
after an office ("Kasi Intel Kejari Solo, Widhiarso Nugroho, membenarkan"); an official's aside
names the body they speak for ("फ्रैंक शॉ, एक Microsoft प्रवक्ता, ने"). A name never joins a
name in another script ("कि Microsoft ट्विटर के").
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from index.statements.cues import (
    BOUND,
    COMP,
    CONN,
    CUE,
    DET,
    FIRST,
    HON,
    LINK,
    NEG,
    NOTNAME,
    ORG,
    PART,
    PRON,
    ROLE,
    STAND,
    STMT,
    STOP,
    TIME,
    TITLE,
    Rules,
    letter_names,
    norm,
)

__all__ = ["Found", "Phrase", "Toks", "apposed", "aside_body", "back", "flags_of", "forward",
           "speakers"]

OFFICE = TITLE | ROLE | STAND
NOT_IN_NAME = OFFICE | STMT | ORG | COMP | PART | LINK | CONN | NOTNAME | TIME | FIRST | PRON | HON

MAX_PHRASE = 12  # words of one speaker phrase ("Plt Deputi Penindakan dan Eksekusi KPK Asep …")
ASIDE_WORDS = 10  # the longest aside between a speaker and the verb
MAX_ASIDES = 3  # asides in a row ("Alex Spiro, pengacara … Musk, pemilik … Twitter, menulis")
_POSSESSIVE = ("'", "’")
_JOINING = frozenset({"-", "'", "’", "‑"})  # inside a word of a name, no space
_SPACED_JOINING = frozenset({"", ".", "&", "+"})  # between words of one name


# A word: ``index.analysis.tokenizers``'s letters, marks and digits, written for the standard
# ``re`` engine, which reads a sentence a few times faster (Devanagari marks named).
WORD = re.compile(r"[^\W_][\w\u0300-\u036f\u0900-\u0963\u0966-\u097f\u200c\u200d]*"
                  r"|[\u0900-\u0963\u0966-\u097f][\w\u0900-\u0963\u0966-\u097f\u200c\u200d]*")
# ``WORD`` on ASCII text (where ``\w`` is [A-Za-z0-9_]), which the engine matches faster: it
# need not look the characters up in Unicode's tables.
ASCII_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*")


@lru_cache(maxsize=200_000)
def _looks(word: str) -> tuple[str, bool, bool, bool]:
    """``(norm, cap, acr, deva)`` of a word (see ``Toks``)."""
    first = word[0]
    cap = first.isupper()
    return (norm(word), cap, cap and len(word) >= 2 and word.isupper() and word.isalpha(),
            "\u0900" <= first <= "\u097f")


class Toks:
    """The words of a sentence, one list per property (cheaper to build than an object per
    word): ``text``, ``start`` and ``end`` (offsets into the passage), ``norm``
    (``cues.norm``), ``cap`` (begins with a capital), ``acr`` (an acronym, as
    ``index.analysis.analyzers.is_acronym``), ``deva`` (Devanagari), ``poss`` (followed by
    a possessive "'s", which is not a word of its own here)."""

    __slots__ = ("acr", "cap", "deva", "end", "norm", "poss", "start", "text")

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        # (``map`` over the matches and words: one pass each, without a Python loop per word)
        pattern = ASCII_WORD if text.isascii() else WORD
        found = list(pattern.finditer(text, start, len(text) if end is None else end))
        words = list(map(re.Match.group, found))
        starts = list(map(re.Match.start, found))
        ends = list(map(re.Match.end, found))
        poss = [False] * len(words)
        if "s" in words or "S" in words:
            for n in range(len(words) - 1, 0, -1):  # "Trump's": "s" marks "Trump"
                if words[n] in ("s", "S") and text[ends[n - 1] : starts[n]] in _POSSESSIVE:
                    poss[n - 1] = True
                    del words[n], starts[n], ends[n], poss[n]
        self.text, self.start, self.end, self.poss = words, starts, ends, poss
        self.norm, self.cap, self.acr, self.deva = _columns(list(map(_looks, words)))

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return f"Toks({self.text!r})"


def _columns(
    looks: list[tuple[str, bool, bool, bool]]
) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[bool, ...], tuple[bool, ...]]:
    """``_looks`` of each word as four tuples (never changed, so not copied into lists):
    norms, caps, acronyms, Devanagari."""
    if not looks:
        return (), (), (), ()
    norms, caps, acronyms, deva = zip(*looks, strict=True)
    return norms, caps, acronyms, deva


def flags_of(toks: Toks, rules: Rules) -> list[int]:
    """Each word's flags in one language's data; several-word entries flag all their words."""
    flags = rules.flags_of_words(toks.norm)
    rules.multi_flags(toks.norm, flags)
    if any(toks.acr):
        for k, acronym in enumerate(toks.acr):
            if acronym:  # "WHO", "US": a name, not the function word it spells; "SH", a degree
                flags[k] &= OFFICE | ORG | HON
    return flags


@dataclass(frozen=True, slots=True)
class Found:
    """One speaker read from a phrase: ``kind`` is "person", "org", "office" or "title"."""

    kind: str
    first: int  # word indices of the words naming them (the name, the body, the office)
    last: int
    principal: tuple[int, int] | None = None  # word indices of the body an office speaks for
    led: bool = False  # the name right after an office or title ("Sekjen Gerindra Sugiono")
    titles: tuple[str, ...] = ()  # the titles and offices before the name ("minister")


class Phrase:
    """A sentence's words and flags, with the helpers the phrase readers share."""

    __slots__ = ("flags", "hi", "lo", "lowered", "rules", "text", "title_case", "toks")

    def __init__(self, text: str, toks: Toks, flags: list[int], lo: int, hi: int,
                 rules: Rules, lowered: Container[str] = frozenset(),
                 title_case: bool = False) -> None:
        self.text, self.toks, self.flags, self.rules = text, toks, flags, rules
        self.lo, self.hi = lo, hi  # the sentence's words: toks[lo:hi]
        self.lowered = lowered  # words the article also writes in lower case
        self.title_case = title_case  # every word may be capitalised (a headline)

    def opener(self, i: int) -> bool:
        """Whether word ``i`` is a common word capitalised only for opening the sentence
        ("Despite Russia …", "Perseteruan Trump …"; in a headline, any word): the article
        writes it in lower case too."""
        toks = self.toks
        return (i == self.lo or self.title_case) and toks.cap[i] and not toks.acr[i] and (
            toks.norm[i] in self.rules.stop or toks.norm[i] in self.lowered)

    def gap(self, i: int) -> str:
        """The text between word ``i - 1`` and word ``i``."""
        return self.text[self.toks.end[i - 1] : self.toks.start[i]]

    def joined(self, i: int) -> bool:
        """Whether words ``i - 1`` and ``i`` may belong to one name ("Jean-Pierre", "J. K.",
        "IM57+ Institute"); a spaced dash ("मेहता- दाम") parts them."""
        gap = self.gap(i)
        if self.toks.poss[i - 1]:  # "Putin's spokesman": the "'s" stands between
            gap = gap.lstrip("'’sS")
        return gap in _JOINING or gap.strip() in _SPACED_JOINING

    def two_names(self, a: int, b: int) -> bool:
        """Whether words ``a`` and ``b`` are name words in different scripts: a Latin name next
        to a Devanagari one ("कि Microsoft ट्विटर के …") names two entities, never one."""
        toks = self.toks
        either = self.flags[a] | self.flags[b]
        return (toks.deva[a] != toks.deva[b] and not either & (OFFICE | ORG)
                and self.is_name_word(a) and self.is_name_word(b))

    def is_name_word(self, i: int) -> bool:
        toks, f = self.toks, self.flags[i]
        if not (toks.cap[i] or toks.deva[i]):
            return False  # (most words: a name word is capitalised, or Devanagari)
        if f & NOT_IN_NAME or toks.acr[i] or toks.text[i][0].isdigit() or self.opener(i):
            return False
        if toks.deva[i]:
            return not f & (STOP | BOUND | NEG | CUE)
        return toks.cap[i] and not f & BOUND

    def may_join(self, i: int) -> bool:
        """Whether word ``i`` may be part of a speaker phrase at all."""
        toks, f = self.toks, self.flags[i]
        if f & (FIRST | PRON):
            return False
        if toks.deva[i]:
            if f & (TITLE | ROLE | STAND | ORG):
                return True
            return not f & (STOP | BOUND | TIME | NEG | CUE | HON)
        if toks.cap[i] or toks.acr[i]:
            if self.opener(i) and not f & (OFFICE | ORG):
                return False
            return not (f & (NOTNAME | TIME) and not f & (OFFICE | ORG | COMP))
        if toks.text[i][0].isdigit():
            return True
        if f & BOUND and not f & (OFFICE | ORG | STMT):
            return False
        return bool(f & (OFFICE | STMT | ORG | COMP | PART | LINK | CONN))


def _trim(p: Phrase, i: int, j: int) -> tuple[int, int] | None:
    """Drop words that cannot start or end a phrase (links, connectors, digits, openers; a
    particle only when no name follows it: "von der Leyen" keeps its "von der")."""
    edge = LINK | CONN | NOTNAME | HON | TIME
    while i <= j and ((p.flags[i] & edge and not p.flags[i] & OFFICE)
                      or p.toks.text[i][0].isdigit()
                      or (p.flags[i] & PART and not _particles_then_name(p, i, j))):
        i += 1
    while j >= i and ((p.flags[j] & (edge | COMP) and not p.flags[j] & (OFFICE | ORG)
                      and not p.toks.cap[j]) or p.toks.text[j][0].isdigit()
                      or p.flags[j] & (PART | LINK | CONN | HON)):
        j -= 1
    if i > j:
        return None
    if not any(p.toks.cap[k] or p.toks.acr[k] or p.toks.deva[k] or p.flags[k] & (OFFICE | ORG)
               for k in range(i, j + 1)):
        return None
    return i, j


def _particles_then_name(p: Phrase, i: int, j: int) -> bool:
    while i <= j and p.flags[i] & PART and not p.toks.cap[i]:
        i += 1
    return i <= j and p.is_name_word(i)


def back(p: Phrase, j: int) -> tuple[int, int] | None:
    """The speaker phrase ending at word ``j`` (read leftwards): its first and last word."""
    if j < p.lo or not p.may_join(j):
        return None
    deva = p.toks.deva[j]
    i = j
    while i > p.lo and j - i < MAX_PHRASE - 1:
        k = i - 1
        if not p.joined(i) or p.flags[k] & DET or p.two_names(k, i) or (
                p.toks.norm[k] == p.toks.norm[i] and p.is_name_word(i)):
            break  # ("Boris Johnson Johnson announces": a caption's name, then the speaker's)
        if p.may_join(k) or _linking(p, k, k - 1):
            i = k
            continue
        if deva and p.flags[k] & STOP and _initial(p, k):
            i = k  # "ए के सिंह": के is the initial K here, not the postposition
            continue
        break
    if deva:
        i = _devanagari_start(p, i, j)
        i = _genitive_body(p, i)
        if i - 2 >= p.lo and p.flags[i - 1] & CONN and p.joined(i) and p.joined(i - 1):
            left = back(p, i - 2)  # "अर्जुन मेहता और सारा खान ने": a joint phrase
            if left is not None:
                i = left[0]
    return _trim(p, i, j)


def _linking(p: Phrase, k: int, beyond: int) -> bool:
    """Whether a link word at ``k`` joins two capitalised words of one name ("Centers for
    Disease Control", "Ministry of Defense"): ``beyond`` is the word on its far side."""
    return (bool(p.flags[k] & LINK) and not p.toks.cap[k] and p.lo <= beyond < p.hi
            and p.toks.cap[beyond] and p.joined(max(k, beyond)) and p.may_join(beyond))


def _genitive_body(p: Phrase, i: int) -> int:
    """Take in the body a Devanagari office belongs to: "डब्ल्यूएचओ के महानिदेशक टेड्रोस" (the
    WHO's director-general Tedros)."""
    if not p.flags[i] & ROLE or i - 2 < p.lo or p.toks.norm[i - 1] not in p.rules.genitives:
        return i
    k = i - 2
    if not p.may_join(k) or p.flags[k] & (OFFICE | TIME):
        return i
    while k - 1 >= p.lo and i - k < 7 and p.joined(k):
        f = p.flags[k - 1]
        if f & (ROLE | TIME) or not (p.may_join(k - 1) or f & CONN):
            break
        if f & (TITLE | STAND | CONN) and not _org_next(p, k - 1):
            break  # "स्वास्थ्य एवं परिवार कल्याण मंत्रालय": words of the body's name
        k -= 1
    return k


def _initial(p: Phrase, k: int) -> bool:
    """Whether a stop word at ``k`` is a spelled initial after a title: के in "जनसंपर्क
    अधिकारी ए के सिंह" is the initial K, not the postposition."""
    letters = letter_names()
    if k <= p.lo or p.toks.norm[k] not in letters:
        return False
    left = k - 1
    if p.flags[left] & TITLE:
        return True
    return p.toks.norm[left] in letters and left > p.lo and bool(p.flags[left - 1] & TITLE)


def _devanagari_start(p: Phrase, i: int, j: int) -> int:
    """Where a Devanagari phrase begins. Without capitals, words before a name are only part of
    it after a title ("प्रधानमंत्री नरेंद्र मोदी"), inside an organisation's name ("विश्व
    स्वास्थ्य संगठन"), or when the phrase opens its clause ("वहीं नरेंद्र मोदी ने"): in "भारत
    दौरे से लौटे ट्रंप ने" only "ट्रंप" names the speaker."""
    if any(p.flags[k] & (OFFICE | ORG) for k in range(i, j + 1)):
        return i
    if i == p.lo or p.flags[i - 1] & (BOUND | CONN | FIRST | TIME) or not p.joined(i):
        return i  # ("सरकारी मीडिया चाइना डेली के मुताबिक": a common noun, then the name)
    return j


def forward(p: Phrase, i: int, clause_end: bool = False) -> tuple[int, int] | None:
    """The speaker phrase starting at word ``i`` (read rightwards): its first and last word.

    A comma may stand between an office with its body and the holder's name ("Ketua IM57+
    Institute, Lakso Anindito, saat dihubungi"), and a short form in brackets after a body's
    name ("Badan Pendapatan Daerah (Bappenda) NTB Fathurrahman"). With ``clause_end`` the
    phrase must end its clause (a headline's "बोले मोदी- …")."""
    if i < p.hi and p.flags[i] & DET:  # "according to the World Health Organization"
        i += 1
    if i >= p.hi or not p.may_join(i):
        return None
    j = i
    comma = None  # the office before a comma, its holder's name after it
    while j + 1 < p.hi and j - i < MAX_PHRASE - 1:
        k = j + 1
        if _bracketed_acronym(p, k):
            j = k  # "Kepala Badan Pendapatan Daerah (Bappenda) NTB Fathurrahman"
            continue
        if not p.joined(k) and not (k > 0 and _bracketed_acronym(p, k - 1)
                                    and p.gap(k).strip() == ")"):
            gap = p.gap(k).strip()
            if comma is not None or not (gap == "," and p.toks.cap[k] and (
                    p.is_name_word(k) or p.flags[k] & TITLE) and _office_then(p, i, j)):
                break  # "Kasubdit I Dittipidsiber Bareskrim Polri, Kombes Rizki …" goes on
            comma = j
        if p.flags[k] & DET or p.two_names(j, k) or not (p.may_join(k) or _linking(p, k, k + 1)):
            break
        j = k
    if comma is not None and not _set_off(p, j):
        j = comma  # "dikutip dari keterangan Tim Media Presiden, Prabowo tiba …": no holder
    if clause_end and (j - i > 2 or (j + 1 < p.hi and not p.gap(j + 1).strip())):
        return None
    return _trim(p, i, j)


def _set_off(p: Phrase, j: int) -> bool:
    """Whether the name ending at word ``j`` ends its clause or is set off by punctuation or a
    boundary word ("…, Rina Wulandari.", "…, Jhony Boy Nababan, kepada wartawan")."""
    k = j + 1
    return (k >= p.hi or bool(p.gap(k).strip())
            or bool(p.flags[k] & (BOUND | TIME | NOTNAME | STOP)))


def _office_then(p: Phrase, i: int, j: int) -> bool:
    """Whether words ``i..j``, before a comma, are an office whose holder's name follows it:
    "Wakil Ketua KPK, Rina …", "pengacara Lisa Mariana, Jhony …" (an office or stand-in with
    its body, no name of its own)."""
    if not any(p.flags[x] & OFFICE for x in range(i, j + 1)):
        return False
    if p.toks.acr[j] or p.flags[j] & ORG or any(
            p.toks.norm[x] in p.rules.place_words for x in range(i, j + 1)):
        return True  # ("Sekda Kabupaten Bogor, Ajat …": an office of a place)
    found = _read(p, i, j)
    return found is not None and found.kind == "office"


def _bracketed_acronym(p: Phrase, k: int) -> bool:
    """Whether word ``k`` is a short form in brackets right after the words before it."""
    if k <= p.lo or k + 1 > p.hi or p.gap(k).strip() != "(":
        return False
    after = p.text[p.toks.end[k] : p.toks.end[k] + 2].lstrip()
    return after.startswith(")") and p.toks.cap[k]


def apposed(p: Phrase, k: int) -> tuple[int | None, int, tuple[int, int] | None] | None:
    """The speaker phrase before an aside set off by commas that ends at word ``k``, right
    before the verb, and the aside that describes the speaker (for the body an official
    speaks for): the one named before descriptions speaks, never one named inside them.

    - "Dmitry Peskov, Putin's spokesman, told …", "Frank Shaw, juru bicara Microsoft, …",
      "फ्रैंक शॉ, एक Microsoft प्रवक्ता, ने …": the name before the aside;
    - "Alex Spiro, pengacara pribadi Elon Musk, pemilik media sosial Twitter, menulis": past
      every description, to Alex Spiro;
    - "Kasi Intel Kejari Solo, Widhiarso Nugroho, membenarkan": a bare name set off after an
      office is its holder; the office and the name are read as one phrase.

    Returns ``(first, last, aside)``: the phrase's words (``first`` None when the phrase is
    to be read back from ``last``), and the describing aside's words (or None). None when no
    comma opens the aside."""
    q = _segment_start(p, k)
    if q is None:
        return None
    if _bare_name(p, q, k):
        before = back(p, q - 1) if q - 1 >= p.lo else None
        if before is not None and any(p.flags[x] & (OFFICE | ORG) or p.toks.acr[x]
                                      for x in range(before[0], before[1] + 1)):
            return before[0], k, None
        return None if before is None else (before[0], before[1], None)
    end, aside = q - 1, (q, k)
    for _ in range(MAX_ASIDES - 1):
        start = _segment_start(p, end)
        if (start is None or start - 1 < p.lo or not p.is_name_word(start - 1)
                or not p.flags[start] & (OFFICE | DET) or not _description(p, start, end)):
            break  # "Alex Spiro, pengacara pribadi Elon Musk, pemilik …": Spiro's aside
        end, aside = start - 1, (start, end)
    return None, end, aside


def aside_body(p: Phrase, i: int, j: int) -> tuple[int, int] | None:
    """The body the office in an aside speaks for ("juru bicara **Microsoft**", "एक
    **Microsoft** प्रवक्ता", "director of **IDPH**"); None without an office, for a stand-in
    ("pengacara pribadi Elon Musk": a lawyer speaks for no one but his client's case), or when
    the aside names a person ("a close ally of former President Donald Trump")."""
    span = _trim(p, i, j)
    if span is None or not any(p.flags[x] & ROLE for x in range(span[0], span[1] + 1)):
        return None
    found = _read(p, *span)
    if found is None or found.kind not in ("office", "person"):
        return None
    if found.kind == "office":
        body = found.principal or _body(p, *span)
        if body is not None and p.toks.poss[body[1]] and not any(
                p.toks.acr[x] or p.flags[x] & ORG for x in range(body[0], body[1] + 1)):
            return None  # "Putin's spokesman": a person's, most likely; he speaks for himself
        return body
    last = max(x for x in range(span[0], found.first) if p.flags[x] & (ROLE | STAND)) \
        if any(p.flags[x] & (ROLE | STAND) for x in range(span[0], found.first)) else None
    if (last is not None and p.rules.principal_after_role and p.flags[last] & ROLE
            and last == found.first - 1):  # "juru bicara Microsoft": his body, or his boss
        return found.first, found.last
    return None


def _segment_start(p: Phrase, k: int) -> int | None:
    """The first word of the stretch set off by a comma that ends at word ``k``."""
    q = k
    while q > p.lo and k - q < ASIDE_WORDS and "," not in p.gap(q):
        q -= 1
    if q <= p.lo or "," not in p.gap(q):
        return None
    return q


def _bare_name(p: Phrase, i: int, j: int) -> bool:
    """Whether words ``i..j`` are a name, after titles at most ("Widhiarso Nugroho", "Jenderal
    Oscar Arriola")."""
    while i < j and p.flags[i] & TITLE and not p.flags[i] & (ROLE | STAND) and p.joined(i + 1):
        i += 1
    return j - i < 4 and all(p.is_name_word(x) for x in range(i, j + 1)) and all(
        p.joined(x) and not p.two_names(x - 1, x) for x in range(i + 1, j + 1))


def _description(p: Phrase, i: int, j: int) -> bool:
    """Whether words ``i..j`` set off by commas describe the one named before them: words that
    are no name ("a school safety consultant", "pemilik media sosial Twitter"), an office or
    stand-in ("Putin's spokesman", "एक Microsoft प्रवक्ता"), not a titled name ("Dr. Diane
    Joseph-McCarthy")."""
    toks, flags = p.toks, p.flags
    if not (toks.cap[i] or toks.deva[i] or toks.acr[i] or toks.text[i][0].isdigit()):
        return True
    if any(flags[x] & (ROLE | STAND) for x in range(i, j + 1)):
        return True
    if any(flags[x] & TITLE for x in range(i, j + 1)):
        found = _read(p, i, j)
        return found is None or found.kind != "person"
    return False


def speakers(p: Phrase, i: int, j: int) -> list[Found]:
    """Who the phrase ``i..j`` names: one ``Found`` per speaker of a joint phrase."""
    out = []
    for a, b in _parts(p, i, j):
        found = _read(p, a, b)
        if found is not None:
            out.append(found)
    return out


def _parts(p: Phrase, i: int, j: int) -> list[tuple[int, int]]:
    """A joint phrase split at its connectors ("Biden and Macron"), unless it is one body's
    name ("Kementerian Hukum dan HAM", "Deputi Penindakan dan Eksekusi")."""
    if any(p.flags[k] & ORG for k in range(i, j + 1)):
        return [(i, j)]
    parts = []
    start = i
    for k in range(i + 1, j):
        if p.flags[k] & CONN and p.is_name_word(k - 1) and (
            p.is_name_word(k + 1) or p.flags[k + 1] & OFFICE
        ):
            parts.append((start, k - 1))
            start = k + 1
    parts.append((start, j))
    return [t for a, b in parts if (t := _trim(p, a, b)) is not None]


def _read(p: Phrase, i: int, j: int) -> Found | None:
    """One part of a speaker phrase as a person, an organisation, an office or a title."""
    flags, toks = p.flags, p.toks
    for k in range(i, j + 1):  # whose words: "Microsoft's statement", "pernyataan KPK"
        if flags[k] & STMT and not flags[k] & OFFICE:
            if k > i and (toks.poss[k - 1] or (k == j and (toks.cap[k - 1] or toks.acr[k - 1])
                                                and not toks.cap[k] and not toks.deva[k])):
                j = k - 1  # ("according to the FAA release")
            elif k == i and k < j:
                i = k + 1
            break
    while j > i and flags[j] & HON:
        j -= 1
    if all(flags[k] & (STMT | DET | FIRST) for k in range(i, j + 1)):
        return None  # "एक पत्र के अनुसार", "according to a statement": whose, unsaid
    r = j
    while (r >= i and p.is_name_word(r) and not (r < j and toks.poss[r])
           and (r == j or (p.joined(r + 1) and not p.two_names(r, r + 1)))):
        r -= 1
        q = r  # particles inside the name: "Ursula von der Leyen"
        while q >= i and flags[q] & PART and not toks.cap[q]:
            q -= 1
        if q < r and q >= i and p.is_name_word(q):
            r = q
    name_first = r + 1
    if (name_first + 1 <= j and name_first - 2 >= i and flags[name_first - 1] & LINK
            and flags[name_first - 2] & (TITLE | ROLE)):
        name_first += 1  # "Prime Minister of Ukraine Oleksiy Honcharuk": Ukraine is the office's
    if i < name_first <= j and flags[name_first - 1] & ORG and p.joined(name_first):
        name_first = j + 1  # "Lembaga Penjamin Simpanan": the words name the body
    if name_first > j:  # no name of its own
        if all(flags[k] & (OFFICE | COMP) for k in range(i, j + 1)):
            # "the minister said", "kata Menteri Keuangan": who, the article may tell
            return Found("title", i, j, titles=_titles(p, i, j + 1))
        offices = [k for k in range(i, j + 1) if flags[k] & (ROLE | STAND)]
        body = _body(p, i, j)
        if offices:  # an official speaks for a body; a stand-in ("Trump administration") not
            return Found("office", i, j, body if any(flags[k] & ROLE for k in offices) else None)
        if body is not None or any(flags[k] & ORG or toks.acr[k] for k in range(i, j + 1)):
            return Found("org", _skip_titles(p, i, j), j)
        return Found("org", i, j)
    before = range(i, name_first)
    offices = [k for k in before if flags[k] & (ROLE | STAND) and not _office_part(p, i, k)]
    if not offices and _in_org_name(p, i, name_first):
        return Found("org", _skip_titles(p, i, j), j)  # "Centers for Disease Control and …"
    led = name_first > i and bool(flags[name_first - 1] & (OFFICE | COMP))
    if not offices:
        if any(toks.poss[k] for k in before):
            return Found("org", i, j)  # "Moody's Analytics", "McDonald's Corp"
        return Found("person", name_first, j, None, led, _titles(p, i, name_first))
    last_office = offices[-1]
    body = _body(p, i, name_first - 1)
    if (p.rules.principal_after_role and flags[last_office] & STAND
            and last_office == name_first - 1):
        return Found("office", i, j)  # "Pengacara Jokowi", "Juru Bicara Prabowo": his lawyer
    if (flags[last_office] & STAND and not flags[last_office] & ROLE and body is None
            and (p.rules.principal_after_role or toks.poss[name_first - 1])):
        return Found("office", i, j)
    if body is not None and not any(flags[k] & ROLE for k in offices) and not any(
            toks.acr[k] or flags[k] & ORG for k in range(body[0], body[1] + 1)):
        body = None  # "pengacara Lisa Mariana, Jhony …": a stand-in speaks for no one
    led = led or (body is not None and body[1] == name_first - 1 and p.joined(name_first))
    return Found("person", name_first, j, body, led, _titles(p, i, name_first))


def _office_part(p: Phrase, i: int, k: int) -> bool:
    """Whether a stand-in word at ``k`` only continues the office before it ("Sekretaris
    **Kabinet** Teddy": the cabinet secretary, not someone standing in for a cabinet)."""
    f = p.flags
    return (bool(f[k] & COMP) and not f[k] & ROLE and k > i
            and bool(f[k - 1] & (TITLE | ROLE)) and p.joined(k))


def _in_org_name(p: Phrase, i: int, name_first: int) -> bool:
    """Whether the name from ``name_first`` ends an organisation's name begun before it with
    an organisation word and linked to it ("Centers for Disease Control and Prevention",
    "Ministry of Defense"), not a person named after a body ("Polres Bogor AKP Teguh")."""
    orgs = [k for k in range(i, name_first) if p.flags[k] & ORG
            and (p.toks.cap[k] or p.toks.deva[k])]
    if not orgs:
        return False
    between = range(orgs[-1] + 1, name_first)
    return any(p.flags[k] & (LINK | CONN) for k in between) and all(
        p.flags[k] & (LINK | CONN) or p.is_name_word(k) for k in between)


def _titles(p: Phrase, i: int, j: int) -> tuple[str, ...]:
    return tuple(p.toks.norm[k] for k in range(i, j) if p.flags[k] & (TITLE | ROLE))


def _skip_titles(p: Phrase, i: int, j: int) -> int:
    """Past the titles opening an organisation's phrase, unless they name the body with the
    organisation word after them ("the **Health** Ministry", "**स्वास्थ्य** मंत्रालय")."""
    toks = p.toks
    while i < j and p.flags[i] & TITLE and not p.flags[i] & ORG and not (
            (toks.cap[i] or toks.deva[i]) and _org_next(p, i)):
        i += 1  # ("the state Department of Health": "state" is no part of the name)
    return i


def _body(p: Phrase, i: int, j: int) -> tuple[int, int] | None:
    """The body named among words ``i..j`` (beside an office): the last run of acronyms,
    capitalised or Devanagari words and organisation words ("KPK" in "Plt Deputi Penindakan
    dan Eksekusi KPK", "Putin" in "Putin's spokesman", "IM57+ Institute")."""
    best = None
    k = j
    while k >= i:
        if _bodily(p, k):
            end = k
            while k - 1 >= i and _bodily(p, k - 1) and p.joined(k) and not p.toks.poss[k - 1]:
                k -= 1
            best = (k, end)
            if p.toks.acr[end] or p.flags[end] & ORG or end == j or p.toks.poss[end]:
                while end + 1 <= j and p.toks.cap[end + 1] and p.joined(end + 1) \
                        and not p.flags[end + 1] & (ROLE | STAND):
                    end += 1  # "Badan Gizi Nasional": the body's whole name
                return (k, end)
        k -= 1
    return best


def _bodily(p: Phrase, k: int) -> bool:
    toks, f = p.toks, p.flags[k]
    if k + 1 < p.hi and p.gap(k + 1) in ("-", "‑"):
        return False  # "co-chairman"
    if f & ROLE or (f & STAND and not (toks.deva[k] and _org_next(p, k))):
        return False  # ("परिवार कल्याण मंत्रालय": a word of the body's name)
    if f & (TITLE | COMP | NOTNAME | TIME | PART | LINK | CONN | HON | STOP | DET):
        return bool(f & ORG) or ((toks.cap[k] or toks.deva[k]) and _org_next(p, k))
    return (toks.acr[k] or toks.cap[k] or toks.deva[k] or bool(f & ORG)
            or (toks.text[k][0].isdigit() and k > 0))


def _org_next(p: Phrase, k: int) -> bool:
    """Whether the words from ``k`` run into an organisation word ("World Health Organization",
    "State Department", "स्वास्थ्य एवं परिवार कल्याण मंत्रालय"): then the words are the body's name."""
    toks = p.toks
    while k + 1 < p.hi and p.joined(k + 1):
        n = k + 1
        f = p.flags[n]
        if f & ORG:
            return True
        if not f & CONN and (f & (STOP | BOUND) or not (
                toks.cap[n] or (toks.deva[n] and toks.deva[k]))):
            return False
        k = n
    return False
