"""Scraped text → article text: drop the lines that are not the article.

Real scrapes carry a page's chrome around the story: menus and breadcrumbs, "powered by",
read-time lines ("3 min read"), share and comment widgets, "Baca Juga:" teasers for other stories,
and the headline repeated once or twice. The rules:

0. control and bidirectional-formatting characters go (``index.text.strip_controls``);
1. lines matching a pattern of ``index/data/boilerplate.txt`` go, wherever they are, and a
   publisher's note of ``boilerplate-notes.txt`` glued to a line ("(This story has not been
   edited by … and is auto-generated from a syndicated feed.)") is cut from it;
2. before the first body line (a real sentence: enough words, ending like a sentence), and after
   the last one, short lines that do not end like a sentence go (menus, taglines, teasers);
3. lines that repeat the title (also with " - Outlet" after it) or an earlier line go.

The title, given or found, is returned apart so it is never quoted as a passage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from index.data import lines as data_lines
from index.text import strip_controls

__all__ = ["Cleaned", "clean_article"]

_SENTENCE_END = tuple(".!?।॥\"'”’)»…")
_BODY_MIN_WORDS = 8
_SHORT_LINE = 200


@dataclass(frozen=True, slots=True)
class Cleaned:
    title: str | None
    text: str  # kept lines joined by "\n", each trimmed


@cache
def _rules(name: str) -> re.Pattern[str] | None:
    """The patterns of data file ``name`` as one case-insensitive regex (None: no rules)."""
    rules = data_lines(name)
    return re.compile("|".join(f"(?:{r})" for r in rules), re.IGNORECASE) if rules else None


def _boilerplate() -> re.Pattern[str]:
    pattern = _rules("boilerplate.txt")
    assert pattern is not None, "index/data/boilerplate.txt holds no rules"
    return pattern


def _notes() -> re.Pattern[str] | None:
    return _rules("boilerplate-notes.txt")


def _without_notes(line: str) -> str:
    notes = _notes()
    return line if notes is None else " ".join(notes.sub(" ", line).split())


def _canon(line: str) -> str:
    """A comparison form of a line: NFKC, case-folded, spaces and dashes collapsed."""
    line = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(re.sub(r"[\s\u00a0\-–—|:]+", " ", line).split())


def _ends_like_sentence(line: str) -> bool:
    return line.rstrip("*# \u00a0").endswith(_SENTENCE_END)


def _is_body(line: str) -> bool:
    return len(line.split()) >= _BODY_MIN_WORDS and _ends_like_sentence(line)


def _is_title_echo(line: str, title_canon: str) -> bool:
    """The title itself, or the title with an outlet name or tag around it."""
    canon = _canon(line)
    if not title_canon or not canon:
        return False
    if canon == title_canon:
        return True
    shorter, longer = sorted((canon, title_canon), key=len)
    return len(shorter) >= 0.6 * len(longer) and longer.startswith(shorter)


def clean_article(text: str, title: str | None = None) -> Cleaned:
    """Keep the article's own lines and find its title when none is given.

    >>> text = "Home News\\n3 min read\\nThe Big Story\\nIt began on Monday with a long letter.\\n"
    >>> c = clean_article(text)
    >>> c.title, c.text
    ('The Big Story', 'It began on Monday with a long letter.')
    """
    boilerplate = _boilerplate()
    raw = [_without_notes(" ".join(strip_controls(line).split())) for line in text.splitlines()]
    candidates = [line for line in raw if line and not boilerplate.fullmatch(line)]
    body = [i for i, line in enumerate(candidates) if _is_body(line)]
    if not body:
        kept = candidates
        lead: list[str] = []
    else:
        first, last = body[0], body[-1]
        lead = candidates[:first]
        kept = [line for line in lead if _ends_like_sentence(line) or len(line) > _SHORT_LINE]
        kept += candidates[first : last + 1]
        kept += [
            line
            for line in candidates[last + 1 :]
            if _ends_like_sentence(line) or len(line) > _SHORT_LINE
        ]
    if not title:
        title = _guess_title(lead, kept)
    title_canon = _canon(title) if title else ""
    out: list[str] = []
    seen: set[str] = set()
    for line in kept:
        canon = _canon(line)
        echo = title_canon and not _is_body(line) and _is_title_echo(line, title_canon)
        if canon in seen or echo:
            continue
        seen.add(canon)
        out.append(line)
    return Cleaned(title=title.strip() if title else None, text="\n".join(out))


def _guess_title(lead: list[str], kept: list[str]) -> str | None:
    """A headline: a lead line that is repeated (shortest form wins), else the last lead line."""
    canons = [_canon(line) for line in lead + kept]
    for line in lead + kept[:10]:
        if _ends_like_sentence(line) or len(line) > _SHORT_LINE:
            continue  # a headline is short and is not a sentence
        canon = _canon(line)
        echoes = [c for c in canons if c != canon and (c.startswith(canon) or canon.startswith(c))]
        if canons.count(canon) > 1 or echoes:
            variants = [line] + [x for x in lead + kept if _canon(x) in echoes]
            return min(variants, key=len)
    titled = [line for line in lead if len(line.split()) >= 3 and not _ends_like_sentence(line)]
    return titled[-1] if titled else None
