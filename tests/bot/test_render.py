"""The pure renderer: limits, escaping, bolding, truncation, hostile text."""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import (
    AUTHOR_NAME_LIMIT,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_PER_EMBED,
    FOOTER_LIMIT,
    LINK_URL_LIMIT,
    NO_MENTIONS,
    Page,
    answer_pages,
    escape,
    highlight,
    render_answer,
    render_article,
    render_context,
    render_help,
    render_ingest,
    render_notice,
    render_sources,
    render_timeline,
    truncate,
)
from index.models import (
    Answer,
    Article,
    IngestFailure,
    IngestReport,
    Passage,
    Quote,
    Said,
    SourceSummary,
    Timeline,
)

HOSTILE = [
    "@everyone",
    "@here",
    "<@&123>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "# heading",
    "-# subtext",
    "> quote",
    "1. list",
    "[x](http://evil.example)",
    "```py\nprint(1)\n```",
    "**bold** __under__ ~~strike~~ ||spoiler||",
    "\\",
    "\\*",
    "a" * 3000,
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "nul\x00byte esc\x1b[31mred\x1b[0m bell\x07 \u2066isolate\u2069",
    "🦓🦓🦓",
    "माइक्रोसॉफ्ट ने कहा",
    "<t:0:R> <#123> <:emoji:123>",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=0, max_size=400),
    st.lists(st.sampled_from([*HOSTILE, " ", "\n", "word", "Microsoft"]), max_size=60).map("".join),
)


def quote(text: str = "Microsoft said it would respond.", **overrides) -> Quote:
    fields = {
        "passage_id": "a1:0",
        "article_id": "a1",
        "title": "Microsoft answers",
        "source": "Example Wire",
        "url": "https://wire.example/a1",
        "link": "https://wire.example/a1#:~:text=Microsoft%20said",
        "lang": "en",
        "published": "2023-05-19T10:00:00",
        "text": text,
        "score": 1.0,
        "terms": ("Microsoft",),
    }
    fields.update(overrides)
    return Quote(**fields)


def assert_page_fits(page: Page) -> None:
    """Every Discord limit holds and nothing can mention anyone."""
    assert len(page.content) <= CONTENT_LIMIT
    assert len(page.embeds) <= EMBEDS_PER_MESSAGE
    assert sum(len(embed) for embed in page.embeds) <= EMBED_TOTAL_LIMIT
    for embed in page.embeds:
        assert len(embed.title or "") <= EMBED_TITLE_LIMIT
        assert len(embed.description or "") <= EMBED_DESCRIPTION_LIMIT
        assert len(embed.fields) <= FIELDS_PER_EMBED
        for embed_field in embed.fields:
            assert len(embed_field.name or "") <= FIELD_NAME_LIMIT
            assert len(embed_field.value or "") <= FIELD_VALUE_LIMIT
        assert len(embed.footer.text or "") <= FOOTER_LIMIT
        assert len(embed.author.name or "") <= AUTHOR_NAME_LIMIT
        if embed.url:
            assert embed.url.startswith("http") and " " not in embed.url
    for _label, url in page.links:
        assert len(url) <= LINK_URL_LIMIT
    assert page.send_kwargs()["allowed_mentions"] is NO_MENTIONS
    assert page.to_dict()["allowed_mentions"] == {"parse": []}
    for text in _strings(page):
        assert not re.search(r"@(everyone|here|[!&]?\d)", text), text
        assert not CONTROLS.search(text), repr(text)
        assert text.count("**") % 2 == 0 or "\\*" in text


# What must never reach Discord: C0/C1 controls but tab and newline, bidi overrides/isolates.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _strings(page: Page) -> list[str]:
    out = [page.content]
    for embed in page.embeds:
        out += [embed.title or "", embed.description or "", embed.footer.text or ""]
        out += [embed.author.name or ""]
        out += [f.name or "" for f in embed.fields] + [f.value or "" for f in embed.fields]
    return out


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_neutralises_markdown_and_mentions(text: str) -> None:
    """Escaped hostile text has no live mention and no unescaped Markdown character."""
    escaped = escape(text)
    assert not re.search(r"@(everyone|here|[!&]?\d)", escaped)
    unescaped = re.sub(r"\\.", "", escaped, flags=re.S)
    assert not re.search(r"[*_~`|\[\]<>]", unescaped)


def test_escape_keeps_plain_text_readable() -> None:
    """Ordinary words, Devanagari and emoji pass through untouched."""
    assert escape("माइक्रोसॉफ्ट ने कहा 🦓") == "माइक्रोसॉफ्ट ने कहा 🦓"


def test_highlight_bolds_whole_words_only() -> None:
    """Matched terms are bolded case-insensitively; parts of longer words are not."""
    out = highlight("Microsoft and microsofty and MICROSOFT.", ("microsoft",), 500)
    assert out == "**Microsoft** and microsofty and **MICROSOFT**."


def test_highlight_bolding_does_not_break_escaping() -> None:
    """A term next to escaped Markdown stays bold and the Markdown stays literal."""
    out = highlight("*Microsoft* said", ("Microsoft",), 500)
    assert out == "\\***Microsoft**\\* said"


def test_highlight_never_cuts_inside_bold() -> None:
    """A cut lands before a bold term rather than inside it."""
    out = highlight("word " * 10 + "Microsoft", ("Microsoft",), 55)
    assert out.count("**") % 2 == 0 and out.endswith("…") and len(out) <= 55


def test_highlight_matches_devanagari_terms_without_splitting_marks() -> None:
    """A Hindi term is bolded where it is a whole word, not inside a longer word."""
    out = highlight("कहा कहानी", ("कहा",), 500)
    assert out == "**कहा** कहानी"


def test_truncate_cuts_at_a_word_and_adds_ellipsis() -> None:
    """Truncation ends at a word boundary with … and respects the limit."""
    assert truncate("one two three four", 12) == "one two…"
    assert truncate("short", 12) == "short"
    assert len(truncate("x" * 50, 10)) == 10


def test_truncate_never_leaves_a_dangling_backslash() -> None:
    """Cutting escaped text never splits an escape sequence."""
    escaped = escape("*" * 40)
    for limit in range(2, 30):
        cut = truncate(escaped, limit)
        body = cut.removesuffix("…")
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


# --------------------------------------------------------------------------- answers


def test_answer_has_one_embed_per_article_with_citation() -> None:
    """Quotes group by article; title links to the deep link; outlet, language and date shown."""
    answer = Answer(
        "what did Microsoft say?",
        (quote(), quote(passage_id="a2:3", article_id="a2", title="Other"), quote("Again.")),
        False,
    )
    page = render_answer(answer)
    assert len(page.embeds) == 2
    first = page.embeds[0]
    assert first.url == "https://wire.example/a1#:~:text=Microsoft%20said"
    assert first.author.name == "Example Wire"
    assert "English" in (first.footer.text or "") and "2023-05-19" in (first.footer.text or "")
    assert (first.description or "").startswith("> **[1]** **Microsoft** said")
    assert "> **[3]** Again." in (first.description or "")
    assert [n for n, _q in page.quotes] == [1, 2, 3]


def test_no_answer_is_said_plainly() -> None:
    """An answer without quotes renders as one plain sentence, no embeds."""
    page = render_answer(Answer("who won?", (), True))
    assert page.embeds == () and "couldn't find" in page.content


def test_long_links_fall_back_to_url_or_are_dropped() -> None:
    """A deep link over 512 characters falls back to the plain URL for buttons."""
    long_link = "https://wire.example/a1#:~:text=" + "x" * 600
    page = render_answer(Answer("q", (quote(link=long_link),), False))
    assert page.links == (("Open: Example Wire", "https://wire.example/a1"),)
    page = render_answer(Answer("q", (quote(link=long_link, url="https://x/" + "y" * 600),), False))
    assert page.links == ()


def test_answers_are_paged_five_quotes_at_a_time() -> None:
    """Twelve quotes make three pages, numbered continuously."""
    quotes = tuple(quote(f"Microsoft said {i}.", passage_id=f"a1:{i}") for i in range(12))
    pages = answer_pages(Answer("q", quotes, False))
    assert len(pages) == 3
    assert [n for n, _ in pages[2].quotes] == [11, 12]
    assert "page 3/3" in pages[2].content


def test_huge_answers_still_fit() -> None:
    """Five enormous quotes from five articles are shrunk to fit 6000 characters."""
    quotes = tuple(
        quote("Microsoft " * 2000, article_id=f"a{i}", passage_id=f"a{i}:0", title="T" * 300)
        for i in range(5)
    )
    page = render_answer(Answer("q" * 5000, quotes, False))
    assert_page_fits(page)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(hostile_text, min_size=1, max_size=12),
    titles=st.lists(st.one_of(st.none(), hostile_text), min_size=1, max_size=12),
    question=hostile_text,
    terms=st.lists(
        st.one_of(st.sampled_from(["Microsoft", "@everyone", "*", "\\"]), st.text(max_size=8)),
        max_size=4,
    ),
    articles=st.integers(min_value=1, max_value=12),
)
def test_hostile_answers_never_break_discord_limits(texts, titles, question, terms, articles):
    """Random hostile quotes, titles, outlets and questions render within every limit."""
    quotes = tuple(
        quote(
            text,
            passage_id=f"a{i % articles}:{i}",
            article_id=f"a{i % articles}",
            title=titles[i % len(titles)],
            source=titles[(i + 1) % len(titles)],
            terms=tuple(terms),
            link="https://wire.example/" + "l" * (i * 100),
        )
        for i, text in enumerate(texts)
    )
    for page in answer_pages(Answer(question, quotes, False)):
        assert_page_fits(page)
        for embed in page.embeds:
            assert "@everyone" not in discord.Embed.to_dict(embed).__repr__()


@settings(max_examples=60, deadline=None)
@given(before=hostile_text, text=hostile_text, after=hostile_text)
def test_hostile_context_fits(before, text, after):
    """The context view of hostile text stays within limits and mentions nobody."""
    passage = Passage("a1:1", "a1", 1, text or "x", 0, 1, "en")
    assert_page_fits(render_context(passage, before * 5, after * 5, quote(text or "x")))


# --------------------------------------------------------------------------- other pages


@settings(max_examples=40, deadline=None)
@given(names=st.lists(hostile_text, min_size=1, max_size=60))
def test_sources_pages_fit(names):
    """Any number of hostile outlet names pages within the limits."""
    summaries = [SourceSummary(name, "hi", 3, "2023-05-19") for name in names]
    for page in render_sources(summaries):
        assert_page_fits(page)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(hostile_text, min_size=0, max_size=40), title=hostile_text)
def test_article_pages_fit(texts, title):
    """A long hostile article splits over pages that each fit."""
    article = Article("a1", title, "@everyone", "https://x.example/a", "en", None, "", "", "h")
    passages = [Passage(f"a1:{i}", "a1", i, t, 0, 0, "en") for i, t in enumerate(texts)]
    pages = render_article(article, passages)
    assert pages
    for page in pages:
        assert_page_fits(page)


def test_empty_sources_say_so() -> None:
    """No sources yet is said in words."""
    assert "No articles" in render_sources([])[0].content


def test_ingest_report_lists_failures_escaped() -> None:
    """Failures are listed with their reasons; hostile origins are escaped."""
    report = IngestReport(added=["abc"], failed=[IngestFailure("@everyone.txt", "bad *file*")])
    page = render_ingest(report, "@everyone.txt")
    assert_page_fits(page)
    assert "failed 1" in page.content and "bad \\*file\\*" in page.content


def test_help_and_notices_fit() -> None:
    """Help and notices respect the limits."""
    assert_page_fits(render_help())
    assert_page_fits(render_notice("@everyone " * 500))


def test_sources_without_an_outlet_say_so() -> None:
    """An outlet-less row reads "unknown outlet" rather than an empty bold marker."""
    page = render_sources([SourceSummary(source="", lang="hi", articles=1, newest=None)])[0]
    description = page.embeds[0].description or ""
    assert "unknown outlet" in description and "****" not in description


@pytest.mark.parametrize("url", ["http://[::1", "https://x.example:99999/", "http://exa mple.com/"])
def test_malformed_urls_are_dropped_not_raised(url: str) -> None:
    """A stored URL that does not parse never crashes rendering; the answer shows without it."""
    page = render_answer(Answer("q", (quote(url=url, link=url),), False))
    assert_page_fits(page)
    assert page.embeds[0].url is None and page.links == ()


def test_a_timeline_entry_with_many_long_outlets_keeps_its_link_whole() -> None:
    """The "also in" line of a quote carried by outlets with long names is cut before it is
    wrapped as a link, so the link's address is never cut."""
    url = "https://news.example/" + "a" * 250

    def article(n: int) -> Article:
        return Article(f"a{n}", "t", "An Outlet With A Very Long Name Indeed " * 3, url, "en",
                       "2026-01-05", "", "", "h")

    said = Said("Donald Trump", "It was a great deal.", (0, 0), article(0), 0, "en",
                also_in=tuple(article(n) for n in range(1, 6)))
    [page] = render_timeline(Timeline("Trump", "Donald Trump", (said,)))
    assert page.embeds and f"]({url})" in (page.embeds[0].description or "")
