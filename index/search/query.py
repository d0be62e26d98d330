"""Understanding a question: its language, the words worth searching, and whether it asks for
someone's statements ("what did Microsoft say?", "माइक्रोसॉफ्ट ने क्या कहा?", "Apa kata Microsoft?").

Question words (``index/data/questions``) and reporting verbs (``index/data/reporting``) are
dropped from the words searched. A question asks for statements when it has the shape of one
(``index/data/questions/speakers``: "what did {X} say", "apa kata {X}", "{X} ने क्या कहा"):
``{X}`` names the speaker, and the other words are what the statements should be about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from index.analysis.analyzers import is_acronym
from index.analysis.filters import normalize, stemmer_for
from index.analysis.tokenizers import Word, tokenize
from index.data import lines, word_list
from index.errors import BadQuestion
from index.lang import latin_served, served
from index.lang.identify import dominant_script, normalize_lang
from index.statements.cues import rules_for

__all__ = ["MAX_QUESTION_CHARS", "Question", "parse_question", "reporting_stems"]

MAX_QUESTION_CHARS = 1000
# Lists a Latin-script question is scored against to tell its language: the served Latin
# languages and the romanised lists of the others ("hi-latn": Hindi typed in Latin letters).
_LATIN_CANDIDATES = (*latin_served(), *(lang.romanised for lang in served() if lang.romanised))
_SHORT_QUESTION = 3
_SPEAKER_WORDS = 6  # at most, in "what did {X} say"


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    lang: str  # language of the question: "en", "id", "hi", … ("hi" also when romanised)
    lists: str  # which word lists describe it: a language code or "hi-latn"
    words: tuple[Word, ...]  # words worth searching, question words and reporting verbs removed
    speaker: tuple[Word, ...] = field(default=())  # X of "what did X say?"

    @property
    def wants_statements(self) -> bool:
        """Whether it asks what someone said ("what did X say?", "apa kata X")."""
        return bool(self.speaker)

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
    for word, norm in zip(words, norms, strict=True):
        if norm in question_words and not is_acronym(word.text):  # "WHO" is an organisation
            continue
        stemmed = stem.stemWord(norm) if stem is not None else norm
        if stemmed in verbs or norm in word_list("reporting", lists):
            continue
        content.append(word)
    speaker = _speaker(words, norms, lists)
    return Question(
        text=text,
        lang=qlang,
        lists=lists,
        words=tuple(content),
        speaker=speaker,
    )


@cache
def _speaker_shapes(lists: str) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The verbs and the question shapes of ``index/data/questions/speakers/<lists>.txt``."""
    verbs: frozenset[str] = frozenset()
    shapes = []
    for line in lines(f"questions/speakers/{lists}.txt"):
        if line.startswith("verbs:"):
            verbs = frozenset(normalize(w) for w in line.removeprefix("verbs:").split())
        else:
            shapes.append(tuple(t if t in _SLOTS else normalize(t) for t in line.split()))
    return verbs, tuple(shapes)


_SLOTS = ("^", "{X}", "{VERB}", "*")


def _speaker(words: list[Word], norms: list[str], lists: str) -> tuple[Word, ...]:
    """The speaker a question asks about ("what did {X} say"), by the first shape of its
    language that matches; () when it asks for none.

    >>> [w.text for w in parse_question("What did the World Health Organization say?").speaker]
    ['World', 'Health', 'Organization']
    >>> [w.text for w in parse_question("लूथर ने ननों के बारे में क्या कहा?").speaker]
    ['लूथर']
    >>> parse_question("Which new treat did McDonald's add to its menu?").speaker
    ()
    >>> [w.text for w in parse_question("what did will smith say about the ban?").speaker]
    ['will', 'smith']
    >>> parse_question("what did his lawyer say?").speaker
    ()
    >>> [w.text for w in parse_question("भीड़ पर ठाकरे ने क्या कहा?").speaker]
    ['ठाकरे']
    """
    verbs, shapes = _speaker_shapes(lists)
    not_name = word_list("stopwords", lists) | word_list("questions", lists) | verbs
    name = [(n not in not_name or is_acronym(w.text)) and any(c.isalnum() for c in n)
            for w, n in zip(words, norms, strict=True)]
    never = _never_names(lists)
    # A common word may begin a name when a name word follows it ("will smith"), unless it is
    # an article, a pronoun or a word the language's statement data says never begins one
    # ("his lawyer", "the minister").
    opens = [n not in never and i + 1 < len(name) and name[i + 1]
             for i, n in enumerate(norms)]
    for shape in shapes:
        starts = [0] if shape[:1] == ("^",) else range(len(norms))
        body = shape[1:] if shape[:1] == ("^",) else shape
        for start in starts:
            span = _match(body, norms, name, verbs, start, opens=opens)
            if span is not None:
                return tuple(words[span[0] : span[1]])
    return ()


@cache
def _never_names(lists: str) -> frozenset[str]:
    """Words that never begin a speaker's name in ``lists``' language: question words, the
    say-verbs, and its statement data's articles, pronouns, first-person words, sentence
    openers, prepositions and connectors. Only a language whose names are capitalised words has
    such data; elsewhere (Hindi: "भीड़ पर ठाकरे", the postposition belongs to the words before
    it) no common word begins one."""
    verbs, _shapes = _speaker_shapes(lists)
    asking = word_list("questions", lists) | verbs
    rules = rules_for(lists)
    if rules is None or not rules.capitalised:
        return asking | word_list("stopwords", lists)
    return (asking | rules.not_names | rules.determiners | rules.pronouns | rules.first_person
            | rules.prepositions | rules.connectors)


def _match(
    shape: tuple[str, ...], norms: list[str], name: list[bool], verbs: frozenset[str], at: int,
    speaker: tuple[int, int] | None = None, opens: list[bool] | None = None,
) -> tuple[int, int] | None:
    """Where ``{X}`` stands when ``shape`` matches the words from ``at`` on (None: no match).
    ``{X}`` takes every name word in a row there (at most ``_SPEAKER_WORDS``), the first of
    them also a common word that ``opens`` a name."""
    if not shape:
        return speaker
    token, rest = shape[0], shape[1:]
    if token == "*":
        for skip in range(len(norms) - at + 1):
            found = _match(rest, norms, name, verbs, at + skip, speaker, opens)
            if found is not None:
                return found
        return None
    if token == "{X}":
        end = at + 1 if opens and at < len(norms) and opens[at] else at
        while end < len(norms) and name[end] and end - at < _SPEAKER_WORDS:
            end += 1
        if end == at or (end < len(norms) and name[end]):
            return None
        return _match(rest, norms, name, verbs, end, (at, end), opens)
    if at < len(norms) and (norms[at] == token or (token == "{VERB}" and norms[at] in verbs)):
        return _match(rest, norms, name, verbs, at + 1, speaker, opens)
    return None


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
