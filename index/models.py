"""The plain data that flows one way through storybot: articles in, passages, hits, an answer out.

Nothing here touches the disk or the network; every other module passes these around.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "SAMPLE",
    "SHARED",
    "SHARED_SCOPE",
    "AlertPost",
    "Answer",
    "Article",
    "ArticleDraft",
    "Feed",
    "Follow",
    "FoundAlert",
    "IngestFailure",
    "IngestReport",
    "Passage",
    "PreparedArticle",
    "Quote",
    "Said",
    "Scope",
    "SourceSummary",
    "Timeline",
    "guild_collection",
]

SHARED = "shared"
"""The collection the bot's operator curates (the command line's default)."""

SAMPLE = "sample"
"""The bundled sample articles: shown to whoever has no articles of their own yet."""


def guild_collection(guild_id: int | str) -> str:
    """The collection a Discord server's own articles go into: ``guild:<id>``."""
    return f"guild:{int(guild_id)}"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which collections a question, a listing or a lookup may see.

    ``home`` is the asker's own collection (a server's), whose passages win ties with the
    shared collection's; in a DM or from the command line there is none.
    """

    collections: tuple[str, ...] = (SHARED,)
    home: str | None = None

    @classmethod
    def for_guild(cls, guild_id: int | str, *, search_shared: bool = True) -> Scope:
        home = guild_collection(guild_id)
        return cls((home, SHARED) if search_shared else (home,), home)

    def __contains__(self, collection: object) -> bool:
        return collection in self.collections

    @property
    def guild_id(self) -> int | None:
        """The server whose scope this is (None: a DM, the command line)."""
        if self.home is None or not self.home.startswith("guild:"):
            return None
        return int(self.home.removeprefix("guild:"))


SHARED_SCOPE = Scope()
"""What a DM and the command line see by default: the shared collection only."""


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as read from a file, line or URL, before cleaning and storing."""

    text: str
    origin: str  # where it came from, for error messages: "a.jsonl:12", "https://…", "x.txt"
    title: str | None = None
    url: str | None = None  # where the article is, per whoever ingests it: identifies it
    source: str | None = None
    lang: str | None = None
    published: str | None = None  # ISO 8601
    page_url: str | None = None  # the address an HTML page claims for itself: a link only
    warnings: tuple[str, ...] = ()  # what was read but not kept ("published 'soon' …")


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article ready to store: cleaned, split into passages, its language known."""

    title: str | None
    source: str | None
    url: str | None  # given by whoever ingested it: identifies the article
    lang: str
    published: str | None
    original_text: str
    clean_text: str
    passages: Sequence[tuple[int, int, str]]  # (start, end, lang) into clean_text
    page_url: str | None = None  # the address the page claims for itself: shown, not trusted
    domain: str | None = None  # the outlet's registered domain
    collection: str = SHARED  # the shared collection or a server's (``guild:<id>``)

    @property
    def link(self) -> str | None:
        return self.url or self.page_url


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article: the cleaned text passages point into, and where it came from."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    lang: str
    published: str | None
    original_text: str
    clean_text: str
    content_hash: str
    passage_count: int = 0
    domain: str | None = None  # the outlet's registered domain, from the url
    collection: str = SHARED  # whose article it is: the shared collection or a server's

    @property
    def outlets(self) -> tuple[str, ...]:
        """The names the ``source`` filter knows this article's outlet by, lowercased."""
        return tuple(dict.fromkeys(n.lower() for n in (self.source, self.domain) if n))


@dataclass(frozen=True, slots=True)
class Passage:
    """A few whole sentences of an article; ``start``/``end`` index ``Article.clean_text``."""

    id: str  # "<article id>:<position>"
    article_id: str
    position: int
    text: str
    start: int
    end: int
    lang: str


@dataclass(frozen=True, slots=True)
class Quote:
    """One verbatim passage in an answer, with everything needed to cite it."""

    passage_id: str
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    link: str | None  # text-fragment deep link when the article has a URL
    lang: str
    published: str | None
    text: str
    score: float
    terms: tuple[str, ...] = ()  # surface words of the passage that matched the question
    speaker_spans: tuple[tuple[int, int], ...] = ()  # where the asked-for speaker is named

    def to_json(self) -> dict[str, object]:
        """The ``ask --json`` shape of one result."""
        return {
            "passage_id": self.passage_id,
            "article_id": self.article_id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "link": self.link,
            "lang": self.lang,
            "text": self.text,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """What a question gets back: quotes best first, or ``no_answer`` said plainly."""

    query: str
    quotes: tuple[Quote, ...]
    no_answer: bool
    query_lang: str = "und"
    speaker: str | None = None  # X in "what did X say?" (as resolved), when asked
    note: str | None = None  # what the user should know ("X is mentioned … but not quoted")

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "query": self.query,
            "no_answer": self.no_answer,
            "results": [q.to_json() for q in self.quotes],
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """One row of ``sources``: how many articles an outlet has in a language."""

    source: str
    lang: str
    articles: int
    newest: str | None
    collection: str = SHARED


@dataclass(frozen=True, slots=True)
class IngestFailure:
    origin: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did, item by item."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the user should know, in passing
    bytes_read: int = 0  # of fetched pages

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """``added 3, updated 0, skipped 1 (unchanged), failed 2``."""
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"skipped {len(self.skipped)} (unchanged), failed {len(self.failed)}"
        )

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed
        self.notes += other.notes


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed a server polls, and how polling it has gone."""

    id: int
    guild_id: int
    url: str
    title: str | None
    interval_minutes: int
    next_poll_at: str
    failures: int = 0  # in a row
    failing_since: str | None = None
    last_error: str | None = None
    last_ok_at: str | None = None


@dataclass(frozen=True, slots=True)
class Follow:
    """"Tell this channel when ``who`` is quoted (about ``about``)"."""

    id: int
    guild_id: int
    channel_id: int
    who: str
    about: str | None = None


@dataclass(frozen=True, slots=True)
class Said:
    """One statement, as a timeline shows it: who said it as the article names them, the
    sentence, where their name is in it, and the article (with the other outlets that carried
    the same words)."""

    speaker: str
    quote: str  # the sentence carrying the statement
    mention: tuple[int, int]  # the speaker's name in ``quote`` ((0, 0): in another sentence)
    article: Article
    position: int  # the passage (-1: the title)
    lang: str
    also_in: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class Timeline:
    """``/quotes``: what an entity said, newest first."""

    typed: str  # the name asked for
    name: str  # who it resolved to
    entries: tuple[Said, ...]
    about: str | None = None
    since: str | None = None


@dataclass(frozen=True, slots=True)
class FoundAlert:
    """A statement an alert scan found for a follow: the best one of an article by the
    followed speaker, and where it is."""

    follow_id: int
    quote_key: str  # the quote's words, hashed: one quote in several outlets is one alert
    article_id: str
    position: int  # the passage (-1: the article's title)
    sentences: tuple[tuple[int, int], ...]  # spans in the passage's text
    speaker: str  # who spoke, as the article names them
    mention: tuple[int, int]  # their name in the passage (empty when it is in another sentence)
    others: int = 0  # more statements of theirs in the article
    matched: tuple[str, ...] = ()  # the names followed in the channel that this answers


@dataclass(frozen=True, slots=True)
class AlertPost:
    """A quote to post for a follow: the sentences of one passage where the followed speaker
    says something, who said it as the article names them, the article they are from and the
    other outlets that carried the same quote; or, as a ``summary``, the quotes over the hourly
    limit."""

    follow: Follow
    quote_key: str
    article: Article | None
    passage: Passage | None
    sentences: tuple[tuple[int, int], ...]  # spans in passage.text
    also_in: tuple[Article, ...] = ()
    summary: tuple[tuple[Article, str], ...] = ()  # (article, quote) beyond the hourly limit
    message_id: int | None = None  # set when the post is an edit of an earlier one
    speaker: str | None = None  # who spoke, as the article names them
    mention: tuple[int, int] = (0, 0)  # their name in passage.text
    others: int = 0  # more statements of theirs in the article
    matched: tuple[str, ...] = ()  # the follows of the channel this answers (as typed)
