"""Who said what in one article: ``extract_statements``.

Each passage's sentences are read for cues of the passage's language (``reading``); a passage
without a cue word is not read at all. Then, within the article:

- a one-word name becomes the fullest name the article gives it, the nearest one before it or
  else the first after ("Kenneth Trump … Trump said" is Kenneth Trump); a longer name that
  only begins with the word, or one in Devanagari, must be one the article gives that entity as
  a unit (after a title, as a speaker, twice, or before it first uses the word alone): "Twitter
  Blue", a product, is no fuller name of "Twitter", and two names side by side in two scripts
  ("कि Microsoft ट्विटर के …") are never one;
- "he said", "ujarnya", "उन्होंने कहा" continue the person speaking just before (or the name
  opening their own sentence);
- a bare title ("the minister said", "kata presiden") is the person last named with it;
- a quote whose attribution sits in the sentence before or after it is that speaker's too;
- an official's statement is also for the organisation named with the office ("Juru Bicara
  KPK Budi Prasetyo"), never for a person ("Putin's spokesman Dmitry Peskov");
- related-content lines ("Baca juga: …", "JUST WATCHED", "यह भी पढ़ें") are skipped.

>>> [(s.speaker, s.cue) for s in extract_statements(None, [
...     (0, "Kenneth Trump, a school safety consultant, studies threats.", "en"),
...     (1, '"Schools are safer," Trump said.', "en")])]
[('Kenneth Trump', 'after')]
"""

from __future__ import annotations

from collections.abc import Sequence

from index.lang.identify import script_of
from index.statements.article import Article, Known
from index.statements.cues import is_related, norm, rules_for
from index.statements.model import TITLE_POSITION, Statement
from index.statements.names import meets, name_key
from index.statements.reading import PASSAGE_SPAN, Passage, Raw, Sentence, read_sentence

__all__ = ["extract_statements"]

PRONOUN_REACH = 2  # passages back to the speaker a pronoun continues
_OWN_CUES = frozenset({"quote_prev", "quote_next", "headline"})  # kept when a title resolves


def extract_statements(
    title: str | None, passages: Sequence[tuple[int, str, str]]
) -> list[Statement]:
    """All statements of one article.

    Parameters
    ----------
    title:
        The article's title; its statements have ``position == TITLE_POSITION`` (-1), spans
        into the title and cue "headline".
    passages:
        ``(position, text, lang)`` in article order (a passage's language may differ from its
        neighbours'; one without cue data, ``index/data/statements/<lang>.toml``, yields
        nothing).

    Returns
    -------
    list[Statement]
        In article order, the title's last; a joint statement gives one per speaker.
    """
    article = Article(passages)
    try:
        raws = article.read()
        headline = _headline(title, passages, raws, article)
        return _resolve(article, raws + headline)
    finally:
        article.release()


# --- the title ------------------------------------------------------------------------------------


def _headline(
    title: str | None, passages: Sequence[tuple[int, str, str]], body: list[Raw],
    article: Article,
) -> list[Raw]:
    """Statements of the title: cues as in the text ("…, ट्रंप बोले- …"), or a name before or
    after a colon ("Prabowo: …", "…: मोदी") when that name speaks in the article too."""
    if not title or not title.strip() or is_related(title):
        return []
    lang = _title_lang(title, passages)
    rules = rules_for(lang)
    if rules is None:
        return []
    passage = Passage(-1, TITLE_POSITION, title, lang, rules)
    sentence = Sentence(passage, 0, (0, len(title)))
    out = []
    for raw in read_sentence(sentence, article, title_case=True):
        if raw.kind != "pronoun":
            raw.cue, raw.order = "headline", -1
            out.append(raw)
    if out or ":" not in title:
        return out
    speaking = [name_key(r.name) for r in body if r.kind in ("person", "org")]
    colon = title.index(":")
    last_colon = title.rindex(":")
    for part, content, at in ((title[:colon], (colon + 1, len(title)), 0),
                              (title[last_colon + 1 :], (0, last_colon), last_colon + 1)):
        name = _speaking_name(part.rsplit(",", 1)[-1], speaking, first=at == 0)
        if name is not None:
            a = title.index(name, at)
            out.append(Raw(-1, TITLE_POSITION, (0, len(title)), (a, a + len(name)), name,
                           "person", "headline", content, lang))
            break
    return out


def _speaking_name(part: str, speaking: list[tuple[str, ...]], first: bool) -> str | None:
    """The name of a body speaker that a title's part beside its colon is, or begins with
    (before the colon: "Prabowo Marah soal Koruptor: …" is Prabowo's) or ends with (after it:
    "…: रिपोर्ट में मोदी"): never more words than the speaker's name has."""
    words = part.strip(" \"'“”‘’-–").split()
    if len(words) <= 4 and _meets_any(name := " ".join(words), speaking, whole=True):
        return name
    for size in range(min(4, len(words) - 1), 0, -1):
        if len(words) - size > 3:  # "Lyft paused ride-sharing during COVID; offers: …"
            break
        name = " ".join(words[:size] if first else words[-size:]).strip(" \"'“”‘’-–")
        if _meets_any(name, speaking, whole=False):
            return name
    return None


def _meets_any(name: str, speaking: list[tuple[str, ...]], whole: bool) -> bool:
    """Whether ``name`` meets a body speaker's name no shorter than it (one word shorter for
    the ``whole`` part: "Jennifer Lopez: …" when the article has "Lopez said")."""
    key = name_key(name)
    return bool(key) and any(len(key) <= len(k) + whole and meets(key, k) for k in speaking)


def _title_lang(title: str, passages: Sequence[tuple[int, str, str]]) -> str:
    """The title's language: Hindi when written in Devanagari, else the first Latin-script
    passage's."""
    first = next((c for c in title if c.isalpha()), "")
    if first and script_of(first) == "DEVANAGARI":
        return "hi"
    for _position, _text, lang in passages:
        rules = rules_for(lang)
        if rules is not None and rules.capitalised:
            return lang
    return passages[0][2] if passages else "en"


# --- resolution within the article --------------------------------------------------------------


def _first_names(lang: str) -> bool:
    rules = rules_for(lang)
    return rules is not None and rules.short_names == "first"


def _fullest(article: Article, raw: Raw, name: str, evidence: bool = True) -> str | None:
    """The fullest name of the one-word name ``name`` in the article: a longer name that ends
    with it (a surname: "Trump" is "Donald Trump") or, where the language shortens names to
    their first word, starts with it ("Prabowo" is "Prabowo Subianto"); of those, the nearest
    before the mention, else the first after. Where names are shortened to their first word, a
    longer one ending with the word is taken only when it has two words ("Musk" is "Elon
    Musk"; "Prabowo" is not "Listyo Sigit Prabowo").

    With ``evidence``, a longer name that merely starts with the word ("Twitter Blue", a
    product, for "Twitter"), and any longer name in Devanagari (no capitals tell where a name
    begins), must be one the article gives that entity as a unit: after a title or office,
    as a statement's speaker, twice, or before it first uses the word alone."""
    key = name_key(name)
    if len(key) != 1:
        return None
    word = key[0]
    first = _first_names(raw.lang)
    here = (raw.order, raw.mention[0])
    entries = article.known(word, name)
    best: tuple[int, tuple[int, int], Known] | None = None
    for entry in entries:
        size = len(entry.key)
        if entry.key[-1] == word and (not first or size == 2):
            tier = 1 if first else 0
        elif entry.key[0] == word:
            tier = 0 if first else 1
        else:
            continue
        if evidence and (entry.key[0] == word or _devanagari(entry.surface)) and not (
                entry.titled or entry.spoken
                or ((first or _devanagari(entry.surface))
                    and sum(e.key == entry.key for e in entries) > 1)
                or article.introduced(name, entry.surface)):
            continue  # ("Amazon has said …" is not "Amazon Basics", its brand, named twice)
        there = (entry.order, entry.start)
        # the nearest before (the later in one sentence), else the first after
        distance = (here[0] - there[0], -there[1]) if there <= here else (10**9 + there[0],
                                                                         there[1])
        if best is None or (tier, distance) < best[:2]:
            best = (tier, distance, entry)
    return best[2].surface if best else None


def _devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text[:3])


def _split_body(article: Article, raw: Raw) -> None:
    """Where an office names its body before its holder ("Sekjen Gerindra Sugiono", "Kepala
    Dikbud Kendari Saemina"), take the body's words off the name (``Article.body_words``); they
    join the body the office speaks for."""
    rules = rules_for(raw.lang)
    if rules is None or not rules.principal_after_role:
        return
    words = raw.name.split()
    size = article.body_words(words)
    if not size:
        return
    body, rest = " ".join(words[:size]), " ".join(words[size:])
    raw.name = rest
    raw.mention = (raw.mention[1] - len(rest), raw.mention[1])
    if raw.principal is None:
        raw.principal, raw.principal_org = body, True
    else:  # "Kepala Dikbud Kendari Saemina": Dikbud Kendari
        raw.principal = f"{raw.principal} {body}"


def _resolve(article: Article, raws: list[Raw]) -> list[Statement]:
    """Statements with their speakers named in full within the article: a one-word name by
    the fullest name it has there, a pronoun by the speaker just before, a bare title ("kata
    presiden", "the minister said") by the person last named with it."""
    for raw in raws:
        if raw.kind == "person" and raw.led:
            _split_body(article, raw)
    article.speaking = [
        Known(raw.order, raw.mention[0], key, raw.name, spoken=True)
        for raw in raws if raw.kind == "person" and raw.order >= 0
        and len(key := name_key(raw.name)) > 1]
    out: list[Statement] = []
    last: tuple[int, str, str | None] | None = None  # (order, speaker, on_behalf)
    titled: dict[str, str] = {}  # a title → the person last named with it
    for raw in raws:
        on_behalf = None
        if raw.kind == "title":
            word = raw.titles[-1] if raw.titles else norm(raw.name.split()[-1])
            person = titled.get(word) or article.titled(word, raw.order)
            if person is not None:  # cue "title": the sentence names the speaker by title only
                raw.kind, raw.name = "person", person
                raw.cue = raw.cue if raw.cue in _OWN_CUES else "title"
        if raw.kind == "pronoun" and raw.subject is not None:
            speaker = _fullest(article, raw, raw.subject) or raw.subject
        elif raw.kind == "pronoun":
            if last is None or not 0 <= raw.order - last[0] < (PRONOUN_REACH + 1) * PASSAGE_SPAN:
                continue
            speaker, on_behalf = last[1], last[2]
        else:
            speaker = raw.name
            if raw.kind == "person":
                speaker = _fullest(article, raw, raw.name) or raw.name
            if raw.principal is not None:
                org = raw.principal_org
                if org is None:  # a person's spokesman is not the person
                    org = (_fullest(article, raw, raw.principal, evidence=False) is None
                           and not article.titled_person(raw.principal))
                on_behalf = raw.principal if org else None
            if raw.kind == "person" and raw.order >= 0:  # "he said" continues a person
                last = (raw.order, speaker, on_behalf)
                titled.update(dict.fromkeys(raw.titles, speaker))
        named = raw.kind != "pronoun" and raw.cue != "title" and (
            len(name_key(raw.name)) >= len(name_key(speaker)))
        out.append(Statement(
            position=raw.position, sentence=raw.sentence, mention=raw.mention, speaker=speaker,
            cue="pronoun" if raw.kind == "pronoun" else raw.cue, content=raw.content,
            on_behalf=on_behalf, lang=raw.lang, quoted=raw.quoted, named=named,
        ))
    return out
