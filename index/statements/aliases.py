"""Other names an article defines: "World Health Organization (WHO)", "Joko Widodo (Jokowi)".

``learn_aliases`` reads a text for a name followed by its short form in brackets (or a short
form followed by the name). The short form is accepted when it is made of the name's words:
their initials ("Komisi Pemberantasan Korupsi (KPK)"), leading letters ("Kejaksaan Agung
(Kejagung)", "Joko Widodo (Jokowi)", "भारतीय जनता पार्टी (भाजपा)"), or Latin letters spelled
out in Devanagari when the name is Hindi ("विश्व स्वास्थ्य संगठन (डब्ल्यूएचओ)"). An acronym that
is not made of the name's words is accepted after a name of two or more capitalised words: a
name translated, its acronym kept ("Organisasi Kesehatan Dunia (WHO)").

``alias_map`` turns the pairs into the mapping ``speaker_matches`` and ``resolve`` take.

>>> learn_aliases("Menurut Organisasi Kesehatan Dunia (WHO), kasus naik.", "id")
[('Organisasi Kesehatan Dunia', 'WHO')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from index.analysis.analyzers import is_acronym
from index.analysis.tokenizers import Word, tokenize
from index.statements.cues import all_rules, norm, rules_for
from index.statements.names import spelled_letters

__all__ = ["alias_map", "learn_aliases"]

MAX_LONG_WORDS = 8  # words of a name before its short form
_CHARS_PER_WORD = 12  # characters first taken per word wanted from the end of a line
_BRACKETS = re.compile(r"\(([^()\n]{2,60})\)")


@cache
def _linking() -> frozenset[str]:
    """Small words inside a long name, in any language ("of", "and", "dan", "और")."""
    return frozenset(w for r in all_rules()
                     for w in r.links | r.connectors | r.determiners | r.particles)


@cache
def _stop(lang: str) -> frozenset[str]:
    rules = rules_for(lang)
    if rules is None:
        return frozenset()
    return rules.stop | rules.not_names | rules.boundaries | rules.first_words


def learn_aliases(text: str, lang: str) -> list[tuple[str, str]]:
    """``(long form, short form)`` pairs the text defines, in text order, each once.

    >>> learn_aliases("the World Health Organization (WHO) said", "en")
    [('World Health Organization', 'WHO')]
    >>> learn_aliases("विश्व स्वास्थ्य संगठन (डब्ल्यूएचओ) ने कहा", "hi")
    [('विश्व स्वास्थ्य संगठन', 'डब्ल्यूएचओ')]
    """
    out: list[tuple[str, str]] = []
    for match in _BRACKETS.finditer(text):
        inner = match.group(1).strip()
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()]
        pair = _defined(before, inner, lang)
        if pair is not None and pair not in out:
            out.append(pair)
    return out


def _defined(before: str, inner: str, lang: str) -> tuple[str, str] | None:
    inner_words = tokenize(inner)
    if not inner_words:
        return None
    if len(inner_words) == 1 and inner_words[0].text == inner.strip(" .,"):
        before, words = _last_words(before, MAX_LONG_WORDS)
        if not words:
            return None
        long_form = _long_form(before, words, inner, lang)
        return (long_form, inner) if long_form else None
    if len(inner_words) < 2:
        return None
    # "WHO (World Health Organization)": the short form outside, the name inside
    before, words = _last_words(before, 1)
    if not words:
        return None
    short = words[-1].text
    if before[words[-1].end :].strip() == "" and _is_short(short) \
            and _made_of(short, [w.text for w in inner_words]):
        return inner, short
    return None


def _last_words(before: str, count: int) -> tuple[str, list[Word]]:
    """The end of ``before`` that holds its last ``count`` words (or all of it), and its
    words: the name before a bracket is read from its last few words, and tokenizing the
    whole paragraph for each bracket in it was most of the cost. The end starts at a space,
    which no word spans, so its words are exactly the last words of ``before``."""
    size = _CHARS_PER_WORD * count
    while size < len(before):
        space = before.find(" ", len(before) - size)
        if space >= 0:
            tail = before[space:]
            words = tokenize(tail)
            if len(words) >= count:
                return tail, words
        size *= 2
    return before, tokenize(before)


def _is_short(word: str) -> bool:
    return is_acronym(word) or spelled_letters(word) is not None


def _long_form(before: str, words: list, short: str, lang: str) -> str | None:
    """The name right before a bracketed short form, if the short form abbreviates it."""
    if before[words[-1].end :].strip():  # punctuation between the name and the bracket
        return None
    window: list = []
    for k in range(len(words) - 1, max(-1, len(words) - 1 - MAX_LONG_WORDS), -1):
        if k < len(words) - 1 and before[words[k].end : words[k + 1].start].strip(" -"):
            break
        window.insert(0, words[k])
    texts = [w.text for w in window]
    for start in range(len(window) - 1):  # the longest name the short form is made of
        if norm(texts[start]) in _linking():
            continue
        if _made_of(short, texts[start:]) and len(texts) - start >= 2:
            return before[window[start].start : window[-1].end]
    if not _is_short(short) or short in texts or _spells(texts[-1], short):
        return None  # "एनएबीएल (NABL)": the same acronym in two scripts, not a definition
    return _named_run(before, window, lang)


def _spells(word: str, short: str) -> bool:
    letters = spelled_letters(word) or (word if is_acronym(word) else None)
    other = spelled_letters(short) or short
    return letters is not None and letters.upper() == other.upper()


def _named_run(before: str, window: list, lang: str) -> str | None:
    """A name of two or more words before an acronym it is not made of (a translated name):
    capitalised words in a Latin script, words up to a function word in Devanagari."""
    stop = _stop(lang)
    k = len(window) - 1
    first = k
    while k >= 0:
        word = window[k].text
        lowered = norm(word)
        if lowered not in stop and (word[0].isupper() or "\u0900" <= word[0] <= "\u097f"):
            first = k
        elif lowered in _linking() and k > 0 and k < len(window) - 1:
            pass
        else:
            break
        k -= 1
    run = window[first:]
    if len(run) < 2 or all(w.text.isupper() for w in run):  # "WHO WAS …": shouting, not a name
        return None
    return before[run[0].start : run[-1].end]


def _made_of(short: str, words: list[str]) -> bool:
    """Whether ``short`` is made of the words' leading letters, in order, using the last word
    and at least two of them ("KPK", "Kejagung", "Jokowi", "भाजपा"); Devanagari letter names
    spell a Latin acronym of Latin words."""
    letters = spelled_letters(short)
    target = (letters or short).lower()
    linking = _linking()
    if words and (first := norm(words[0])) not in linking and not first.startswith(target[:1]):
        return False  # (the first word is not skipped, so it gives the first letter: most
        #   windows ``_long_form`` tries fail here, before every word is normalised)
    lowered = [norm(w) for w in words]
    if sum(w not in linking for w in lowered) < 2:
        return False
    return _Fit(target, lowered, linking).fits(0, 0, 0)


class _Fit:
    """``_made_of``'s search, memoised. A class rather than nested functions: those refer to
    each other through closure cells, a cycle only the garbage collector frees, made for
    every window tried."""

    __slots__ = ("known", "linking", "lowered", "target")

    def __init__(self, target: str, lowered: list[str], linking: frozenset[str]) -> None:
        self.target, self.lowered, self.linking = target, lowered, linking
        self.known: dict[tuple[int, int, int], bool] = {}

    def fits(self, t: int, w: int, used: int) -> bool:
        """Whether ``target[t:]`` is made of ``lowered[w:]`` (``used`` words used so far)."""
        key = (t, w, used)
        if key not in self.known:
            self.known[key] = self._fits(t, w, used)
        return self.known[key]

    def _fits(self, t: int, w: int, used: int) -> bool:
        target, lowered = self.target, self.lowered
        if t == len(target):
            return w == len(lowered) and used >= 2
        if w >= len(lowered):
            return False
        if lowered[w] in self.linking and self.fits(t, w + 1, used):
            return True
        word = lowered[w]
        for size in range(1, len(word) + 1):
            if target[t : t + size] != word[:size]:
                break
            if self.fits(t + size, w + 1, used + 1):
                return True
        return False


def alias_map(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Pairs from ``learn_aliases`` (over many texts) as the mapping name → its other names,
    both ways, that ``speaker_matches``, ``resolve`` and ``entity_names`` take.

    >>> alias_map([("World Health Organization", "WHO")])["WHO"]
    {'World Health Organization'}
    """
    out: dict[str, set[str]] = {}
    for long_form, short in pairs:
        out.setdefault(long_form, set()).add(short)
        out.setdefault(short, set()).add(long_form)
    return out
