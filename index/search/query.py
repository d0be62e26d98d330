"""Understanding a question: its language, the words worth searching, and whether it asks for
someone's statements ("what did Microsoft say?", "माइक्रोसॉफ्ट ने क्या कहा?", "Apa kata Microsoft?").

Question words (``index/data/questions``) are dropped. Reporting verbs (``index/data/reporting``)
mark a request for statements; the remaining words then name the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from index.analysis.analyzers import is_acronym
from index.analysis.filters import normalize, stemmer_for
from index.analysis.tokenizers import Word, tokenize
from index.data import word_list
from index.errors import BadQuestion
from index.lang import language, latin_served, served
from index.lang.identify import dominant_script, normalize_lang

__all__ = ["MAX_QUESTION_CHARS", "Question", "parse_question", "reporting_stems"]

MAX_QUESTION_CHARS = 1000
# Lists a Latin-script question is scored against to tell its language: the served Latin
# languages and the romanised lists of the others ("hi-latn": Hindi typed in Latin letters).
_LATIN_CANDIDATES = (*latin_served(), *(lang.romanised for lang in served() if lang.romanised))
_SHORT_QUESTION = 3


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    lang: str  # language of the question: "en", "id", "hi", … ("hi" also when romanised)
    lists: str  # which word lists describe it: a language code or "hi-latn"
    words: tuple[Word, ...]  # words worth searching, question words and reporting verbs removed
    wants_statements: bool = False
    speaker: tuple[Word, ...] = field(default=())

    @property
    def speaker_text(self) -> str | None:
        return " ".join(w.text for w in self.speaker) or None


@cache
def _stems(lang: str, words: frozenset[str]) -> frozenset[str]:
    base = lang.split("-")[0]
    stemmer = stemmer_for(base) if lang != "hi-latn" else None
    if stemmer is None:
        return frozenset(normalize(w) for w in words)
    return frozenset(stemmer.stemWord(normalize(w)) for w in words)


@cache
def reporting_stems(lang: str) -> frozenset[str]:
    """Stems of the reporting verbs of ``lang`` as its analyser stems them."""
    return _stems(lang, word_list("reporting", lang))


@cache
def _function_words(lists: str) -> frozenset[str]:
    return word_list("questions", lists) | word_list("stopwords", lists) | word_list(
        "reporting", lists
    )


def _guess_latin_lists(norms: list[str]) -> str | None:
    """Which language's question, stop and reporting words a Latin question uses most."""
    best, best_hits, tie = None, 0, False
    for lists in _LATIN_CANDIDATES:
        vocab = _function_words(lists)
        hits = sum(1 for n in norms if n in vocab)
        if hits > best_hits:
            best, best_hits, tie = lists, hits, False
        elif hits == best_hits and hits:
            tie = True
    return None if tie else best


def parse_question(text: str, *, lang: str | None = None) -> Question:
    """Parse a question, or raise ``BadQuestion`` saying why it cannot be searched.

    >>> q = parse_question("What did Microsoft say?")
    >>> q.lang, q.wants_statements, q.speaker_text
    ('en', True, 'Microsoft')
    """
    text = (text or "").strip()
    if not text:
        raise BadQuestion("the question is empty: ask something, e.g. \"what did Microsoft say?\"")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestion(
            f"the question is {len(text):,} characters long; keep it under {MAX_QUESTION_CHARS:,}"
        )
    words = tokenize(text)
    if not words:
        raise BadQuestion("the question has no words to search for")
    norms = [normalize(w.text) for w in words]
    lists = _question_lists(text, norms, normalize_lang(lang))
    qlang = "hi" if lists == "hi-latn" else lists
    question_words = word_list("questions", lists)
    verbs = reporting_stems(lists)
    stem = stemmer_for(qlang) if lists != "hi-latn" else None
    content: list[Word] = []
    wants_statements = False
    for word, norm in zip(words, norms, strict=True):
        if norm in question_words and not is_acronym(word.text):  # "WHO" is an organisation
            continue
        stemmed = stem.stemWord(norm) if stem is not None else norm
        if stemmed in verbs or norm in word_list("reporting", lists):
            wants_statements = True
            continue
        content.append(word)
    stop = word_list("stopwords", lists)
    speaker = tuple(w for w in content if normalize(w.text) not in stop)
    registered = language(qlang)
    markers = set(registered.agent_markers) if registered else set()
    marked = next((w.start for w, n in zip(words, norms, strict=True) if n in markers), None)
    if marked is not None:  # "हवा ने सूरज से क्या कहा?": the one before "ने" speaks, to सूरज
        speaker = tuple(w for w in speaker if w.start < marked) or speaker
    return Question(
        text=text,
        lang=qlang,
        lists=lists,
        words=tuple(content),
        wants_statements=wants_statements and bool(speaker),
        speaker=speaker if wants_statements else (),
    )


def _question_lists(text: str, norms: list[str], forced: str | None) -> str:
    script = dominant_script(text)
    if forced:
        if forced == "hi" and script == "LATIN":
            return "hi-latn"
        return forced
    if script == "DEVANAGARI":
        return "hi"
    if script == "LATIN":
        guess = _guess_latin_lists(norms)
        if guess is not None:
            return guess
        if len(norms) <= _SHORT_QUESTION:
            return "en"  # a bare name or two: no evidence of a language, and none needed
        from index.lang.identify import detect_language

        return detect_language(text)
    from index.lang.identify import detect_language

    return detect_language(text)
