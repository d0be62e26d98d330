"""A statement: who said what, where in the article."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CUE_RANK", "EXTRACTOR_VERSION", "TITLE_POSITION", "Statement"]

EXTRACTOR_VERSION = "2"
"""Raised whenever a change of the code finds other statements in the same article (a change of
the data files is noticed by itself): the stored statements are then extracted again."""

TITLE_POSITION = -1
"""``Statement.position`` of a statement found in the article's title (spans index the title)."""

CUE_RANK = {
    "after": 0, "before": 0, "according_to": 0, "kahna_hai": 0, "passive": 0,
    "quote_next": 1, "quote_prev": 1, "title": 2, "pronoun": 2, "headline": 3,
}
"""How directly each cue names the speaker in the quoted sentence (lower is better): an alert
quotes the best-ranked statement, the sentence that carries both the name and the verb."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of an article: ``speaker`` said ``content`` in ``sentence``.

    Spans are ``(start, end)`` offsets into the text of the passage at ``position`` (or into the
    title when ``position`` is ``TITLE_POSITION``). A joint statement ("X and Y said") gives one
    ``Statement`` per speaker, with the same sentence and content.
    """

    position: int  # which passage of the article
    sentence: tuple[int, int]  # the sentence carrying the statement
    mention: tuple[int, int]  # the speaker's mention (a pronoun for cue "pronoun"; empty for
    #   "quote_prev" / "quote_next", whose name stands in the neighbouring sentence)
    speaker: str  # who spoke, as the article names them at their fullest, titles stripped
    cue: str  # how it was found: a cue of the language's data ("after", "before",
    #   "according_to", "kahna_hai", "passive"), or "headline" (in the title), "quote_prev"
    #   (a quote before the sentence attributing it: '"…." The minister said this.'),
    #   "quote_next" (a quote after 'X said on Monday:'), "pronoun" ("he said": the person
    #   speaking just before), "title" ("the minister said": the person last named with it)
    content: tuple[int, int]  # what was said: the quote, or the reported clause
    on_behalf: str | None = None  # the body an official or spokesperson speaks for, as the
    #   article names it ("KPK" for "Juru Bicara KPK Budi Prasetyo"); never a person's name
    #   the article gives in full (a person's spokesman speaks for no one but himself)
    lang: str = ""  # the language of the passage
    quoted: bool = False  # the content is a quote (direct speech), not a reported clause
    named: bool = False  # the mention gives the speaker's name in full ("Joe Biden", not "Biden")

    @property
    def rank(self) -> int:
        """``CUE_RANK`` of the cue: 0 when the sentence itself names the speaker with a verb."""
        return CUE_RANK.get(self.cue, len(CUE_RANK))

    @property
    def alert_order(self) -> tuple[int, bool, bool, int, tuple[int, int]]:
        """Sorts an article's statements by one speaker best first, for the one an alert
        quotes: the sentence names them with a verb (``rank``), then direct speech, then the
        full name, then the earliest."""
        position = self.position if self.position >= 0 else 1 << 30
        return self.rank, not self.quoted, not self.named, position, self.sentence
