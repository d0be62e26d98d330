"""From a parsed question to an answer: plan the searches, score the candidates, quote them.

* **Plan.** One search per article language: the question's words are analysed with that
  language's analyser (so stems match the index) into terms, plus phonetic keys on the second
  field at a lower weight (how an English name finds its Devanagari spelling) and glossary
  counterparts of everyday words.
* **Candidates.** Each language's BM25 hits, and the passages nearest the question's meaning
  from the semantic stage (any language, paraphrases BM25 never sees).
* **Score.** Every candidate on one scale (``index.search.scoring``): how much of the question
  it matches and how, BM25 against what the question could score in that language, closeness
  in meaning, its language, whether it holds the kind of answer asked for (an amount, a date, a
  person, a place), and whether the speaker says something in it ("what did X say?").
* **Quote.** A question whose most specific word nothing matches, and for which the semantic
  stage finds nothing that stands out, is ``no_answer``. Near-duplicate passages are quoted once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.analysis.analyzers import Analyzer, analyzer_for
from index.analysis.filters import normalize
from index.analysis.glossary import translations
from index.analysis.keys import query_keys
from index.analysis.tokenizers import tokenize, words
from index.ingest.passages import split_sentences
from index.models import Answer, Article, Passage, Quote
from index.search.answer_types import kinds_by_word, kinds_except, question_type
from index.search.engines.base import Hit, Query
from index.search.links import text_fragment_link
from index.search.query import Question, reporting_stems
from index.search.scoring import (
    DENSE_GAP,
    DENSE_GAP_CROSS,
    DENSE_MIN_COSINE,
    KEY_SUPPORT_IDF,
    SUPPORT_DEPTH,
    WITH_DENSE,
    WITHOUT_DENSE,
    Features,
    Weights,
    combine,
    dense_feature,
    idf,
    is_no_answer,
    most_specific,
    supports,
    upper_bound,
    word_features,
    word_matches,
)
from index.search.statements import speaks
from index.search.statistics import Counts

__all__ = ["Plan", "Ranking", "assemble", "plan_searches"]

PASSAGES_REMEMBERED = 5_000  # analysed candidate passages kept (5–12 KB each, by length)


@dataclass(frozen=True, slots=True)
class Ranking:
    """The knobs of ranking, in one place so eval and ask share them."""

    key_weight_same: float = 0.1  # keys field weight when question and articles share a language
    key_weight_cross: float = 0.5  # … when they do not
    gloss_weight: float = 0.5  # weight of a glossary counterpart of a question word
    title_weight: float = 0.3  # weight of a match in the passage's article title
    statement_bonus: float = 0.6  # speaker before a reporting verb in one sentence
    statement_weak: float = 0.25  # speaker and a reporting verb in one sentence, any order
    duplicate_overlap: float = 0.7  # Jaccard overlap of terms above which a passage is a repeat
    bm25_depth: int = 50  # BM25 hits per language (per collection group) that are candidates
    dense_depth: int = 50  # nearest passages by meaning that are candidates
    home_bonus: float = 0.1  # a server's own passages over the shared collection's
    per_article: int = 2  # quotes from one article before other articles get their turn


@dataclass(frozen=True, slots=True)
class Word:
    """A searchable word of the question as one language's analyser sees it."""

    term: str
    key: str | None
    speaker: bool
    alt_key: str | None = None  # a second key a question word may match (keys.query_keys)
    glosses: tuple[str, ...] = ()  # the word's counterparts in the articles' language
    portable: bool = False  # a name or a number: spelt alike whatever the article's language


@dataclass(frozen=True, slots=True)
class Plan:
    lang: str
    words: tuple[Word, ...]
    query: Query


def _analyser(target: str, lists: str) -> Analyzer:
    """The analyser for articles in ``target`` that also drops the question's stop words."""
    return analyzer_for(target, (lists,) if lists != target else ())


def plan_searches(
    question: Question, langs: Sequence[str], ranking: Ranking, source: str | None = None
) -> list[Plan]:
    """One engine query per article language, each with the question analysed for it."""
    plans = []
    speaker_words = {id(w) for w in question.speaker}
    for lang in langs:
        analyser = _analyser(lang, question.lists)
        words = []
        for word in question.words:
            result = analyser.word(word.text)
            if result is not None:
                extra = [k for k in query_keys(word.text.casefold()) if k != result[1]]
                words.append(Word(
                    result[0], result[1], id(word) in speaker_words,
                    extra[0] if extra and result[1] else None,
                    translations(word.text, question.lists, lang),
                    word.text[:1].isupper() or any(ch.isdigit() for ch in word.text),
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
    score: float
    features: Features
    cosine: float | None
    support: bool
    terms: frozenset[str]


def _word_weight(word: Word, stats: Counts, n_docs: int) -> float:
    df = stats.doc_freq("terms", word.term)
    if df == 0 and word.key is not None:
        df = stats.doc_freq("keys", word.key)
    return idf(df, n_docs)


@dataclass(frozen=True, slots=True)
class _PlanStats:
    """What scoring a candidate of one language needs to know of the question there."""

    weights: list[float]  # each word's IDF (ranking)
    key_idfs: list[float]  # what a key-only match of each word is worth in that language
    specific: list[int]  # the words a passage must match to support an answer (no_answer)
    bound: float  # the question's attainable BM25 in that language
    n_docs: int
    wanted_terms: frozenset[str]  # every term and gloss of the question's words (highlighting)
    wanted_keys: frozenset[str]  # … and their keys
    speaker: frozenset[str]  # the speaker's terms and keys (statements)


def _plan_stats(
    plan: Plan, stats: Counts, n_docs: int, question_has_passages: bool
) -> _PlanStats:
    weights = [_word_weight(w, stats, n_docs) for w in plan.words]
    # The most specific word (the rarest; a name the corpus does not hold) must be matched near
    # the top. When the corpus has no passage in the question's language, a plain word of it
    # cannot be matched ("accuse" over Hindi and Indonesian articles): there the most specific
    # word the corpus holds in some spelling counts.
    allowed = list(range(len(plan.words)))
    if not question_has_passages:
        allowed = [i for i, w in enumerate(plan.words) if _held(w, stats)] or allowed
    dfs = [stats.doc_freq("terms", plan.words[i].term) for i in allowed]
    return _PlanStats(
        weights,
        [_key_worth(w, weight, stats, plan.lang) for w, weight in zip(plan.words, weights,
                                                                      strict=True)],
        [allowed[i] for i in most_specific(dfs, n_docs)],
        upper_bound(plan.query, stats.doc_freq, n_docs),
        n_docs,
        frozenset(t for w in plan.words for t in (w.term, *w.glosses)),
        frozenset(k for w in plan.words for k in (w.key, w.alt_key) if k is not None),
        frozenset(x for w in plan.words if w.speaker for x in (w.term, w.key) if x is not None),
    )


def _key_worth(word: Word, weight: float, stats: Counts, lang: str) -> float:
    """What a match of ``word`` by phonetic key alone is worth in passages of ``lang``: the key's
    IDF there, so a key that most passages hold (भारत's, meeting "Bret") earns little. But when
    most passages holding the key hold the word itself, the key's other matches are that word's
    other spellings (माइक्रोसॉफ्ट and "Microsoft" in one Hindi article), worth the word's weight."""
    lang_docs = stats.num_docs(lang) or 1
    best = 0.0
    for key in (word.key, word.alt_key):
        if key:
            key_df = stats.doc_freq("keys", key, lang)
            best = max(best, idf(key_df, lang_docs))
            if key_df and stats.doc_freq("terms", word.term, lang) * 2 >= key_df:
                return weight
    return best


def assemble(
    question: Question,
    plans: Sequence[Plan],
    hits: Mapping[str, Sequence[Hit]],
    dense: Sequence[Hit],
    passages: Mapping[tuple[str, int], Passage],
    articles: Mapping[str, Article],
    stats: Counts,
    extra_bm25: Mapping[tuple[str, int], float],
    cosines: Mapping[tuple[str, int], float],
    ranking: Ranking,
    k: int,
    home: str | None = None,
) -> Answer:
    """Score every candidate (each language's BM25 hits and the semantic stage's nearest
    passages) on one scale, decide whether the question is answered, and quote the best ``k``.

    ``dense`` are the nearest passages by cosine (empty without the semantic stage);
    ``extra_bm25`` the BM25 scores of passages only the semantic stage found, ``cosines`` the
    cosines of BM25 candidates it did not return, and ``stats`` the corpus figures
    (``index.search.statistics``), all fetched beforehand: this is pure computation, run in
    the CPU pool.
    """
    n_docs = stats.num_docs()
    by_lang = {plan.lang: plan for plan in plans}
    bm25: dict[tuple[str, int], float] = {
        (h.article_id, h.position): h.score for lang_hits in hits.values() for h in lang_hits
    }
    bm25.update(extra_bm25)
    cos: dict[tuple[str, int], float] = {(h.article_id, h.position): h.score for h in dense}
    keys = [key for key in dict.fromkeys([*bm25, *cos]) if key in passages]
    if cos:
        cos.update({key: value for key, value in cosines.items() if key not in cos})
    weights = WITH_DENSE if cos else WITHOUT_DENSE
    own = stats.num_docs(question.lang) > 0
    per_lang = {plan.lang: _plan_stats(plan, stats, n_docs, own) for plan in plans}
    qtype = question_type(question.text)
    qnorms = {normalize(w.text) for w in tokenize(question.text)}
    latin_question = question.lang != "hi"
    titles: dict[str, frozenset[str]] = {}  # article id → its title's terms
    candidates = [
        _score(question, by_lang.get(passages[key].lang), per_lang.get(passages[key].lang),
               passages[key], _title_terms(articles.get(passages[key].article_id), titles),
               bm25.get(key, 0.0), cos.get(key), qtype, qnorms, latin_question, weights, ranking)
        for key in keys
    ]
    if home is not None:  # a server's own articles win ties with the shared collection's
        for cand in candidates:
            if articles[cand.passage.article_id].collection == home:
                cand.score += ranking.home_bonus
    candidates.sort(key=lambda c: c.score, reverse=True)
    unanswered = not candidates or is_no_answer(
        any(c.support for c in candidates[:SUPPORT_DEPTH]), candidates[0].cosine,
        [h.score for h in dense], candidates[0].features.match,
        *_known(plans, stats, own), DENSE_GAP if own else DENSE_GAP_CROSS,
    )
    chosen = [] if unanswered else _choose(candidates, ranking, k)
    quotes = [_quote(cand, articles[cand.passage.article_id],
                     _matched(cand.passage, question.lists, per_lang.get(cand.passage.lang)))
              for cand in chosen]
    return Answer(
        query=question.text,
        quotes=tuple(quotes),
        no_answer=not quotes,
        query_lang=question.lang,
        speaker=question.speaker_text if question.wants_statements else None,
    )


def _held(w: Word, stats: Counts, rare_keys_only: bool = False) -> bool:
    """Whether some passage holds the word: its term, a glossary counterpart or its key (with
    ``rare_keys_only``, a key few passages hold: a common one is as likely a sound-alike)."""
    if any(stats.doc_freq("terms", t) > 0 for t in (w.term, *w.glosses)):
        return True
    n_docs = stats.num_docs() or 1
    for key in (w.key, w.alt_key):
        df = stats.doc_freq("keys", key) if key else 0
        if df > 0 and (not rare_keys_only or idf(df, n_docs) >= KEY_SUPPORT_IDF):
            return True
    return False


def _known(plans: Sequence[Plan], stats: Counts, own_language: bool) -> tuple[bool, bool]:
    """Whether the corpus holds any word of the question (its term, a glossary counterpart
    or its phonetic key), and whether it lacks one of the question's names in every spelling
    (no passage in any language holds "Zanzibar", nor anything that sounds like it). Names are
    only judged when the corpus has passages in the question's language: across languages a
    name may be translated rather than transliterated."""
    held: dict[int, bool] = {}  # question word (by position in the plans) → held somewhere
    names: dict[int, bool] = {}  # … and, for names, held by term or by a rare key
    for plan in plans:
        for i, w in enumerate(plan.words):
            held[i] = held.get(i, False) or _held(w, stats)
            if own_language and w.portable and w.term.isalpha() and not names.get(i):
                names[i] = _held(w, stats, rare_keys_only=True)
    # Across languages a plain word may simply not be in the corpus ("economy" over Hindi
    # articles): only a question in the corpus's own languages is judged by its words.
    return any(held.values()) or not own_language, not all(names.values())


def _title_terms(article: Article | None, seen: dict[str, frozenset[str]]) -> frozenset[str]:
    """The terms of an article's title, analysed once per question however many of its
    passages are candidates."""
    if article is None or not article.title:
        return frozenset()
    if article.id not in seen:
        seen[article.id] = frozenset(analyzer_for(article.lang).terms(article.title))
    return seen[article.id]


def _score(
    question: Question, plan: Plan | None, stats: _PlanStats | None, passage: Passage,
    title: frozenset[str], bm25: float, cosine: float | None, qtype: str | None,
    qnorms: set[str], latin_question: bool, weights: Weights, ranking: Ranking,
) -> _Candidate:
    f = Features(same_lang=float(passage.lang == question.lang))
    if cosine is not None:
        f.dense = dense_feature(cosine)
    if qtype is not None:
        f.answer_type = float(qtype in kinds_except(_kinds_by_word(passage.text), qnorms))
    support = False
    terms: frozenset[str] = frozenset()
    if plan is not None and stats is not None:
        terms, keys = _analysed(plan.lang, question.lists, passage.text)
        kinds = word_matches(plan.words, terms, keys, title)
        f.exact, f.gloss, f.key, f.key_weak, f.title = word_features(
            stats.weights, stats.key_idfs, kinds
        )
        f.bm25 = bm25 / stats.bound
        # (a passage with no word of the speaker's has no statement of theirs to look for)
        if question.wants_statements and not (stats.speaker.isdisjoint(terms)
                                              and stats.speaker.isdisjoint(keys)):
            f.statement = _statement_bonus(question, plan, passage.text, ranking)
        cross_script = (passage.lang == "hi") == latin_question
        support = supports(kinds, stats.key_idfs, cross_script, stats.specific)
    return _Candidate(passage, combine(f, weights), f, cosine, support, terms)


@lru_cache(maxsize=PASSAGES_REMEMBERED)
def _analysed(lang: str, lists: str, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A candidate passage's terms and keys, as the analyser of ``lang`` for a question whose
    word lists are ``lists`` sees it. The same passages come back question after question (on
    the bench's questions nine candidates in ten had been one before): they are analysed once,
    remembered by their text."""
    analysed = _analyser(lang, lists).words_with_terms(text)
    return (frozenset([t for _w, t, _k in analysed]),
            frozenset([k for _w, _t, k in analysed if k is not None]))


_kinds_by_word = lru_cache(maxsize=PASSAGES_REMEMBERED)(kinds_by_word)  # like ``_analysed``


def _matched(passage: Passage, lists: str, stats: _PlanStats | None) -> tuple[str, ...]:
    """The passage's words that meet the question (by term, gloss or key), for highlighting."""
    if stats is None:
        return ()
    terms, keys = stats.wanted_terms, stats.wanted_keys
    return tuple(dict.fromkeys(
        w for w, t, k in _analyser(passage.lang, lists).words_with_terms(passage.text)
        if t in terms or (k is not None and k in keys)
    ))


def _statement_bonus(question: Question, plan: Plan, text: str, ranking: Ranking) -> float:
    """How strongly ``text`` reports the speaker saying something."""
    speaker_terms = {w.term for w in plan.words if w.speaker}
    speaker_keys = {w.key for w in plan.words if w.speaker and w.key is not None}
    verbs = reporting_stems(plan.lang)
    best = 0.0
    for (start, end), analysed in _sentences(plan.lang, question.lists, text):
        speaker_at = verb_at = None
        for i, found in enumerate(analysed):
            if found is None:
                continue
            term, key = found
            if speaker_at is None and (term in speaker_terms or key in speaker_keys):
                speaker_at = i
            if verb_at is None and term in verbs:
                verb_at = i
        if speaker_at is not None and verb_at is not None:
            strong = speaks(words(text[start:end]), speaker_at, verb_at, plan.lang)
            best = max(best, ranking.statement_bonus if strong else ranking.statement_weak)
    return best


@lru_cache(maxsize=PASSAGES_REMEMBERED)
def _sentences(
    lang: str, lists: str, text: str
) -> tuple[tuple[tuple[int, int], tuple[tuple[str, str | None] | None, ...]], ...]:
    """Each sentence of a candidate passage: its span and its words' (term, key), None for a
    stop word (the analyser's own memoised pairs, so little is held), remembered like
    ``_analysed``."""
    analyser = _analyser(lang, lists)
    return tuple(
        ((start, end), tuple(analyser.word(word) for word in words(text[start:end])))
        for start, end in split_sentences(text)
    )


def _choose(candidates: Sequence[_Candidate], ranking: Ranking, k: int) -> list[_Candidate]:
    """The best ``k`` candidates to quote, in score order: each says something new (no
    near-duplicate of one already chosen), and one article gives at most ``per_article`` of them
    while other articles have candidates left, so a story told by several outlets is quoted
    from several."""
    useful = [
        c for c in candidates  # a word of the question or close in meaning
        if c.features.match > 0 or (c.cosine or 0.0) >= DENSE_MIN_COSINE
    ]
    chosen: list[_Candidate] = []
    held_back: list[_Candidate] = []
    per_article: dict[str, int] = {}
    for cand in useful:
        if any(_overlap(cand.terms, c.terms) >= ranking.duplicate_overlap for c in chosen):
            continue
        article = cand.passage.article_id
        if per_article.get(article, 0) >= ranking.per_article:
            held_back.append(cand)
            continue
        per_article[article] = per_article.get(article, 0) + 1
        chosen.append(cand)
        if len(chosen) >= k:
            return chosen
    return chosen + held_back[: k - len(chosen)]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _quote(cand: _Candidate, article: Article, matched: tuple[str, ...]) -> Quote:
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
