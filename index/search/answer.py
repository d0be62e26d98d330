"""From a parsed question to an answer: plan the searches, rank what comes back, quote it.

* **Plan.** One search per article language: the question's words are analysed with that
  language's analyser (so stems match the index) into terms, plus phonetic keys on the second
  field at a lower weight, which is how an English name finds its Devanagari spelling.
* **Rank.** Within a language, BM25 decides, raised for a question asking for statements when
  the speaker and a reporting verb of that language share a sentence (more when the speaker comes
  first, as a subject does). Scores of different analysers are not comparable, so each language's
  scores are divided by its best, and the lists merge on that: every language's best can appear.
* **Quote.** Passages that cover too little of the question's weight (IDF) are not quoted: when
  none is left the answer is ``no_answer``. Near-duplicate passages are quoted once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from index.analysis.analyzers import Analyzer, analyzer_for
from index.analysis.keys import query_keys
from index.ingest.passages import split_sentences
from index.lang.glossary import translations
from index.models import Answer, Article, Passage, Quote
from index.search.engines.base import Hit, Query
from index.search.links import text_fragment_link
from index.search.query import Question, reporting_stems

__all__ = ["Plan", "Ranking", "assemble", "plan_searches"]


@dataclass(frozen=True, slots=True)
class Ranking:
    """The knobs of ranking, in one place so eval and ask share them."""

    key_weight_same: float = 0.1  # keys field weight when question and articles share a language
    key_weight_cross: float = 0.5  # … when they do not
    gloss_weight: float = 0.5  # weight of a glossary counterpart of a question word
    title_weight: float = 0.3  # weight of a match in the passage's article title
    statement_bonus: float = 0.6  # speaker before a reporting verb in one sentence
    statement_weak: float = 0.25  # speaker and a reporting verb in one sentence, any order
    min_coverage: float = 0.5  # share of the question's IDF weight a quoted passage must match
    duplicate_overlap: float = 0.7  # Jaccard overlap of terms above which a passage is a repeat
    rerank_depth: int = 15  # how many hits per language the statement rerank looks at
    home_bonus: float = 0.1  # a server's own passages over the shared collection's


@dataclass(frozen=True, slots=True)
class Word:
    """A searchable word of the question as one language's analyser sees it."""

    term: str
    key: str | None
    speaker: bool
    alt_key: str | None = None  # a second key a question word may match (keys.query_keys)
    glosses: tuple[str, ...] = ()  # the word's counterparts in the articles' language


@dataclass(frozen=True, slots=True)
class Plan:
    lang: str
    words: tuple[Word, ...]
    query: Query


def _analyser(target: str, question: Question) -> Analyzer:
    return analyzer_for(target, (question.lists,) if question.lists != target else ())


def plan_searches(
    question: Question, langs: Sequence[str], ranking: Ranking, source: str | None = None
) -> list[Plan]:
    """One engine query per article language, each with the question analysed for it."""
    plans = []
    speaker_words = {id(w) for w in question.speaker}
    for lang in langs:
        analyser = _analyser(lang, question)
        words = []
        for word in question.words:
            result = analyser.word(word.text)
            if result is not None:
                extra = [k for k in query_keys(word.text.casefold()) if k != result[1]]
                words.append(Word(
                    result[0], result[1], id(word) in speaker_words,
                    extra[0] if extra and result[1] else None,
                    translations(word.text, question.lists, lang),
                ))
        if not words:
            continue
        key_weight = ranking.key_weight_same if lang == question.lang else ranking.key_weight_cross
        terms: dict[str, float] = {}
        keys: dict[str, float] = {}
        for w in words:
            terms[w.term] = terms.get(w.term, 0.0) + 1.0
            for gloss in w.glosses:
                terms[gloss] = max(terms.get(gloss, 0.0), ranking.gloss_weight)
            for key in (w.key, w.alt_key):
                if key is not None and key_weight > 0:
                    keys[key] = keys.get(key, 0.0) + key_weight
        query = Query(terms, keys, lang=lang, source=source, title_weight=ranking.title_weight)
        plans.append(Plan(lang, tuple(words), query))
    return plans


@dataclass(slots=True)
class _Candidate:
    passage: Passage
    plan: Plan
    weights: Sequence[float]
    score: float


def _idf(df: int, n_docs: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def assemble(
    question: Question,
    plans: Sequence[Plan],
    hits: Mapping[str, Sequence[Hit]],
    passages: Mapping[tuple[str, int], Passage],
    articles: Mapping[str, Article],
    doc_freq: Callable[[str, str], int],
    n_docs: int,
    ranking: Ranking,
    k: int,
    home: str | None = None,
) -> Answer:
    """Rank the hits of every language's search and quote the best ``k``.

    ``doc_freq(field, token)`` gives how many passages hold a term or key; with ``n_docs`` it
    weighs each question word by IDF for the coverage test. Passages are analysed again only as
    far down the ranking as needed (the statement rerank looks at the first ``rerank_depth``).
    """
    candidates: list[_Candidate] = []
    for plan in plans:
        weights = [_word_weight(w, doc_freq, n_docs) for w in plan.words]
        scored = []
        for rank, hit in enumerate(hits.get(plan.lang, ())):
            passage = passages.get((hit.article_id, hit.position))
            if passage is None:
                continue  # the index is ahead of or behind the store for a moment
            score = hit.score
            if question.wants_statements and rank < ranking.rerank_depth:
                score *= 1.0 + _statement_bonus(question, plan, passage.text, ranking)
            scored.append(_Candidate(passage, plan, weights, score))
        if not scored:
            continue
        best = max(c.score for c in scored) or 1.0
        for cand in scored:
            cand.score /= best
        candidates.extend(scored)
    if home is not None:  # a server's own articles win ties with the shared collection's
        for cand in candidates:
            if articles[cand.passage.article_id].collection == home:
                cand.score *= 1.0 + ranking.home_bonus
    candidates.sort(key=lambda c: c.score, reverse=True)
    quotes: list[Quote] = []
    kept: list[frozenset[str]] = []
    for cand in candidates:
        coverage, matched, terms = _coverage(question, cand)
        if coverage < ranking.min_coverage:
            continue
        if any(_overlap(terms, other) >= ranking.duplicate_overlap for other in kept):
            continue
        kept.append(terms)
        quotes.append(_quote(cand, matched, articles[cand.passage.article_id]))
        if len(quotes) >= k:
            break
    return Answer(
        query=question.text,
        quotes=tuple(quotes),
        no_answer=not quotes,
        query_lang=question.lang,
        speaker=question.speaker_text if question.wants_statements else None,
    )


def _word_weight(word: Word, doc_freq: Callable[[str, str], int], n_docs: int) -> float:
    df = doc_freq("terms", word.term)
    if df == 0 and word.key is not None:
        df = doc_freq("keys", word.key)
    return _idf(df, n_docs)


def _coverage(
    question: Question, cand: _Candidate
) -> tuple[float, tuple[str, ...], frozenset[str]]:
    """Share of the question's IDF weight the passage matches, the surface words that matched,
    and the passage's terms (for the duplicate test)."""
    plan = cand.plan
    analysed = _analyser(plan.lang, question).words_with_terms(cand.passage.text)
    terms = frozenset(t for _w, t, _k in analysed)
    keys = frozenset(k for _w, _t, k in analysed if k is not None)
    matched_weight = 0.0
    for word, weight in zip(plan.words, cand.weights, strict=True):
        if (word.term in terms or word.key in keys or word.alt_key in keys
                or not terms.isdisjoint(word.glosses)):
            matched_weight += weight
    wanted_terms = {t for w in plan.words for t in (w.term, *w.glosses)}
    wanted_keys = {k for w in plan.words for k in (w.key, w.alt_key) if k is not None}
    surfaces = tuple(dict.fromkeys(
        w for w, t, k in analysed if t in wanted_terms or (k is not None and k in wanted_keys)
    ))
    return matched_weight / (sum(cand.weights) or 1.0), surfaces, terms


def _statement_bonus(question: Question, plan: Plan, text: str, ranking: Ranking) -> float:
    """How strongly ``text`` reports the speaker saying something."""
    analyser = _analyser(plan.lang, question)
    speaker_terms = {w.term for w in plan.words if w.speaker}
    speaker_keys = {w.key for w in plan.words if w.speaker and w.key is not None}
    verbs = reporting_stems(plan.lang)
    best = 0.0
    for start, end in split_sentences(text):
        speaker_at = verb_at = None
        for i, (_word, term, key) in enumerate(analyser.words_with_terms(text[start:end])):
            if speaker_at is None and (term in speaker_terms or key in speaker_keys):
                speaker_at = i
            if verb_at is None and term in verbs:
                verb_at = i
        if speaker_at is not None and verb_at is not None:
            strong = speaker_at < verb_at
            best = max(best, ranking.statement_bonus if strong else ranking.statement_weak)
    return best


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _quote(cand: _Candidate, matched: tuple[str, ...], article: Article) -> Quote:
    passage = cand.passage
    return Quote(
        passage_id=passage.id,
        article_id=passage.article_id,
        title=article.title,
        source=article.source,
        url=article.url,
        link=text_fragment_link(article.url, passage.text) if article.url else None,
        lang=passage.lang,
        published=article.published,
        text=passage.text,
        score=cand.score,
        terms=matched,
    )
