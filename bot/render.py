"""Turn library results into Discord message pages: pure functions, no client, no network.

Every limit Discord enforces is a named constant below, and every budget is derived from them.
Article text is untrusted: it is escaped *before* anything is measured or cut, so a cut never
splits an escape, a bold marker or a neutralised mention, and counts match what Discord sees.

Example::

    page = render_answer(answer)            # the first page
    await channel.send(**page.send_kwargs())
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord
import regex

from index import (
    SAMPLE,
    AlertPost,
    Answer,
    Article,
    Feed,
    Follow,
    IngestReport,
    Passage,
    Quote,
    SourceSummary,
    SpeakerSummary,
    Timeline,
    failing_for_a_day,
    is_web_url,
    language,
    strip_controls,
    text_fragment_link,
)

__all__ = [
    "AUTHOR_NAME_LIMIT",
    "BUTTON_LABEL_LIMIT",
    "CONTENT_LIMIT",
    "EMBEDS_PER_MESSAGE",
    "EMBED_DESCRIPTION_LIMIT",
    "EMBED_TITLE_LIMIT",
    "EMBED_TOTAL_LIMIT",
    "FIELDS_PER_EMBED",
    "FIELD_NAME_LIMIT",
    "FIELD_VALUE_LIMIT",
    "FOOTER_LIMIT",
    "LINK_URL_LIMIT",
    "NO_MENTIONS",
    "QUOTES_PER_PAGE",
    "Page",
    "answer_pages",
    "escape",
    "highlight",
    "language_name",
    "page_count",
    "render_alert",
    "render_answer",
    "render_article",
    "render_context",
    "render_feeds",
    "render_follows",
    "render_help",
    "render_ingest",
    "render_notice",
    "render_sources",
    "truncate",
]

# --------------------------------------------------------------------------- Discord's limits

CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
FIELDS_PER_EMBED = 25
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL_LIMIT = 6000  # title + description + fields + footer + author, all embeds together
LINK_URL_LIMIT = 512  # link buttons
EMBED_URL_LIMIT = 2048  # embed title links
BUTTON_LABEL_LIMIT = 80

# --------------------------------------------------------------------------- our budgets

QUOTES_PER_PAGE = 5  # one Context button per quote: a full action row
QUOTE_LIMIT = 900  # longest single quote before the page-wide budget shrinks it further
CITE_LIMIT = 280  # a timeline entry's outlet · date · language · also-in line, before its link
QUESTION_LIMIT = 300  # how much of the question is echoed back
CONTEXT_SIDE_LIMIT = 1500  # surrounding text each side of a quote in the context view
ARTICLE_PAGE_LIMIT = EMBED_DESCRIPTION_LIMIT - 596  # passages per /article page, with slack
SOURCES_PER_PAGE = 20
ELLIPSIS = "…"
COLOUR = discord.Colour.from_rgb(0x3B, 0x82, 0xF6)
NO_MENTIONS = discord.AllowedMentions.none()

UNKNOWN_OUTLET = "unknown outlet"  # shown for articles whose outlet is not known



@dataclass(frozen=True, slots=True)
class Page:
    """One message's worth of output: content, embeds, and what its buttons refer to."""

    content: str = ""
    embeds: tuple[discord.Embed, ...] = ()
    quotes: tuple[tuple[int, Quote], ...] = ()  # (number shown, quote) for Context buttons
    links: tuple[tuple[str, str], ...] = ()  # (label, url) for link buttons
    extra: dict[str, Any] = field(default_factory=dict)

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send``/``edit``; mentions are always disabled."""
        return {
            "content": self.content or None,
            "embeds": list(self.embeds),
            "allowed_mentions": NO_MENTIONS,
        }

    def to_dict(self) -> dict[str, Any]:
        """The page as Discord API JSON (without components; the view adds those)."""
        return {
            "content": self.content,
            "embeds": [embed.to_dict() for embed in self.embeds],
            "allowed_mentions": NO_MENTIONS.to_dict(),
        }


# --------------------------------------------------------------------------- escaping & cutting

_INLINE_MARKDOWN = re.compile(r"([\\*_~`|\[\]()<>])")
_LINE_START_MARKDOWN = re.compile(r"^(\s*)([#>-]|\d+(?=\.))", re.MULTILINE)
_SPACE = re.compile(r"\s+")
_NEUTRAL_AT = re.compile("@(?!\u200b)")  # an @ not yet followed by a zero-width space
_WORD = r"[\w\p{M}]"


def _escape_line_start(match: re.Match[str]) -> str:
    """``# x`` → ``\\# x``; ``1. x`` → ``1\\. x`` (a backslash before a digit would show)."""
    lead, mark = match.groups()
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"


def escape(text: str) -> str:
    """Make untrusted text render literally and mention nobody.

    Markdown characters get a backslash (backslashes too, so an escape cannot be undone),
    line-leading headings/lists/quotes are neutralised, and every ``@`` is followed by a
    zero-width space so ``@everyone``, ``<@123>`` and ``<@&123>`` stay plain text.

    Example: ``escape("@everyone **now**")`` gives ``"@\u200beveryone \\*\\*now\\*\\*"``.
    """
    text = _INLINE_MARKDOWN.sub(r"\\\1", strip_controls(text))
    text = _LINE_START_MARKDOWN.sub(_escape_line_start, text)
    return _NEUTRAL_AT.sub("@\u200b", text)


def _plain(text: str | None) -> str:
    """Neutralise mentions in fields where Discord renders no Markdown (author, footer)."""
    return _NEUTRAL_AT.sub("@\u200b", strip_controls(text or ""))


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _drop_dangling_escape(text: str) -> str:
    trailing = len(text) - len(text.rstrip("\\"))
    return text[:-1] if trailing % 2 else text


def truncate(text: str, limit: int) -> str:
    """Cut already-escaped text to ``limit`` characters at a word boundary, ending in "…".

    Never leaves half an escape sequence; falls back to a hard cut for one enormous word.

    >>> truncate("one two three", 9)
    'one two…'
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    head = text[: limit - len(ELLIPSIS)]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > len(head) // 2:
        head = head[:space]
    return _drop_dangling_escape(head).rstrip() + ELLIPSIS


def _truncate_left(text: str, limit: int) -> str:
    """Keep the *end* of already-escaped text, starting at a word boundary, led by "…"."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    tail = text[len(text) - (limit - len(ELLIPSIS)) :]
    space = tail.find(" ")
    if 0 <= space < len(tail) // 2:
        tail = tail[space + 1 :]
    if tail.startswith("\u200b"):  # do not orphan a neutralised mention
        tail = tail[1:]
    return ELLIPSIS + tail.lstrip()


def _term_pattern(terms: Iterable[str]) -> regex.Pattern[str] | None:
    words = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternation = "|".join(regex.escape(word) for word in words)
    return regex.compile(rf"(?<!{_WORD})(?:{alternation})(?!{_WORD})", regex.IGNORECASE)


def _pieces(
    text: str, terms: Iterable[str], spans: Iterable[tuple[int, int]] = ()
) -> list[tuple[str, bool]]:
    """Split raw text into (piece, is_bold) runs: the matched ``terms`` and the given ``spans``
    are bold; adjacent bold runs are merged."""
    bold = [False] * len(text)
    pattern = _term_pattern(terms)
    if pattern is not None:
        for match in pattern.finditer(text):
            bold[match.start() : match.end()] = [True] * (match.end() - match.start())
    for start, end in spans:
        start, end = max(start, 0), min(end, len(text))
        if start < end:
            bold[start:end] = [True] * (end - start)
    pieces: list[tuple[str, bool]] = []
    for char, flag in zip(text, bold, strict=True):
        if pieces and pieces[-1][1] == flag:
            pieces[-1] = (pieces[-1][0] + char, flag)
        else:
            pieces.append((char, flag))
    return pieces or [(text, False)]


def highlight(
    text: str, terms: Iterable[str], limit: int, spans: Iterable[tuple[int, int]] = ()
) -> str:
    """Escape ``text``, bold the matched ``terms`` and the ``spans`` (offsets in ``text``), put
    it on one line and fit it in ``limit`` characters.

    Each run is escaped on its own and bold runs are kept whole or dropped, so a cut can never
    leave a ``**`` unbalanced.
    """
    out: list[str] = []
    used = 0
    previous_space = True  # nothing before: leading space dropped
    for raw, bold in _pieces(text, terms, spans):
        flat = _SPACE.sub(" ", raw)
        if previous_space:
            flat = flat.lstrip(" ")
        if not flat:
            continue
        previous_space = flat.endswith(" ")
        escaped = escape(flat)
        if bold:  # ** hugs the words: Markdown ignores "** Trump**"
            lead, core, tail = _split_spaces(escaped)
            rendered = f"{lead}**{core}**{tail}" if core else escaped
        else:
            rendered = escaped
        if used + len(rendered) <= limit:
            out.append(rendered)
            used += len(rendered)
            continue
        room = limit - used
        if not bold and room > len(ELLIPSIS):
            out.append(truncate(escaped, room))
        elif room >= len(ELLIPSIS):
            out.append(ELLIPSIS)
        break
    result = "".join(out).rstrip()
    if len(result) > limit:  # only reachable with a tiny limit
        result = truncate(result.replace("**", ""), limit)
    return result


def _split_spaces(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    lead = text[: len(text) - len(text.lstrip(" "))]
    tail = text[len(text.rstrip(" ")) :]
    return lead, core, tail


def _safe_url(url: str | None, limit: int) -> str | None:
    if not url or len(url) > limit or not is_web_url(url) or strip_controls(url) != url:
        return None
    return url


def _best_url(quote: Quote, limit: int) -> str | None:
    return _safe_url(quote.link, limit) or _safe_url(quote.url, limit)


def language_name(code: str | None) -> str:
    known = language(code.lower()) if code else None
    return known.name if known is not None else (code or "unknown language")


def _date(published: str | None) -> str:
    return (published or "")[:10] or "date unknown"


# --------------------------------------------------------------------------- answers


def _question(query: str) -> str:
    return truncate(escape(_one_line(query)), QUESTION_LIMIT)


def _group_by_article(numbered: Sequence[tuple[int, Quote]]) -> list[list[tuple[int, Quote]]]:
    groups: dict[str, list[tuple[int, Quote]]] = {}
    for number, quote in numbered:
        groups.setdefault(quote.article_id, []).append((number, quote))
    return list(groups.values())


def _article_embed(group: Sequence[tuple[int, Quote]], quote_limit: int) -> discord.Embed:
    first = group[0][1]
    title = truncate(escape(_one_line(first.title or "Untitled article")), EMBED_TITLE_LIMIT)
    lines = []
    for number, quote in group:
        prefix = f"> **[{number}]** "
        body = highlight(quote.text, quote.terms, max(quote_limit - len(prefix), 1),
                         quote.speaker_spans)
        lines.append(prefix + body)
    description = truncate("\n\n".join(lines), EMBED_DESCRIPTION_LIMIT)
    embed = discord.Embed(
        title=title,
        url=_best_url(first, EMBED_URL_LIMIT),
        description=description,
        colour=COLOUR,
    )
    outlet = truncate(_plain(_one_line(first.source or UNKNOWN_OUTLET)), AUTHOR_NAME_LIMIT)
    embed.set_author(name=outlet)
    footer = f"{language_name(first.lang)} · {_date(first.published)} · {first.article_id}"
    embed.set_footer(text=truncate(_plain(footer), FOOTER_LIMIT))
    return embed


def _total(embeds: Iterable[discord.Embed]) -> int:
    return sum(len(embed) for embed in embeds)


def _fit_embeds(groups: Sequence[Sequence[tuple[int, Quote]]]) -> tuple[discord.Embed, ...]:
    """Render one embed per article, shrinking quotes until the message fits 6000 characters."""
    quote_limit = QUOTE_LIMIT
    while True:
        embeds = tuple(_article_embed(group, quote_limit) for group in groups)
        if _total(embeds) <= EMBED_TOTAL_LIMIT or quote_limit <= 40:
            return embeds
        quote_limit = int(quote_limit * 0.8)


def _links(groups: Sequence[Sequence[tuple[int, Quote]]]) -> tuple[tuple[str, str], ...]:
    links = []
    for group in groups:
        quote = group[0][1]
        url = _best_url(quote, LINK_URL_LIMIT)
        if url is None:
            continue
        name = _one_line(quote.source or quote.title or "source")
        links.append((truncate(f"Open: {name}", BUTTON_LABEL_LIMIT), url))
    return tuple(links[:5])


def page_count(answer: Answer, per_page: int = QUOTES_PER_PAGE) -> int:
    """How many pages an answer spans (at least one, for the "no answer" page)."""
    return max(1, -(-len(answer.quotes) // per_page))


def render_answer(answer: Answer, *, page: int = 0, per_page: int = QUOTES_PER_PAGE) -> Page:
    """One page of an answer: one embed per source article, quotes numbered across pages."""
    question = _question(answer.query)
    note = escape(_one_line(answer.note)) if answer.note else None
    if answer.no_answer or not answer.quotes:
        if note:
            return Page(content=truncate(
                f"{note}, so nothing here answers “{question}”. `/quotes` lists what someone "
                "said.", CONTENT_LIMIT))
        return Page(
            content=(
                f"I couldn't find anything in the stored articles that answers “{question}”. "
                "Try other words, a different language, or `/sources` to see what is indexed."
            )
        )
    pages = page_count(answer, per_page)
    page = min(max(page, 0), pages - 1)
    start = page * per_page
    numbered = [
        (start + offset + 1, quote)
        for offset, quote in enumerate(answer.quotes[start : start + per_page])
    ]
    groups = _group_by_article(numbered)[:EMBEDS_PER_MESSAGE]
    total = len(answer.quotes)
    span = f"{start + 1}–{numbered[-1][0]}" if len(numbered) > 1 else f"{start + 1}"
    content = f"**Results {span} of {total}** for “{question}”"
    if pages > 1:
        content += f" · page {page + 1}/{pages}"
    if note:
        content += f"\n{note}; these passages mention them."
    return Page(
        content=truncate(content, CONTENT_LIMIT),
        embeds=_fit_embeds(groups),
        quotes=tuple(numbered),
        links=_links(groups),
        extra={"page": page, "pages": pages},
    )


def answer_pages(answer: Answer, per_page: int = QUOTES_PER_PAGE) -> list[Page]:
    """Every page of an answer, rendered up front (cheap; lets the pager stay stateless)."""
    return [render_answer(answer, page=i, per_page=per_page) for i in range(page_count(answer))]


def render_context(passage: Passage, before: str, after: str, quote: Quote | None = None) -> Page:
    """A quote inside its surrounding text, the quote itself block-quoted and bolded."""
    terms = quote.terms if quote else ()
    middle = highlight(_one_line(passage.text), terms, QUOTE_LIMIT * 2)
    head = _truncate_left(escape(_one_line(before)), CONTEXT_SIDE_LIMIT)
    tail = truncate(escape(_one_line(after)), CONTEXT_SIDE_LIMIT)
    parts = [part for part in (head, f"> {middle}", tail) if part.strip()]
    title = quote.title if quote and quote.title else f"Passage {passage.id}"
    embed = discord.Embed(
        title=truncate(escape(_one_line(title)), EMBED_TITLE_LIMIT),
        url=_best_url(quote, EMBED_URL_LIMIT) if quote else None,
        description=truncate("\n\n".join(parts), EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    if quote is not None:
        embed.set_author(name=truncate(_plain(quote.source or UNKNOWN_OUTLET), AUTHOR_NAME_LIMIT))
    embed.set_footer(text=truncate(_plain(f"{passage.id} · {language_name(passage.lang)}"), 200))
    return Page(embeds=(embed,))


# --------------------------------------------------------------------------- sources & articles


def render_sources(
    summaries: Sequence[SourceSummary], home: str | None = None,
    vectors: tuple[int, int] | None = None,
) -> list[Page]:
    """``/sources``: outlets with article counts per language, newest first, paged; in a server
    (``home`` is its collection) each line says whether it is the server's own or shared, and
    the bundled sample says it is one. ``vectors`` (for admins): passages with vectors, of all.
    """
    if not summaries:
        return [Page(content="No articles are stored yet. An admin can add some with `/ingest`.")]
    chunks = [
        summaries[i : i + SOURCES_PER_PAGE] for i in range(0, len(summaries), SOURCES_PER_PAGE)
    ]
    pages = []
    for index, chunk in enumerate(chunks):
        lines = [
            f"**{truncate(escape(_one_line(s.source or UNKNOWN_OUTLET)), 120)}** · "
            f"{escape(language_name(s.lang))} · {s.articles} "
            f"article{'s' if s.articles != 1 else ''} · newest {escape(_date(s.newest))}"
            + _whose(s.collection, home)
            for s in chunk
        ]
        if vectors is not None:
            lines += ["", _vectors_line(*vectors)]
        embed = discord.Embed(
            title="Sources",
            description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
            colour=COLOUR,
        )
        embed.set_footer(text=f"Page {index + 1}/{len(chunks)} · {len(summaries)} outlets")
        pages.append(Page(embeds=(embed,), extra={"page": index, "pages": len(chunks)}))
    return pages


def _whose(collection: str, home: str | None) -> str:
    if collection == SAMPLE:
        return " · starter sample (until articles are added)"
    if home is None:
        return ""
    return " · this server" if collection == home else " · shared"


def _vectors_line(done: int, total: int) -> str:
    """How far the semantic stage has got, for admins."""
    if done >= total:
        return f"Vectors: all {total:,} passages can be found by meaning."
    return (f"Vectors: {done:,} of {total:,} passages ({100 * done // max(total, 1)}%); the rest "
            "are being computed and are found by their words meanwhile.")


def _passage_chunks(passages: Sequence[Passage]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    used = 0
    for passage in passages:
        line = truncate(f"`{passage.position}` {escape(_one_line(passage.text))}", 1500)
        if chunks[-1] and used + len(line) + 2 > ARTICLE_PAGE_LIMIT:
            chunks.append([])
            used = 0
        chunks[-1].append(line)
        used += len(line) + 2
    return chunks


def render_article(article: Article, passages: Sequence[Passage]) -> list[Page]:
    """``/article``: an article's passages in order, split over as many pages as needed."""
    chunks = _passage_chunks(passages) if passages else [["*(no passages)*"]]
    title = truncate(escape(_one_line(article.title or "Untitled article")), EMBED_TITLE_LIMIT)
    url = _safe_url(article.url, EMBED_URL_LIMIT)
    pages = []
    for index, lines in enumerate(chunks):
        embed = discord.Embed(
            title=title,
            url=url,
            description=truncate("\n\n".join(lines), EMBED_DESCRIPTION_LIMIT),
            colour=COLOUR,
        )
        embed.set_author(
            name=truncate(_plain(_one_line(article.source or UNKNOWN_OUTLET)), AUTHOR_NAME_LIMIT)
        )
        footer = (
            f"{article.id} · {language_name(article.lang)} · {_date(article.published)} · "
            f"page {index + 1}/{len(chunks)}"
        )
        embed.set_footer(text=truncate(_plain(footer), FOOTER_LIMIT))
        pages.append(Page(embeds=(embed,), extra={"page": index, "pages": len(chunks)}))
    return pages


# --------------------------------------------------------------------------- feeds & alerts


def render_alert(post: AlertPost) -> Page:
    """One alert: the followed speaker's best statement in one article, who said it as the
    article names them (in bold where the sentence names them) and which follow it answers,
    with outlet, date, link, how many more statements of theirs the article has and the other
    outlets that carried the same quote; or the summary of the hour's overflow."""
    followed = ", ".join(_one_line(who) for who in post.matched or (post.follow.who,))
    if post.summary:
        lines = []
        for article, quote in post.summary[:10]:
            outlet = escape(_one_line(article.source or article.domain or UNKNOWN_OUTLET))
            lines.append(f"• **{truncate(outlet, 60)}**: {truncate(escape(_one_line(quote)), 300)}")
        more = len(post.summary) - 10
        if more > 0:
            lines.append(f"… and {more} more")
        embed = discord.Embed(
            title=truncate(f"More statements by {_one_line(post.follow.who)}", EMBED_TITLE_LIMIT),
            description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT), colour=COLOUR,
        )
        embed.set_footer(text="over the hourly limit, so gathered here")
        return Page(embeds=(embed,))
    speaker = truncate(escape(_one_line(post.speaker or post.follow.who)), 100)
    found, passage = post.article, post.passage
    if found is None or passage is None:
        return Page(content=f"A statement by **{speaker}** was found, but its article is gone.")
    article = found
    parts = []
    for start, end in post.sentences:  # the speaker's name, where this sentence has it
        inside = [(post.mention[0] - start, post.mention[1] - start)] if (
            start <= post.mention[0] < post.mention[1] <= end) else []
        parts.append(highlight(passage.text[start:end], (), QUOTE_LIMIT, inside))
    body = "> " + " … ".join(parts)
    quote = " … ".join(_one_line(passage.text[a:b]) for a, b in post.sentences)
    deep = text_fragment_link(article.url, quote) if article.url and passage.position >= 0 else None
    link = _safe_url(deep, EMBED_URL_LIMIT)
    embed = discord.Embed(
        title=truncate(escape(_one_line(article.title or "Untitled article")), EMBED_TITLE_LIMIT),
        url=link or _safe_url(article.url, EMBED_URL_LIMIT),
        description=truncate(body, EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    outlet = _one_line(article.source or article.domain or UNKNOWN_OUTLET)
    embed.set_author(name=truncate(_plain(outlet), AUTHOR_NAME_LIMIT))
    footer = f"{language_name(passage.lang)} · {_date(article.published)}"
    if post.others:
        footer += f" · {post.others} more statement{'s' if post.others != 1 else ''} of theirs"
    if post.also_in:
        others = ", ".join(_one_line(a.source or a.domain or a.title or a.id) for a in post.also_in)
        footer += f" · also in: {others}"
    footer += f" · following {followed}"
    embed.set_footer(text=truncate(_plain(footer), FOOTER_LIMIT))
    return Page(content=truncate(f"**{speaker}** said:", CONTENT_LIMIT), embeds=(embed,))


TIMELINE_PER_PAGE = 5


def render_timeline(timeline: Timeline, per_page: int = TIMELINE_PER_PAGE) -> list[Page]:
    """``/quotes``: what someone said, newest first, a quote per block with its outlet, date,
    language and link; the same words in several outlets shown once, "also in" the others."""
    typed = truncate(escape(_one_line(timeline.typed)), 100)
    name = truncate(escape(_one_line(timeline.name)), 100)
    who = name if timeline.name == timeline.typed else f"{name} (asked as {typed})"
    narrowed = "".join([
        f" about **{truncate(escape(_one_line(timeline.about)), 80)}**" if timeline.about else "",
        f" since {escape(timeline.since)}" if timeline.since else "",
    ])
    if not timeline.entries:
        return [Page(content=f"No statements by **{who}**{narrowed} in the articles here yet.")]
    chunks = [timeline.entries[i : i + per_page]
              for i in range(0, len(timeline.entries), per_page)]
    pages = []
    for index, chunk in enumerate(chunks):
        blocks = []
        links = []
        for said in chunk:
            outlet = _one_line(said.article.source or said.article.domain or UNKNOWN_OUTLET)
            quote = highlight(said.quote, (), QUOTE_LIMIT // 2,
                              [said.mention] if said.mention[1] > said.mention[0] else [])
            cite = f"{escape(outlet)} · {_date(said.article.published)} · " \
                   f"{escape(language_name(said.lang))}"
            if said.also_in:
                others = ", ".join(_one_line(a.source or a.domain or a.title or a.id)
                                   for a in said.also_in[:5])
                cite += f" · also in {escape(others)}"
            cite = truncate(cite, CITE_LIMIT)  # cut before it becomes a link, never inside one
            url = _safe_url(said.article.url, LINK_URL_LIMIT)
            if url:
                cite = f"[{cite}]({url})" if len(url) < 300 else cite
                links.append((truncate(f"Open: {outlet}", BUTTON_LABEL_LIMIT), url))
            blocks.append(f"> {quote}\n{cite}")
        embed = discord.Embed(
            title=truncate(f"What {_one_line(timeline.name)} said", EMBED_TITLE_LIMIT),
            description=truncate("\n\n".join(blocks), EMBED_DESCRIPTION_LIMIT),
            colour=COLOUR,
        )
        first = index * per_page + 1
        embed.set_footer(text=truncate(
            f"{first}–{first + len(chunk) - 1} of {len(timeline.entries)} · newest first",
            FOOTER_LIMIT))
        content = truncate(f"Statements by **{who}**{narrowed}:", CONTENT_LIMIT)
        pages.append(Page(content=content, embeds=(embed,), links=tuple(links[:5]),
                          extra={"page": index, "pages": len(chunks)}))
    return pages


def render_follow(follow: Follow, found: SpeakerSummary) -> str:
    """``/follow``'s answer (Markdown): who the typed name resolved to in this server's
    articles, the other names it goes by, and what of theirs is there so far."""
    typed = truncate(escape(_one_line(follow.who)), 100)
    topic = f" about **{truncate(escape(_one_line(follow.about)), 100)}**" if follow.about else ""
    lines = [f"Following **{typed}**{topic} in <#{follow.channel_id}> (`{follow.id}`): new "
             "statements in this server's articles are posted there."]
    entity = found.entity
    others = [n for n in entity.names if n not in (entity.name, follow.who)][:6]
    also = f" (also: {', '.join(escape(_one_line(n)) for n in others)})" if others else ""
    if found.statements:
        langs = ", ".join(language_name(code) for code in found.languages)
        lines.append(
            f"Here that is **{truncate(escape(_one_line(entity.name)), 100)}**{also}: "
            f"{found.statements} statement{'s' if found.statements != 1 else ''} in "
            f"{found.articles} article{'s' if found.articles != 1 else ''} so far ({langs}).")
    else:
        lines.append(f"No statements by **{typed}**{also} in this server's articles yet.")
    return "\n".join(lines)


def render_feeds(feeds: Sequence[Feed], now: datetime) -> Page:
    """``/feed list``: each feed, its interval, and whether polling it works."""
    if not feeds:
        return Page(content="This server polls no feeds. Add one with `/feed add url:…`.")
    lines = []
    for feed in feeds[:30]:
        name = truncate(escape(_one_line(feed.title or feed.url)), 120)
        state = "ok"
        if feed.failures:
            state = f"{feed.failures} failed polls in a row"
            if failing_for_a_day(feed, now):
                state = f"**failing since {escape(_date(feed.failing_since))}**"
            if feed.last_error:
                state += f": {truncate(escape(_one_line(feed.last_error)), 150)}"
        lines.append(f"`{feed.id}` **{name}** · every {feed.interval_minutes} min · {state}")
    embed = discord.Embed(
        title="Feeds", description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    embed.set_footer(text=f"{len(feeds)} feeds")
    return Page(embeds=(embed,))


def render_follows(follows: Sequence[Follow]) -> Page:
    """``/following``: who is followed, about what, and where alerts go."""
    if not follows:
        return Page(content="This server follows no one. Try `/follow who:Microsoft`.")
    lines = [
        f"`{f.id}` **{truncate(escape(_one_line(f.who)), 100)}**"
        + (f" about {truncate(escape(_one_line(f.about)), 100)}" if f.about else "")
        + f" → <#{f.channel_id}>"
        for f in follows[:40]
    ]
    embed = discord.Embed(
        title="Following", description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    return Page(embeds=(embed,))


# --------------------------------------------------------------------------- admin & help


def render_ingest(report: IngestReport, what: str) -> Page:
    """What an ``/ingest`` did, item by item, failures with their reasons."""
    counts = (
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"skipped {len(report.skipped)}, failed {len(report.failed)}"
    )
    verdict = "Ingested" if report.ok else "Ingest finished with problems for"
    lines = [f"{verdict} {escape(_one_line(what))}: {counts}."]
    if report.added:
        shown = ", ".join(f"`{escape(a)}`" for a in report.added[:10])
        more = f" and {len(report.added) - 10} more" if len(report.added) > 10 else ""
        lines.append(f"New article ids: {shown}{more}")
    for failure in report.failed[:10]:
        lines.append(f"• {escape(_one_line(failure.origin))}: {escape(_one_line(failure.reason))}")
    if len(report.failed) > 10:
        lines.append(f"… and {len(report.failed) - 10} more failures")
    return Page(content=truncate("\n".join(lines), CONTENT_LIMIT))


HELP_TEXT = (
    ("/ask question [source] [language] [private]", "Answer a question with quoted passages."),
    ("@storybot question", "Mention me with a question for the same answer as /ask."),
    ("/sources", "List the outlets and languages in the archive."),
    ("/article id", "Read one stored article passage by passage (only you see it)."),
    ("/ingest [file] [url]", "Add articles to this server's own collection (Manage Server)."),
    ("/remove article", "Remove one of this server's own articles (Manage Server)."),
    ("/settings [shared] [follow_role]", "Show or change whether this server also searches the "
     "shared collection, and who besides Manage Server may follow (Manage Server)."),
    ("/feed add url · /feed list · /feed remove", "Poll news feeds into this server's articles "
     "(Manage Server)."),
    ("/follow who [about] [channel] · /following · /unfollow", "Post new statements by someone "
     "to a channel as they appear, in any language."),
    ("/help", "This message."),
)


def render_help() -> Page:
    """``/help``: every command in one embed."""
    embed = discord.Embed(
        title="storybot",
        description=(
            "I answer questions about stored news stories by quoting the passages that answer "
            "them, each linked to its source. Buttons under an answer show more results or a "
            "quote in its context."
        ),
        colour=COLOUR,
    )
    for name, text in HELP_TEXT[:FIELDS_PER_EMBED]:
        embed.add_field(name=name, value=text, inline=False)
    return Page(embeds=(embed,))


def render_notice(text: str, *, markdown: bool = False) -> Page:
    """A short message (errors, refusals), cut to fit.

    Plain ``text`` is escaped; with ``markdown=True`` it is our own Markdown (any untrusted
    part already passed through :func:`escape`) and only mentions are neutralised.
    """
    body = _plain(text) if markdown else escape(text)
    return Page(content=truncate(body, CONTENT_LIMIT))
