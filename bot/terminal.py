"""Plain-text views of library results for the terminal: pure ``format_*`` functions.

Stored text is untrusted: control characters (an ESC starts a terminal escape sequence) and
bidirectional overrides are removed from everything printed.

The command line prints what these return; tests call them directly.
"""

from __future__ import annotations

import textwrap

from index import Answer, IngestReport, SourceSummary, Timeline, strip_controls

__all__ = ["format_answer", "format_report", "format_sources", "format_timeline", "format_vectors"]


def format_answer(answer: Answer) -> str:
    """An answer as numbered quotes with their citation lines."""
    if answer.no_answer:
        if answer.note:
            return strip_controls(f"No answer: {answer.note}.")
        return f"No answer: nothing in the corpus answers {answer.query!r}."
    blocks = []
    for number, quote in enumerate(answer.quotes, start=1):
        cite = " · ".join(
            part
            for part in (quote.title, quote.source, quote.lang, quote.published)
            if part
        )
        where = quote.link or quote.url or f"article {quote.article_id}"
        body = textwrap.indent(textwrap.fill(quote.text, width=96), "   > ")
        blocks.append(f"{number}. {cite}\n{body}\n   {where}")
    if answer.note:
        blocks.insert(0, f"({answer.note}; these passages mention them)")
    return strip_controls("\n\n".join(blocks))


def format_report(report: IngestReport) -> str:
    """One summary line, then one line per failed item with its reason."""
    lines = [report.summary(), *(f"  note: {note}" for note in report.notes)]
    lines += [f"  failed: {f.origin}: {f.reason}" for f in report.failed]
    return strip_controls("\n".join(lines))


def format_sources(rows: list[SourceSummary]) -> str:
    """Outlets per collection and language: ``shared`` (the operator's) or ``guild:<id>``."""
    if not rows:
        return "The corpus is empty."
    width = max(len(r.source or "(no source)") for r in rows)
    coll = max(len("collection"), *(len(r.collection) for r in rows))
    lines = [f"{'collection':<{coll}}  {'source':<{width}}  lang  articles  newest"]
    for r in sorted(rows, key=lambda r: (r.collection != "shared", r.collection)):
        lines.append(
            f"{r.collection:<{coll}}  {(r.source or '(no source)'):<{width}}  {r.lang:<4}"
            f"  {r.articles:>8}  {r.newest or ''}"
        )
    return strip_controls("\n".join(lines))


def format_vectors(done: int, total: int) -> str:
    """How many passages have vectors, and what to do about the rest.

    >>> format_vectors(900, 1000)
    'vectors: 900 of 1,000 passages (90%); the rest: storybot embed, or a running bot'
    """
    if total == 0 or done >= total:
        return f"vectors: all {total:,} passages"
    return (f"vectors: {done:,} of {total:,} passages ({100 * done // total}%); the rest: "
            "storybot embed, or a running bot")


def format_timeline(timeline: Timeline, limit: int = 20) -> str:
    """What someone said, newest first: a quote a block, with its outlet, date and link."""
    who = timeline.name if timeline.name == timeline.typed else (
        f"{timeline.name} (asked as {timeline.typed})")
    if not timeline.entries:
        return strip_controls(f"No statements by {who} in the corpus.")
    blocks = [f"{len(timeline.entries)} statements by {who}, newest first:"]
    for said in timeline.entries[:limit]:
        cite = " · ".join(part for part in (
            said.article.source or said.article.domain, said.article.published, said.lang) if part)
        also = ", ".join(a.source or a.domain or a.id for a in said.also_in if a)
        body = textwrap.indent(textwrap.fill(said.quote, width=96), "   > ")
        where = said.article.url or f"article {said.article.id}"
        blocks.append(f"{cite}{f' (also in {also})' if also else ''}\n{body}\n   {where}")
    return strip_controls("\n\n".join(blocks))
