"""One sentence read for statements: its cues, the speaker phrase beside each, what was said.

A cue's shape (``cues.SHAPES``) says where its speaker stands:

- ``speaker_verb``: before the verb, with a few gap words ("Trump has also said"), an aside
  ("Peskov, Putin's spokesman, said"), or the language's marker ("मोदी ने … कहा");
- ``verb_speaker``: after the verb, which follows a quote or a comma ('"…," kata Prabowo');
- ``phrase_speaker``: after a phrase ("according to X", "menurut X", "dibenarkan oleh X");
- ``speaker_phrase``: before a phrase ("X के अनुसार", "X का कहना है").

A negated verb ("Putin has never acknowledged") makes no statement; a pronoun speaker ("he
said", "ujarnya", "उन्होंने कहा") is resolved later, in the article.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from index.ingest.passages import split_sentences
from index.statements.cues import (
    GAP,
    HON,
    NEG,
    ORG,
    PRON,
    ROLE,
    STAND,
    TIME,
    TITLE,
    Cue,
    Rules,
    fold,
    folds_in_place,
)
from index.statements.names import spelled_letters
from index.statements.phrases import (
    Found,
    Phrase,
    Toks,
    apposed,
    aside_body,
    back,
    flags_of,
    forward,
    speakers,
)
from index.statements.quotes import QUOTE_MARKS, quote_spans

__all__ = ["MIN_QUOTE_WORDS", "PASSAGE_SPAN", "Passage", "Raw", "Sentence", "read_sentence"]

MIN_QUOTE_WORDS = 5  # a shorter quote is a phrase quoted, not direct speech ("'game changer'")
PASSAGE_SPAN = 10_000  # ``Sentence.order``: passage index * PASSAGE_SPAN + sentence number
_QUOTE_OR_COMMA = frozenset(QUOTE_MARKS + ",")


@dataclass(slots=True)
class Raw:
    """A statement before its speaker is resolved within the article."""

    order: int  # the sentence's place in the article (``Sentence.order``)
    position: int
    sentence: tuple[int, int]
    mention: tuple[int, int]
    name: str  # the words naming the speaker (for a pronoun: the pronoun)
    kind: str  # "person", "org", "office", "title" (see ``phrases``) or "pronoun"
    cue: str
    content: tuple[int, int]
    lang: str
    principal: str | None = None  # the body an office speaks for, as written
    principal_org: bool | None = None  # True: surely an organisation; None: ask the article
    verb: int = 0  # where the cue is (an offset into the passage)
    quoted: bool = False  # the content is a quote of ``MIN_QUOTE_WORDS`` or more
    led: bool = False  # the name follows an office or title ("Sekjen Gerindra Sugiono")
    titles: tuple[str, ...] = ()  # titles and offices named with a person ("minister")
    nests: bool = False  # the content holds others' words as relayed ("according to A, X …")
    subject: str | None = None  # a pronoun's sentence opens with this name


class Passage:
    """A passage of the article; its sentences are made when first needed."""

    __slots__ = ("_folded", "_holds", "_in_place", "_sentences", "index", "lang", "position",
                 "rules", "text")

    def __init__(self, index: int, position: int, text: str, lang: str, rules: Rules) -> None:
        self.index, self.position, self.text, self.lang, self.rules = (
            index, position, text, lang, rules)
        self._sentences: list[Sentence] | None = None
        self._folded: str | None = None  # the text as ``Rules.cue_words_in`` reads it
        self._in_place = False  # whether folding kept every character in its place
        self._holds: bool | None = None

    def may_hold(self) -> bool:
        """Whether the passage may hold a cue (``Rules.cue_words_in``; a quick test before
        reading it)."""
        if self._holds is None:
            self._holds = self.rules.cue_words_folded(self._fold())
        return self._holds

    def part_may_hold(self, start: int, end: int) -> bool:
        """``may_hold`` of the text ``start..end`` (a sentence): a slice of the passage's folded
        text when folding kept every character in its place (``cues.folds_in_place``), rather
        than the part folded again."""
        folded = self._fold()
        if self._in_place:
            return self.rules.cue_words_folded(folded[start:end])
        return self.rules.cue_words_in(self.text[start:end])

    def _fold(self) -> str:
        if self._folded is None:
            self._folded = fold(self.text)
            self._in_place = folds_in_place(self.text, self._folded)
        return self._folded

    @property
    def split(self) -> bool:
        """Whether its sentences have been made (read, or looked at around a quote)."""
        return self._sentences is not None

    def forget(self) -> None:
        """Drop the sentences made (``Article.release``)."""
        self._sentences = None

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            self._sentences = [Sentence(self, n, span)
                               for n, span in enumerate(split_sentences(self.text))]
        return self._sentences


class Sentence:
    """A sentence of a passage; its words and their flags are made when first needed."""

    __slots__ = ("_flags", "_quotes", "_toks", "number", "passage", "raws", "span")

    def __init__(self, passage: Passage, number: int, span: tuple[int, int]) -> None:
        self.passage, self.number, self.span = passage, number, span
        self.raws: list[Raw] = []
        self._toks: Toks | None = None
        self._flags: list[int] | None = None
        self._quotes: list[tuple[int, int]] | None = None

    @property
    def order(self) -> int:
        """Its place in the article (passages ``PASSAGE_SPAN`` apart)."""
        return self.passage.index * PASSAGE_SPAN + self.number

    @property
    def toks(self) -> Toks:
        if self._toks is None:
            self._toks = Toks(self.passage.text, *self.span)
        return self._toks

    @property
    def flags(self) -> list[int]:
        if self._flags is None:
            self._flags = flags_of(self.toks, self.passage.rules)
        return self._flags

    @property
    def quotes(self) -> list[tuple[int, int]]:
        """The sentence's quotes (``quote_spans``; not to be changed)."""
        if self._quotes is None:
            self._quotes = quote_spans(self.passage.text, *self.span)
        return self._quotes

    def may_hold(self) -> bool:
        """Whether any word of the sentence may begin a cue (a quick test before reading)."""
        passage = self.passage
        start, end = self.span
        if not passage.text[:start].strip() and not passage.text[end:].strip():
            return passage.may_hold()  # the whole passage (its only sentence): the same words
        return passage.part_may_hold(start, end)

    def phrase(self, lowered: Container[str], title_case: bool = False) -> Phrase:
        return Phrase(self.passage.text, self.toks, self.flags, 0, len(self.toks),
                      self.passage.rules, lowered, title_case)


def read_sentence(
    sentence: Sentence, lowered: Container[str], title_case: bool = False
) -> list[Raw]:
    """The statements of one sentence. ``lowered``: words the article writes in lower case,
    not names when capitalised to open a sentence (or, with ``title_case``, anywhere: a
    headline's "Trump Kecam Elon Musk Bikin Partai Baru")."""
    if not sentence.may_hold():
        return []
    hits = _cue_hits(sentence, title_case)
    if not hits:
        return []
    phrase = sentence.phrase(lowered, title_case)
    found: list[Raw] = []
    taken: set[int] = set()
    for i, size, cue, pronoun in hits:
        if i in taken:
            continue
        raws = _at_cue(sentence, phrase, i, size, cue, pronoun)
        if raws:
            found.extend(raws)
            taken.update(range(i, i + size))
    return _outermost(found, sentence.passage.text)


def _cue_hits(sentence: Sentence, title_case: bool = False) -> list[tuple[int, int, Cue, bool]]:
    """``(word, size, cue, pronoun)`` for each cue phrase of a sentence, longest first per
    word; ``pronoun`` when the verb carries its speaker as a suffix ("ujarnya")."""
    rules = sentence.passage.rules
    normed = sentence.toks.norm
    starts = rules.cue_starts
    first = rules.first_words
    suffixed = rules.suffixed_cues
    hits = []
    caps = sentence.toks.cap if rules.capitalised and not title_case else None
    found = [k for k, word in enumerate(normed) if word in starts]  # (most words are not)
    for i in found:
        word = normed[i]
        if caps is not None and i and caps[i]:
            continue  # "the United States": a capitalised word mid-sentence is a name
        if word in first:
            for phrase, cue in rules.cues_by_first[word]:
                if tuple(normed[i : i + len(phrase)]) == phrase:
                    hits.append((i, len(phrase), cue, False))
        else:  # a verb with a pronoun suffix
            hits.extend((i, 1, cue, True) for cue in suffixed[word])
    return hits


def _outermost(raws: list[Raw], text: str) -> list[Raw]:
    """Drop statements inside another's words (relayed speech: "Biden said Putin told him",
    "according to Peskov, Putin agreed", a name inside a quote) and repeats of one speaker.
    A reported clause ends at a comma: "Setelah Musk mengkritik RUU itu, Trump mengancam …" is
    two statements."""
    out: list[Raw] = []
    seen: set[str] = set()
    pronouns = [raw.verb for raw in raws if raw.kind == "pronoun"]
    for raw in raws:
        if raw.cue == "according_to" and any(verb < raw.verb for verb in pronouns):
            continue  # '"…," ujarnya seperti dikutip dari Reuters': the medium relays
        inside = any(
            other is not raw and other.content[0] <= raw.mention[0] < other.content[1]
            and not other.content[0] <= other.mention[0] < other.content[1]
            and (other.nests or "," not in text[min(other.verb, raw.mention[0]):
                                                max(other.verb, raw.mention[0])])
            for other in raws
        )
        if inside or raw.name in seen:
            continue
        seen.add(raw.name)
        out.append(raw)
    return out


def _at_cue(
    sentence: Sentence, p: Phrase, i: int, size: int, cue: Cue, pronoun: bool
) -> list[Raw]:
    """The statements a cue at word ``i`` (``size`` words) makes, by its shape."""
    toks, flags, rules = p.toks, p.flags, p.rules
    if pronoun:
        return [_pronoun(sentence, i, cue, i)]
    span: tuple[int, int] | None = None
    aside: tuple[int, int] | None = None
    if cue.shape == "speaker_verb":
        end = _speaker_end(p, i, cue)
        if end is None:
            return []
        k, set_off = end
        if k < 0:  # a pronoun: "he said", "उन्होंने कहा"
            return [_pronoun(sentence, -k - 1, cue, i)]
        if set_off:  # "Peskov, Putin's spokesman, said", "Kasi Intel Kejari, Widhiarso, …"
            apposition = apposed(p, k)
            if apposition is None:
                return []
            first, last, aside = apposition
            span = (first, last) if first is not None else (_bracketed(p, last)
                                                            or back(p, last))
        else:
            span = _bracketed(p, k) or back(p, k)
            if (span is not None and span[0] - 1 > p.lo and p.gap(span[0]).isspace()
                    and toks.norm[span[0] - 1] in rules.capacities):
                aside = span  # "Siti Zuhro sebagai perwakilan Majelis …": in that capacity
                span = back(p, span[0] - 2)
        if (span is not None and span[0] > p.lo and p.gap(span[0]).isspace()
                and toks.norm[span[0] - 1] in rules.prepositions):
            return []  # "a ceremony in Edinburgh proclaimed": Edinburgh is no subject
    elif cue.shape in ("verb_speaker", "phrase_speaker"):
        if cue.after_quote and not _after_quote(p, i):
            return []
        if i > p.lo and toks.norm[i - 1] in rules.relatives:
            return []  # "poin yang disampaikan JPU": points, named, not a statement
        j = i + size
        if j >= p.hi or not p.gap(j).isspace():  # "Pada saat diumumkan, KPK menyebut"
            return []
        if flags[j] & PRON:
            return [_pronoun(sentence, j, cue, i)]
        span = forward(p, j, cue.clause_end)
    elif cue.shape == "speaker_phrase":
        if i - 1 < p.lo:
            return []
        if flags[i - 1] & PRON or toks.norm[i - 1] in rules.marked_pronouns:
            return [_pronoun(sentence, i - 1, cue, i)]
        span = back(p, i - 1)
    if span is None:
        return []
    if _described(p, span):  # "Politikus Partai Golkar ini menyebut": the one just named
        return [_pronoun(sentence, span[0], cue, i)]
    content, quoted = _content(sentence, p, cue, i, size, span)
    mention = toks.start[span[0]]
    if any(a <= mention < b for a, b in sentence.quotes):
        return []  # '"… Musk had warned investors …," wrote an analyst': quoted, not speaking
    out = []
    body = aside_body(p, *aside) if aside is not None else None
    for found in speakers(p, *span):
        raw = _raw(sentence, p, found, cue.name, content)
        raw.verb, raw.quoted = toks.start[i], quoted
        raw.nests = quoted or cue.shape in ("phrase_speaker", "speaker_phrase")
        if body is not None and raw.kind == "person" and raw.principal is None:
            raw.principal, raw.principal_org = _principal(p, *body)  # "Frank Shaw, juru
            #   bicara Microsoft, mengonfirmasi": he speaks for Microsoft
        out.append(raw)
    return out


def _described(p: Phrase, span: tuple[int, int]) -> bool:
    """Whether a speaker phrase is a description pointing back with a demonstrative
    ("**Politikus Partai Golkar** ini menyebut", "Menurut **Wakil Ketua Umum PAN** ini"): the
    person named before speaks, not the party."""
    after = span[1] + 1
    return (after < p.hi and p.toks.norm[after] in p.rules.demonstratives
            and p.gap(after).isspace() and bool(p.flags[span[0]] & (TITLE | ROLE | STAND)))


def _speaker_end(p: Phrase, i: int, cue: Cue) -> tuple[int, bool] | None:
    """The last word of the speaker phrase before the verb at ``i`` (``-k - 1`` for a pronoun
    at word ``k``), and whether a comma sets it off from the verb (an aside: "Peskov, Putin's
    spokesman, said"); None when there is none (or the verb is negated)."""
    toks, flags, rules = p.toks, p.flags, p.rules
    if cue.marked:
        for k in range(i - 1, max(p.lo, i - 1 - cue.gap) - 1, -1):
            word = toks.norm[k]
            if word in rules.marked_pronouns:
                return -k - 1, False
            if word in rules.marker:
                if any(flags[x] & NEG for x in range(k + 1, i)):
                    return None
                if k - 1 < p.lo:
                    return None
                return _degrees(p, k - 1), "," in p.gap(k)  # "फ्रैंक शॉ, एक … प्रवक्ता, ने"
            if word in rules.complementizers:
                return None
        end = _unmarked(p, i)
        return None if end is None else (end, False)
    k = i - 1
    skipped = 0
    while k >= p.lo and skipped < cue.gap and (
        flags[k] & (GAP | TIME | NEG) or toks.text[k][0].isdigit()
    ) and "," not in p.gap(k + 1):
        if flags[k] & NEG:
            return None
        k -= 1
        skipped += 1
    if k < p.lo or toks.poss[k]:  # "Trump's recently announced platform"
        return None
    if flags[k] & PRON:
        return -k - 1, False
    named = _degrees(p, k)  # "Itida Yasar, SH, MPsi, menilai": the degrees set off, not her
    if named != k:
        return named, False
    if "," in p.gap(k + 1):
        if k + 1 < i and toks.norm[k + 1] in ("who", "yang"):
            return k, False  # "… Trump, who said"
        return k, True
    return k, False


def _degrees(p: Phrase, k: int) -> int:
    """The word before the academic degrees written after a name ("Itida Yasar, SH, MPsi")."""
    toks = p.toks
    while k > p.lo and p.flags[k] & HON and not toks.deva[k] and (toks.acr[k] or toks.cap[k]):
        k -= 1
        if k > p.lo and len(toks.text[k]) == 1 and p.gap(k + 1) == ".":
            k -= 1  # "M.Epid", "S.Sos"
    return k


def _bracketed(p: Phrase, k: int) -> tuple[int, int] | None:
    """The name before a bracketed short form ending at word ``k``: "the World Health
    Organization (WHO) said" is the World Health Organization's."""
    toks = p.toks
    if k - 1 < p.lo or not p.gap(k).rstrip().endswith("("):
        return None
    if not (toks.acr[k] or spelled_letters(toks.text[k])):
        return None
    if not p.text[toks.end[k] :].lstrip().startswith(")"):
        return None
    return back(p, k - 1)


def _unmarked(p: Phrase, i: int) -> int | None:
    """A titled speaker right before a verb that lacks the marker ("दिल्ली के मुख्यमंत्री अरविंद
    केजरीवाल बुधवार को ऐलान किया"): only time words may stand between."""
    k = i - 1
    while k >= p.lo and i - k <= 3 and p.flags[k] & TIME:
        k -= 1
    if k < p.lo or not p.is_name_word(k):
        return None
    span = back(p, k)
    if span is None or not any(p.flags[x] & TITLE for x in range(span[0], span[1] + 1)):
        return None
    return k


def _after_quote(p: Phrase, i: int) -> bool:
    """Whether the verb at word ``i`` follows a quote or a comma ('"…," said Trump')."""
    before = p.text[p.toks.end[i - 1] : p.toks.start[i]] if i > p.lo else ""
    return not _QUOTE_OR_COMMA.isdisjoint(before)


def _content(
    sentence: Sentence, p: Phrase, cue: Cue, i: int, size: int, span: tuple[int, int]
) -> tuple[tuple[int, int], bool]:
    """What was said: the quote next to the cue (and whether it is direct speech), else the
    clause the cue introduces (and False)."""
    start, end = sentence.span
    toks = p.toks
    mention = toks.start[span[0]]
    quotes = [q for q in sentence.quotes if not q[0] <= mention < q[1] and q[1] - q[0] > 3]
    if quotes:
        verb = toks.start[i]
        quote = min(quotes, key=lambda q: min(abs(q[0] - verb), abs(q[1] - verb)))
        return quote, len(p.text[quote[0] : quote[1]].split()) >= MIN_QUOTE_WORDS
    if cue.shape in ("speaker_verb", "speaker_phrase"):
        j = i + size
        while j < p.hi and toks.norm[j] in p.rules.complementizers:
            j += 1
        a = toks.start[j] if j < p.hi else end
        return ((a, end) if a < end else (start, end)), False
    if cue.shape == "verb_speaker":
        return ((start, toks.start[i]) if toks.start[i] > start else (start, end)), False
    # a phrase before its speaker: "Menurut X, …" says what follows; "… dibenarkan oleh X"
    if toks.start[i] == start or (i > p.lo and toks.start[i - 1] == start):
        a = toks.start[span[1] + 1] if span[1] + 1 < p.hi else end
        return ((a, end) if a < end else (start, end)), False
    return (start, toks.start[i]), False


def _pronoun(sentence: Sentence, k: int, cue: Cue, i: int) -> Raw:
    """A statement by the pronoun at word ``k`` (the cue at word ``i``). A name opening the
    sentence before the pronoun is its subject ("Lorraine Pompana was six when she was taken,
    she told CNN"); else the article gives the speaker just before."""
    passage, toks = sentence.passage, sentence.toks
    raw = Raw(sentence.order, passage.position, sentence.span, (toks.start[k], toks.end[k]),
              toks.text[k], "pronoun", cue.name, sentence.span, passage.lang,
              verb=toks.start[i])
    if passage.rules.capitalised and k > 1 and not any(
            a <= toks.start[0] < b for a, b in sentence.quotes):
        #   ('"Tujuan Projab ini …," ujarnya': the words opening the sentence are quoted)
        p = sentence.phrase(())
        end = 0
        while end < k and p.is_name_word(end) and (end == 0 or p.joined(end)):
            end += 1
        if end >= 2:
            raw.subject = passage.text[toks.start[0] : toks.end[end - 1]]
    return raw


def _raw(sentence: Sentence, p: Phrase, found: Found, cue: str,
         content: tuple[int, int]) -> Raw:
    toks = p.toks
    a, b = toks.start[found.first], toks.end[found.last]
    principal: str | None = None
    principal_org: bool | None = None
    if found.principal is not None and found.kind in ("office", "person"):
        principal, principal_org = _principal(p, *found.principal)
    name = p.text[a:b]
    if toks.poss[found.last] and name.endswith(("'s", "’s")):
        name = name[:-2]
    passage = sentence.passage
    return Raw(sentence.order, passage.position, sentence.span, (a, b), name, found.kind, cue,
               content, passage.lang, principal, principal_org, led=found.led,
               titles=found.titles)


def _principal(p: Phrase, x: int, y: int) -> tuple[str, bool | None]:
    """The body named by words ``x..y`` (``Raw.principal``), and True when it is surely an
    organisation (an acronym, an organisation word), else None (the article decides)."""
    toks = p.toks
    name = p.text[toks.start[x] : toks.end[y]]
    if toks.poss[y] and name.endswith(("'s", "’s")):
        name = name[:-2]
    org = any(toks.acr[k] or p.flags[k] & ORG or spelled_letters(toks.text[k])
              for k in range(x, y + 1))
    return name, (True if org else None)
