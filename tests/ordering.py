"""The order of an answer's quotes, for the tests that check it.

Best first, except that one article gives at most ``Ranking.per_article`` quotes before every
other article's candidates have had their turn (``index.search.answer._choose``).
"""

from __future__ import annotations

from collections.abc import Iterable

from index.search.answer import Ranking


def in_answer_order(quotes: Iterable[tuple[str, float]]) -> bool:
    """Whether (article id, score) pairs are in that order: the quotes that came in their
    article's turn are in score order, and the ones that waited come after all of them."""
    limit = Ranking().per_article
    seen: dict[str, int] = {}
    in_turn: list[float] = []
    waited = False
    for article, score in quotes:
        seen[article] = seen.get(article, 0) + 1
        if seen[article] > limit:
            waited = True
        elif waited:
            return False
        else:
            in_turn.append(score)
    return in_turn == sorted(in_turn, reverse=True)
