"""What one article knows: its passages, read, and the names and titles it gives.

``Article.read`` reads each passage with a cue word (``reading``) and then gives a quote whose
attribution sits in the sentence before or after it to that speaker. The rest answers the
questions resolution asks about the whole article: the fuller names it gives a one-word name
(``known``), who it last named with a title (``titled``), whether a capitalised word is only a
sentence opener (``in``), whether a word names a body (``body_word``, ``alone``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from index.statements.cues import COMP, ORG, ROLE, TITLE, is_related, norm, rules_for
from index.statements.names import name_key
from index.statements.quotes import QUOTE_MARKS, has_quote
from index.statements.reading import PASSAGE_SPAN, Passage, Raw, Sentence, read_sentence

__all__ = ["Article", "Known"]

QUOTE_REACH = 4  # sentences of one quote before its attribution


class Article:
    """The passages of one article, and what resolution needs to know about all of them."""

    def __init__(self, passages: Sequence[tuple[int, str, str]]) -> None:
        self.passages: list[Passage] = []
        for position, text, lang in passages:
            rules = rules_for(lang)
            if rules is not None and text.strip() and not is_related(text):
                self.passages.append(Passage(len(self.passages), position, text, lang, rules))
        self._lowered: dict[str, bool] = {}
        self._known: dict[str, list[Known]] = {}
        self._bodies: dict[str, bool] = {}  # body_word, memoised
        self._body_words: dict[tuple[str, ...], int] = {}  # body_words, memoised
        self._sentence_runs: dict[int, list[Known]] = {}  # _runs_of, by Sentence.order
        self.speaking: list[Known] = []  # names of several words the statements' speakers have

    def __contains__(self, word: object) -> bool:
        """Whether the article writes ``word`` (casefolded) in lower case somewhere: then it
        is no name when capitalised to open a sentence ("Perseteruan Trump-Musk …")."""
        if not isinstance(word, str):
            return False
        hit = self._lowered.get(word)
        if hit is None:
            hit = self._lowered[word] = any(_written_lower(p.text, word) for p in self.passages)
        return hit

    def body_word(self, words: str) -> bool:
        """Whether the article names a body or place with ``words`` ("Partai Gerindra",
        "Kabupaten Bandung"): they follow an organisation or place word somewhere."""
        hit = self._bodies.get(words)
        if hit is None:
            hit = self._bodies[words] = self._body_word(words)
        return hit

    def _body_word(self, words: str) -> bool:
        for passage in self.passages:
            rules = passage.rules
            at = passage.text.find(words)
            while at >= 0:
                before = passage.text[max(0, at - 30) : at].split()
                if before and (norm(before[-1]) in rules.org_words
                               or norm(before[-1]) in rules.place_words):
                    return True
                at = passage.text.find(words, at + 1)
        return False

    def titled(self, word: str, order: int) -> str | None:
        """The person the article last named after the title ``word`` (normalised) before the
        sentence ``order``: "Finance Minister Sri Mulyani" for a later "the minister said"."""
        found = None
        for passage in self.passages:
            if passage.index * PASSAGE_SPAN > order:
                break
            if word not in passage.text.casefold():
                continue
            for sentence in passage.sentences:
                if sentence.order >= order:
                    break
                toks, flags = sentence.toks, sentence.flags
                p = sentence.phrase(self)
                for k, w in enumerate(toks.norm):
                    if w != word or not flags[k] & (TITLE | ROLE):
                        continue
                    j = k + 1
                    while j < len(toks) and flags[j] & (TITLE | ROLE | COMP) and p.joined(j):
                        j += 1
                    if j >= len(toks) or not (p.joined(j) or p.gap(j).strip() == ")"):
                        continue  # "menurut jaksa, Sri …": the title names no one here
                    #   ("मुख्य चिकित्सा अधिकारी (सीएमओ) मुकेश कुमार वत्स": a short form between)
                    end = j
                    while end < len(toks) and p.is_name_word(end) and (end == j or p.joined(end)):
                        end += 1
                    if end > j:
                        found = passage.text[toks.start[j] : toks.end[end - 1]]
        return found

    def introduced(self, surface: str, fuller: str) -> bool:
        """Whether the article's first use of the word ``surface`` is within ``fuller`` (it
        introduces "Kenneth Trump" before calling him "Trump"; not so "Twitter … Twitter Blue",
        a product named after the company first named alone)."""
        for passage in self.passages:
            text = passage.text
            at = _whole_word(text, surface, 0)
            if at < 0:
                continue
            lo = max(0, at - len(fuller))
            hit = text.find(fuller, lo, at + len(fuller) + len(surface))
            return 0 <= hit <= at < hit + len(fuller)
        return False

    def body_words(self, words: Sequence[str]) -> int:
        """How many leading ``words`` of a name after an office are its body's ("Sekjen
        **Gerindra** Sugiono", "Kepala **Dikbud Kendari** Saemina"): the most for which the
        article names a body or place with them ("Partai Gerindra", "Kota Kendari") and uses
        the rest as a name on its own ("Saemina menjelaskan"), or, for one word, writes it
        elsewhere without the name after it. 0 when the name is whole ("Presiden Joe Biden",
        "Kapolri Listyo Sigit Prabowo")."""
        key = tuple(words)
        found = self._body_words.get(key)
        if found is None:
            found = self._body_words[key] = self._count_body_words(words)
        return found

    def _count_body_words(self, words: Sequence[str]) -> int:
        found = 0
        for size in range(1, min(3, len(words) - 1) + 1):
            body, name = words[:size], words[size:]
            named_alone = self.alone(name[0], body[-1]) or (
                len(name) == 2 and self.alone(name[1], name[0]))
            if self.body_word(" ".join(body)) or (self.body_word(body[-1]) and named_alone) or (
                    size == 1 and named_alone and self.followed_otherwise(body[0], name[0])):
                found = size
        return found

    def followed_otherwise(self, word: str, after: str) -> bool:
        """Whether the article writes ``word`` somewhere without ``after`` right after it."""
        for passage in self.passages:
            text = passage.text
            at = _whole_word(text, word, 0)
            while at >= 0:
                rest = text[at + len(word) :].lstrip()
                if not (rest.startswith(after) and (len(rest) == len(after)
                                                    or not _letter(rest[len(after)]))):
                    return True
                at = _whole_word(text, word, at + len(word))
        return False

    def titled_person(self, word: str) -> bool:
        """Whether the article writes the name ``word`` after a person's title that is no
        office ("Presiden Prabowo", "मुख्यमंत्री केजरीवाल"): then a spokesman of ``word``
        speaks for a person, not a body."""
        for passage in self.passages:
            text, rules = passage.text, passage.rules
            at = _whole_word(text, word, 0)
            while at >= 0:
                before = text[max(0, at - 40) : at].split()
                if before and before[-1][-1:].isalpha():
                    flags = rules.word_flags(norm(before[-1]))
                    if flags & TITLE and not flags & (ROLE | ORG):
                        return True
                at = _whole_word(text, word, at + len(word))
        return False

    def alone(self, word: str, before: str) -> bool:
        """Whether the article writes ``word`` somewhere without ``before`` right before it."""
        for passage in self.passages:
            text = passage.text
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                whole = (not at or not text[at - 1].isalnum()) and (
                    end == len(text) or not text[end].isalnum())
                if whole and not text[:at].rstrip().endswith(before):
                    return True
                at = text.find(word, end)
        return False

    def release(self) -> None:
        """Let go of the passages' sentences once the article is resolved: a sentence refers
        to its passage and the passage to its sentences, and without this cycle an article's
        words are freed at once instead of piling up for the garbage collector (whose passes
        over them were a tenth of extraction's time)."""
        for passage in self.passages:
            passage.forget()

    def read(self) -> list[Raw]:
        """The article's statements before resolution, in article order."""
        read = []
        for passage in self.passages:
            if not passage.may_hold():
                continue
            read.append(passage)
            for sentence in passage.sentences:
                sentence.raws = read_sentence(sentence, self)
        self._quotes_around(read)
        return [raw for passage in self.passages if passage.split
                for sentence in passage.sentences for raw in sentence.raws]

    # --- quotes attributed in the next or the previous sentence ---

    def _neighbours(self, passage: Passage, n: int, step: int) -> Iterator[Sentence]:
        """Sentences before (``step`` -1) or after (+1) sentence ``n`` of ``passage``."""
        sentences = passage.sentences
        k = n + step
        index = passage.index
        while True:
            if 0 <= k < len(sentences):
                yield sentences[k]
                k += step
                continue
            index += step
            if not 0 <= index < len(self.passages):
                return
            sentences = self.passages[index].sentences
            k = 0 if step > 0 else len(sentences) - 1

    def _quotes_around(self, read: list[Passage]) -> None:
        """A quote whose attribution is in the sentence after it (cue "quote_prev": '"…." The
        minister said this.', or a quote over several sentences up to '…," kata X') or before
        it (cue "quote_next": 'X said on Monday: "…"')."""
        for passage in read:
            for n, sentence in enumerate(passage.sentences):
                named = [r for r in sentence.raws if r.kind != "pronoun"]
                if not named:
                    continue
                raw = named[0]
                text = passage.text
                start, end = sentence.span
                if _opens_elsewhere(sentence):  # the quote began sentences earlier
                    for count, earlier in enumerate(self._neighbours(passage, n, -1)):
                        if count >= QUOTE_REACH or earlier.raws or not _quoted(earlier):
                            break
                        earlier.raws = [_moved(raw, earlier, "quote_prev")]
                        if _starts_quote(earlier):
                            break
                elif not has_quote(text, start, end):
                    before = next(self._neighbours(passage, n, -1), None)
                    if before is not None and not before.raws and _whole_quote(before):
                        before.raws = [_moved(raw, before, "quote_prev")]
                if text[start:end].rstrip().endswith(":"):
                    after = next(self._neighbours(passage, n, 1), None)
                    if after is not None and not after.raws and _starts_quote(after):
                        after.raws = [_moved(raw, after, "quote_next")]

    # --- names the article gives in full ---

    def known(self, word: str, surface: str) -> list[Known]:
        """The article's names of two or more words with ``word`` (a ``name_key`` token) in
        them, read from the passages where ``surface`` occurs: capitalised runs (Latin) and
        names after a title (Devanagari). A run is not taken when it opens its sentence with a
        word the article writes in lower case ("Perseteruan Trump-Musk"), nor when a hyphen
        joins it to another name (a pair, "Prabowo-Gibran")."""
        hit = self._known.get(word)
        if hit is not None:
            return hit
        out: list[Known] = [entry for entry in self.speaking if word in entry.key]
        for passage in self.passages:
            if surface not in passage.text:
                continue
            for sentence in passage.sentences:
                if _beside_name(passage.text, surface, *sentence.span):
                    out.extend(entry for entry in self._runs_of(sentence) if word in entry.key)
        self._known[word] = out
        return out

    def _runs_of(self, sentence: Sentence) -> list[Known]:
        """Every name of several words a sentence gives (``_runs``), read once: resolution asks
        about one word at a time, often several in one sentence."""
        runs = self._sentence_runs.get(sentence.order)
        if runs is None:
            runs = self._sentence_runs[sentence.order] = list(self._runs(sentence))
        return runs

    def _runs(self, sentence: Sentence) -> Iterator[Known]:
        passage = sentence.passage
        toks, flags = sentence.toks, sentence.flags
        p = sentence.phrase(self)
        count = len(toks)
        k = 0
        while k < count:
            if not p.is_name_word(k) or (toks.deva[k] and not (
                    k > 0 and flags[k - 1] & (TITLE | ROLE))):  # (Devanagari: after a title)
                k += 1
                continue
            j = k
            while (j + 1 < count and p.is_name_word(j + 1) and p.joined(j + 1)
                   and not p.two_names(j, j + 1)  # "कि Microsoft ट्विटर के …": two names
                   and toks.norm[j + 1] != toks.norm[j]  # "Boris Johnson Johnson announces"
                   and not _hyphen(p.gap(j + 1)) and not toks.poss[j]):
                j += 1
            hyphened = (j + 1 < count and _hyphen(p.gap(j + 1))) or (
                k > 0 and _hyphen(p.gap(k)))
            if (passage.rules.principal_after_role and k < j and k > 0
                    and flags[k - 1] & (TITLE | ROLE | COMP)):
                k += self.body_words(toks.text[k : j + 1])  # "Sekjen Gerindra Sugiono": the
                #   office's body, then its holder
            if k < j < k + 4 and not hyphened:
                surface = passage.text[toks.start[k] : toks.end[j]]
                titled = k > 0 and bool(flags[k - 1] & (TITLE | ROLE)) and p.joined(k)
                yield Known(sentence.order, toks.start[k], name_key(surface), surface, titled)
            k = j + 1


@dataclass(frozen=True, slots=True)
class Known:
    """A name of several words the article gives someone, and where."""

    order: int
    start: int  # where in its passage (ties within one sentence)
    key: tuple[str, ...]
    surface: str
    titled: bool = False  # a title or office stands right before it ("Presiden Prabowo Subianto")
    spoken: bool = False  # a statement's speaker ("Laura Bennett said")


def _hyphen(gap: str) -> bool:
    return gap.strip() in ("-", "‑", "–")


def _beside_name(text: str, surface: str, start: int, end: int) -> bool:
    """Whether ``surface`` occurs in ``text[start:end]`` where it may be part of a longer name:
    next to a capitalised word, or anywhere in Devanagari (a quick test before reading)."""
    at = text.find(surface, start, end)
    while at >= 0:
        if "\u0900" <= surface[0] <= "\u097f":
            return True
        before = text[max(start, at - 40) : at].rstrip(" -‑–").rsplit(None, 1)
        after = text[at + len(surface) : min(end, at + len(surface) + 40)].lstrip(" -‑–")
        if (before and before[-1][:1].isupper()) or after[:1].isupper():
            return True
        at = text.find(surface, at + 1, end)
    return False


def _whole_word(text: str, word: str, start: int) -> int:
    """Where ``word`` first occurs in ``text`` from ``start`` as a whole word, or -1."""
    at = text.find(word, start)
    while at >= 0:
        end = at + len(word)
        if (not at or not _letter(text[at - 1])) and (end == len(text) or not _letter(text[end])):
            return at
        at = text.find(word, end)
    return -1


def _letter(ch: str) -> bool:
    return ch.isalnum() or "\u0900" <= ch <= "\u097f"  # Devanagari vowel signs too


def _written_lower(text: str, word: str) -> bool:
    """Whether ``text`` holds ``word`` as a whole word in lower case."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(word)] if at + len(word) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        at = text.find(word, at + 1)
    return False


def _moved(raw: Raw, sentence: Sentence, cue: str) -> Raw:
    start, end = sentence.span
    passage = sentence.passage
    return Raw(sentence.order, passage.position, sentence.span, (start, start), raw.name,
               raw.kind, cue, (start, end), passage.lang, raw.principal, raw.principal_org,
               start, True)


def _opens_elsewhere(sentence: Sentence) -> bool:
    """Whether a sentence closes a quote it did not open ('…," kata X' after '"A. B.')."""
    spans = sentence.quotes
    start = sentence.span[0]
    return bool(spans) and spans[0][0] == start and sentence.passage.text[start] not in QUOTE_MARKS


def _starts_quote(sentence: Sentence) -> bool:
    return sentence.passage.text[sentence.span[0]] in QUOTE_MARKS


def _quoted(sentence: Sentence) -> bool:
    """Whether a sentence may lie inside a quote (opens one, or has no quote mark at all)."""
    start, end = sentence.span
    return _starts_quote(sentence) or not has_quote(sentence.passage.text, start, end)


def _whole_quote(sentence: Sentence) -> bool:
    start, end = sentence.span
    body = sentence.passage.text[start:end].rstrip()
    return bool(body) and body[0] in QUOTE_MARKS and body[-1] in QUOTE_MARKS + "."
