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
  person, a place), and, for "what did X say?", whether it holds a statement by X (the statement
  index: ``said``, found by ``index.corpus.speakers``), how directly the sentence names them.
* **Quote.** A question whose most specific word nothing matches, and for which the semantic
  stage finds nothing that stands out, is ``no_answer``. Near-duplicate passages are quoted once.
  "What did X say?" about someone the articles mention but never quote says so (``note``)
  instead of quoting sentences about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.analysis.analyzers import Analyzer, analyzer_for
from index.analysis.filters import normalize
from index.analysis.glossary import translations
from index.analysis.keys import query_keys
from index.analysis.tokenizers import tokenize
from index.lang import language
from index.lang.identify import dominant_script
from index.models import Answer, Article, Passage, Quote
from index.search.answer_types import kinds_by_word, kinds_except, question_type
from index.search.engines.base import Hit, Query
from index.search.links import text_fragment_link
from index.search.query import Question
from index.search.scoring import (
    DENSE_GAP,
    DENSE_GAP_CROSS,
    DENSE_MIN_COSINE,
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
from index.search.statistics import Counts
from index.statements import Statement

__all__ = ["Plan", "Ranking", "assemble", "plan_searches"]

PASSAGES_REMEMBERED = 5_000  # analysed candidate passages kept (5–12 KB each, by length)


@dataclass(frozen=True, slots=True)
class Ranking:
    """The knobs of ranking, in one place so eval and ask share them."""

    key_weight_same: float = 0.1  # keys field weight when question and articles share a language
    key_weight_cross: float = 0.5  # … when they do not
    gloss_weight: float = 0.5  # weight of a glossary counterpart of a question word
    title_weight: float = 0.3  # weight of a match in the passage's article title
    statement_named: float = 1.0  # a statement by the speaker, the sentence naming them
    statement_near: float = 0.6  # … attributed in the next or previous sentence
    statement_weak: float = 0.4  # … through a pronoun, a title or a headline
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
    index: int = 0  # which word of the question (plans of other languages may drop others)


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
        for index, word in enumerate(question.words):
            result = analyser.word(word.text)
            if result is not None:
                extra = [k for k in query_keys(word.text.casefold()) if k != result[1]]
                words.append(Word(
                    result[0], result[1], id(word) in speaker_words,
                    extra[0] if extra and result[1] else None,
                    translations(word.text, question.lists, lang),
                    word.text[:1].isupper() or any(ch.isdigit() for ch in word.text), index,
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
    keys: frozenset[str] = frozenset()


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
    speaker_words: tuple[frozenset[str], ...]  # each speaker word's term and keys


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
        tuple(frozenset(x for x in (w.term, w.key, w.alt_key) if x is not None)
              for w in plan.words if w.speaker),
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
    said: Mapping[tuple[str, int], Sequence[Statement]] | None = None,
    speaker: str | None = None,
) -> Answer:
    """Score every candidate (each language's BM25 hits and the semantic stage's nearest
    passages) on one scale, decide whether the question is answered, and quote the best ``k``.

    ``dense`` are the nearest passages by cosine (empty without the semantic stage);
    ``extra_bm25`` the BM25 scores of passages only the semantic stage (or the statement
    index) found, ``cosines`` the cosines of BM25 candidates it did not return, ``stats`` the
    corpus figures (``index.search.statistics``), and, for "what did X say?", ``said`` the
    statements by X in each candidate passage and ``speaker`` who X resolved to; all fetched
    beforehand: this is pure computation, run in the CPU pool.
    """
    said = said or {}
    n_docs = stats.num_docs()
    by_lang = {plan.lang: plan for plan in plans}
    bm25: dict[tuple[str, int], float] = {
        (h.article_id, h.position): h.score for lang_hits in hits.values() for h in lang_hits
    }
    bm25.update(extra_bm25)
    cos: dict[tuple[str, int], float] = {(h.article_id, h.position): h.score for h in dense}
    keys = [key for key in dict.fromkeys([*bm25, *cos, *said]) if key in passages]
    if cos:
        cos.update({key: value for key, value in cosines.items() if key not in cos})
    weights = WITH_DENSE if cos else WITHOUT_DENSE
    own = stats.num_docs(question.lang) > 0
    per_lang = {plan.lang: _plan_stats(plan, stats, n_docs, own) for plan in plans}
    qtype = question_type(question.text)
    qnorms = {normalize(w.text) for w in tokenize(question.text)}
    question_script = dominant_script(question.text)  # Hindi may be typed in Latin letters
    titles: dict[str, frozenset[str]] = {}  # article id → its title's terms
    candidates = [
        _score(question, by_lang.get(passages[key].lang), per_lang.get(passages[key].lang),
               passages[key], _title_terms(articles.get(passages[key].article_id), titles),
               bm25.get(key, 0.0), cos.get(key), qtype, qnorms, question_script, weights, ranking,
               said.get(key, ()))
        for key in keys
    ]
    if home is not None:  # a server's own articles win ties with the shared collection's
        for cand in candidates:
            if articles[cand.passage.article_id].collection == home:
                cand.score += ranking.home_bonus
    candidates.sort(key=lambda c: c.score, reverse=True)
    bare = question.wants_statements and all(w.speaker for plan in plans for w in plan.words)
    if bare and said:  # "what did X say?" and nothing more: X's statements, newest first
        candidates.sort(key=lambda c: (-c.features.statement, _newest(articles, c)))
    note = None
    if question.wants_statements and not said:
        mentioned = _mentioned(candidates, per_lang)
        if mentioned:
            who = speaker or question.speaker_text
            note = (f"{who} is mentioned in {mentioned} article{'s' if mentioned != 1 else ''} "
                    "here but not quoted")
            if bare:  # quoting sentences about them would answer another question
                candidates = []
    unanswered = not candidates or is_no_answer(
        any(c.support or c.features.statement > 0 for c in candidates[:SUPPORT_DEPTH]),
        candidates[0].cosine,
        [h.score for h in dense], candidates[0].features.match,
        *_known(plans, stats, own, _script(question.lang) != question_script),
        DENSE_GAP if own else DENSE_GAP_CROSS, n_docs,
    )
    chosen = [] if unanswered else _choose(candidates, ranking, k)
    quotes = [_quote(cand, articles[cand.passage.article_id],
                     _matched(cand.passage, question.lists, per_lang.get(cand.passage.lang),
                              question.wants_statements),
                     said.get((cand.passage.article_id, cand.passage.position), ()))
              for cand in chosen]
    return Answer(
        query=question.text,
        quotes=tuple(quotes),
        no_answer=not quotes,
        query_lang=question.lang,
        speaker=(speaker or question.speaker_text) if question.wants_statements else None,
        note=note,
    )


def _newest(articles: Mapping[str, Article], cand: _Candidate) -> str:
    """A sort key putting newer articles first."""
    published = articles[cand.passage.article_id].published or ""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in published)


def _mentioned(candidates: Sequence[_Candidate], per_lang: Mapping[str, _PlanStats]) -> int:
    """How many articles among the candidates name the speaker (every word of their name)."""
    articles = set()
    for cand in candidates:
        stats = per_lang.get(cand.passage.lang)
        if stats is None or not stats.speaker_words:
            continue
        if all(not cand.terms.isdisjoint(word) or not cand.keys.isdisjoint(word)
               for word in stats.speaker_words):
            articles.add(cand.passage.article_id)
    return len(articles)


def _held(w: Word, stats: Counts) -> bool:
    """Whether some passage holds the word: its term, a glossary counterpart or its key."""
    if any(stats.doc_freq("terms", t) > 0 for t in (w.term, *w.glosses)):
        return True
    return any(stats.doc_freq("keys", key) > 0 for key in (w.key, w.alt_key) if key)


def _known(
    plans: Sequence[Plan], stats: Counts, own_language: bool, romanised: bool
) -> tuple[bool, bool]:
    """Whether the corpus may hold the question's subject, and whether it lacks one of the
    question's names in every spelling (no passage holds "Zanzibar", nor anything that sounds
    like it; judged only when the corpus has passages in the question's language: across
    languages a name may be translated rather than transliterated).

    The first is False when every word of the question is absent in every form the corpus
    could hold it in: its term (in the corpus's passages of the question's language), a
    glossary counterpart, or, for a name or a number, its phonetic key (a plain word's key
    meeting something is a coincidence; but every word of a question typed in another script
    than its language's, "mumbai mein baadh", is spelt by sound, so its key counts). Such a
    question is about something the corpus does not cover ("powered by Surfing Waves", "egg
    freezing pros and cons" over English articles), whatever passage is nearest in meaning. A
    plain word of a language no passage is in, with no glossary counterpart, cannot be judged
    absent: there the vectors decide."""
    held: dict[int, bool] = {}  # question word → held somewhere in some form, or unjudgeable
    names: dict[int, bool] = {}  # … the same, for names only
    for plan in plans:
        for w in plan.words:
            if w.portable or romanised:
                present = _held(w, stats)
            elif own_language or w.glosses:
                present = any(stats.doc_freq("terms", t) > 0 for t in (w.term, *w.glosses))
            else:
                present = True  # nothing to judge it by
            held[w.index] = held.get(w.index, False) or present
            if own_language and w.portable and w.term.isalpha() and not names.get(w.index):
                names[w.index] = present
    return any(held.values()), not all(names.values())


def _script(lang: str) -> str | None:
    """The script a language's passages are written in (the registry's)."""
    entry = language(lang)
    return entry.script if entry is not None else None


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
    qnorms: set[str], question_script: str | None, weights: Weights, ranking: Ranking,
    said: Sequence[Statement] = (),
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
        if said:
            f.statement = _strength(said, ranking)
        cross_script = _script(passage.lang) != question_script
        support = supports(kinds, stats.key_idfs, cross_script, stats.specific)
    return _Candidate(passage, combine(f, weights), f, cosine, support, terms,
                      keys if plan is not None else frozenset())


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


def _matched(
    passage: Passage, lists: str, stats: _PlanStats | None, statements: bool = False
) -> tuple[str, ...]:
    """The passage's words that meet the question (by term, gloss or key), for highlighting;
    for "what did X say?" not X's name (the statement index says where X speaks)."""
    if stats is None:
        return ()
    terms, keys = stats.wanted_terms, stats.wanted_keys
    speaker = frozenset().union(*stats.speaker_words) if statements else frozenset()
    return tuple(dict.fromkeys(
        w for w, t, k in _analyser(passage.lang, lists).words_with_terms(passage.text)
        if (t in terms or (k is not None and k in keys))
        and t not in speaker and (k is None or k not in speaker)
    ))


def _strength(said: Sequence[Statement], ranking: Ranking) -> float:
    """How directly the best of a passage's statements by the speaker names them: in the
    sentence with the verb, in the sentence before or after, or through a pronoun or title."""
    best = min(statement.rank for statement in said)
    if best == 0:
        return ranking.statement_named
    return ranking.statement_near if best == 1 else ranking.statement_weak


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


def _quote(
    cand: _Candidate, article: Article, matched: tuple[str, ...], said: Sequence[Statement]
) -> Quote:
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
        speaker_spans=tuple(sorted({s.mention for s in said if s.mention[1] > s.mention[0]})),
    )
