"""The analyser: the same chain of small steps at index time and at query time.

``tokenize`` → ``normalize`` → stop words → number words → stem, giving the *terms* BM25 scores,
and beside each term a script-independent *key* (``keys.phonetic_key``) for the second field that
lets "Microsoft" meet "माइक्रोसॉफ्ट".

Each word is stemmed by the language of its own script: a Latin word inside a Hindi article is
treated as English, a Devanagari word anywhere as Hindi. Results are memoised per analyser, since
news vocabulary repeats a lot.

>>> Analyzer("hi").terms("माइक्रोसॉफ्ट ने कहा कि वह भुगतान नहीं करेगा")
['माइक्रोसॉफ्ट', 'कह', 'भुगतान', 'कर']
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from index.analysis.filters import normalize, stemmer_for
from index.analysis.tokenizers import words
from index.data import table, word_list
from index.lang.identify import LATIN_LANGS, script_of

__all__ = ["ANALYSIS_VERSION", "Analyzed", "Analyzer", "analyzer_for", "is_acronym", "word_lang"]

# Raised whenever a change here makes different terms or keys of the same text: a search index
# built by another version is then rebuilt from the store at open.
ANALYSIS_VERSION = "2"

_CACHE_LIMIT = 400_000
_UNSEEN = ("", None)  # a memo lookup's "not analysed yet" (None means a stop word)
_NUMBER_WORDS = "numbers.tsv"


class Analyzed(NamedTuple):
    terms: list[str]
    keys: list[str]


def word_lang(word: str, text_lang: str) -> str:
    """Which language's stop list and stemmer a word gets, from its first letter's script."""
    first = word[0]
    if first.isdigit():
        return "num"
    script = script_of(first)
    if script == "DEVANAGARI":
        return "hi"
    if script == "LATIN":
        return text_lang if text_lang in LATIN_LANGS else "en"
    return text_lang


@cache
def _function_words() -> frozenset[str]:
    """Stop and question words of every served language (and its romanised lists)."""
    from index.lang import served

    lists = [code for lang in served() for code in (lang.code, lang.romanised) if code]
    return frozenset().union(*(word_list(kind, code) for kind in ("stopwords", "questions")
                               for code in lists))


def is_acronym(surface: str) -> bool:
    """A word written in capitals ("WHO", "KPU", "ICMR"): a name, never a stop word. One that
    spells a function word ("WHO", "US") keeps its capitals as its term, apart from the word.

    >>> is_acronym("WHO"), is_acronym("Who"), is_acronym("A")
    (True, False, False)
    """
    return len(surface) >= 2 and surface.isupper() and surface.isalpha()


def _phonetic_key(word: str) -> str | None:
    from index.analysis.keys import phonetic_key

    return phonetic_key(word)


class Analyzer:
    """Terms and keys for text of one language.

    Parameters
    ----------
    lang:
        The language of the text (for a query: of the articles it will search).
    extra_stop:
        More languages whose stop words to drop; a query drops its own language's too.
    """

    def __init__(self, lang: str, extra_stop: tuple[str, ...] = ()) -> None:
        self.lang = lang
        self._stop: dict[str, frozenset[str]] = {}
        extra: frozenset[str] = frozenset().union(*(word_list("stopwords", x) for x in extra_stop))
        for key in ("hi", "num", lang, "en", *LATIN_LANGS):
            self._stop[key] = word_list("stopwords", key) | extra
        self._numbers = table(_NUMBER_WORDS)
        self._memo: dict[str, tuple[str, str | None] | None] = {}

    def word(self, surface: str) -> tuple[str, str | None] | None:
        """``(term, key)`` of one surface word, or None when it is a stop word."""
        hit = self._memo.get(surface)
        if hit is not None or surface in self._memo:
            return hit
        if len(self._memo) > _CACHE_LIMIT:
            self._memo.clear()
        result = self._analyse_word(surface)
        self._memo[surface] = result
        return result

    def _analyse_word(self, surface: str) -> tuple[str, str | None] | None:
        norm = normalize(surface)
        if not norm:
            return None
        lang = word_lang(norm, self.lang)
        if is_acronym(surface) and norm in _function_words():
            return surface, None  # "WHO", "IT", "US": a name, not the word it spells
        if norm in self._stop.get(lang, self._stop[self.lang]):
            return None
        number = self._numbers.get(norm)
        if number is not None:
            return number, number
        if lang == "num":
            return norm.lstrip("0") or "0", None
        stemmer = stemmer_for(lang)
        term = stemmer.stemWord(norm) if stemmer is not None else norm
        return term or norm, _phonetic_key(surface.casefold())

    def analyze(self, text: str) -> Analyzed:
        """Terms and keys of ``text``, in order (keys skip words that have none)."""
        terms: list[str] = []
        keys: list[str] = []
        for word in words(text):
            result = self.word(word)
            if result is None:
                continue
            terms.append(result[0])
            if result[1] is not None:
                keys.append(result[1])
        return Analyzed(terms, keys)

    def terms(self, text: str) -> list[str]:
        return self.analyze(text).terms

    def words_with_terms(self, text: str) -> list[tuple[str, str, str | None]]:
        """Each surface word of ``text`` with its term and key, for highlighting and reranking."""
        out = []
        memo = self._memo  # (the hot loop of ranking: one dict lookup per word when memoised)
        for word in words(text):
            result = memo.get(word, _UNSEEN)
            if result is _UNSEEN:
                result = self.word(word)
            if result is not None:
                out.append((word, result[0], result[1]))
        return out


@cache
def analyzer_for(lang: str, extra_stop: tuple[str, ...] = ()) -> Analyzer:
    """The shared analyser of a language (and query-language stop words), built once."""
    return Analyzer(lang, extra_stop)
