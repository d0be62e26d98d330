"""Who said something: sentences where a speaker and a reporting verb of the text's language meet.

This is the "what did X say?" understanding, shared by ``/ask`` (which ranks such passages
higher) and quote alerts (which post them). A speaker is given as words ("Microsoft", "Satya
Nadella", "माइक्रोसॉफ्ट"); each word matches a word of the text by its analysed term or by its
phonetic key, so a name typed in one script finds it written in another. A sentence is a
statement by the speaker when it holds a reporting verb of the text's language ("said", "कहा",
"kata") and either the whole name or, once the whole name has appeared in the text, its last
word ("Nadella said", after "Satya Nadella" earlier).

>>> speaker = Speaker.of(["Microsoft"], "hi")
>>> text = "माइक्रोसॉफ्ट ने कहा कि वह भुगतान नहीं करेगा। बाकी खबर यहाँ है।"
>>> [text[a:b] for a, b, _first in statements(text, "hi", speaker)]
['माइक्रोसॉफ्ट ने कहा कि वह भुगतान नहीं करेगा।']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.analysis.analyzers import Analyzer, analyzer_for
from index.analysis.keys import query_keys
from index.analysis.tokenizers import words
from index.ingest.passages import split_sentences
from index.lang import language
from index.search.query import reporting_stems

__all__ = ["Speaker", "statements"]


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker's name as one language's analyser sees it: per word, its term and keys."""

    words: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def of(cls, name: Sequence[str], lang: str, extra_stop: tuple[str, ...] = ()) -> Speaker | None:
        """The speaker ``name`` (its words) for text in ``lang``; None when no word is left."""
        analyser = analyzer_for(lang, extra_stop)
        words = []
        for word in name:
            result = analyser.word(word)
            if result is None:
                continue
            keys = {k for k in (result[1], *query_keys(word.casefold())) if k}
            words.append((result[0], frozenset(keys)))
        return cls(tuple(words)) if words else None

    def found_in(self, analysed: Sequence[tuple[str, str, str | None]]) -> list[int]:
        """Which of the speaker's words occur among ``analysed`` (word, term, key) triples."""
        terms = {t for _w, t, _k in analysed}
        keys = {k for _w, _t, k in analysed if k}
        return [
            i for i, (term, word_keys) in enumerate(self.words)
            if term in terms or not keys.isdisjoint(word_keys)
        ]


SPEAKER_REACH = 4  # words from a speaker to its verb ("A Microsoft spokesman said")


def speaks(words: Sequence[str], speaker_at: int, verb_at: int, lang: str) -> bool:
    """Whether the speaker at ``speaker_at`` among a sentence's ``words`` is the doer of the
    reporting verb at ``verb_at``: marked so (Hindi "माइक्रोसॉफ्ट ने … कहा"), or, in a language
    without such a mark, right before the verb ("Microsoft menanggapi"; not "bentrok dengan
    Microsoft terkait OpenAI, start-up yang bertanggung jawab", nor "an inquiry into Contoso's
    contract, officials said")."""
    if speaker_at >= verb_at:
        return False
    registered = language(lang)
    markers = registered.agent_markers if registered else ()
    if markers:
        return any(w in markers for w in words[speaker_at + 1 : speaker_at + 3])
    return verb_at - speaker_at <= SPEAKER_REACH


def statements(
    text: str, lang: str, speaker: Speaker, analyser: Analyzer | None = None
) -> list[tuple[int, int, bool]]:
    """Sentences of ``text`` (in ``lang``) reporting what ``speaker`` said: ``(start, end,
    doer)``, where ``doer`` says the speaker is the one speaking (see ``speaks``), the strong
    sign that the sentence is the speaker's own statement."""
    analyser = analyser or analyzer_for(lang)
    verbs = reporting_stems(lang)
    last = len(speaker.words) - 1
    whole_name_seen = len(speaker.found_in(analyser.words_with_terms(text))) == len(speaker.words)
    found = []
    for start, end in split_sentences(text):
        raw = words(text[start:end])
        analysed = [(i, w, *r) for i, w in enumerate(raw) if (r := analyser.word(w)) is not None]
        triples = [(w, t, k) for _i, w, t, k in analysed]
        verb_at = next((i for i, _w, t, _k in analysed if t in verbs), None)
        if verb_at is None:
            continue
        present = speaker.found_in(triples)
        if len(present) != len(speaker.words) and not (whole_name_seen and last in present):
            continue
        name_at = _first_position(analysed, speaker)
        found.append((start, end, name_at is not None and speaks(raw, name_at, verb_at, lang)))
    return found


def _first_position(
    analysed: Sequence[tuple[int, str, str, str | None]], speaker: Speaker
) -> int | None:
    """Where (among the sentence's words) the speaker's name first appears."""
    for i, _w, term, key in analysed:
        for word_term, word_keys in speaker.words:
            if term == word_term or (key is not None and key in word_keys):
                return i
    return None
