"""Links to a quoted passage: text-fragment deep links (``url#:~:text=start,end``).

A browser that supports text fragments opens the page scrolled to, and highlighting, the quote
(https://wicg.github.io/scroll-to-text-fragment/). The spec asks for ``-``, ``,`` and ``&`` to be
percent-encoded inside the fragment terms, on top of the usual URL escaping.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["encode_fragment_term", "text_fragment_link"]

_EDGE_WORDS = 5


def encode_fragment_term(term: str) -> str:
    """Percent-encode one ``textStart``/``textEnd`` term as the spec requires.

    >>> encode_fragment_term("start-up, A&B")
    'start%2Dup%2C%20A%26B'
    """
    return quote(term, safe="").replace("-", "%2D")


def text_fragment_link(url: str, passage: str) -> str | None:
    """``url`` with a fragment that selects ``passage``; None when ``url`` is not http(s).

    Short passages are matched whole; longer ones by their first and last few words, which keeps
    the link short and still selects the whole passage.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    words = passage.split()
    if not words:
        return url
    if len(words) <= 2 * _EDGE_WORDS:
        directive = encode_fragment_term(" ".join(words))
    else:
        start = " ".join(words[:_EDGE_WORDS])
        end = " ".join(words[-_EDGE_WORDS:])
        directive = f"{encode_fragment_term(start)},{encode_fragment_term(end)}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")) + (
        f"#:~:text={directive}"
    )
