"""Word → term, one small step at a time: each filter maps a word to a word, or to "" to drop it.

The steps, in the order ``Analyzer`` applies them:

* ``normalize``: Unicode NFKC, case folding, every decimal digit to ASCII ("२०२३" → "2023"),
  and Hindi spelling variants folded together (nukta dropped, chandrabindu → anusvara,
  zero-width joiners removed), so that "क़ानून" and "कानून" are one word.
* stop words (``index/data/stopwords``) are dropped.
* ``Stemmer``: Snowball light stemming per language through PyStemmer, memoised.
"""

from __future__ import annotations

import unicodedata

import Stemmer

from index.lang import language

__all__ = ["Stemmer", "normalize", "stemmer_for"]


_NUKTA = "\u093c"
_FOLD = str.maketrans({
    _NUKTA: None,
    "\u0901": "\u0902",  # chandrabindu → anusvara
    "\u200c": None,  # zero-width non-joiner
    "\u200d": None,  # zero-width joiner
    "\u00ad": None,  # soft hyphen
})


def normalize(word: str) -> str:
    """One canonical spelling of a word.

    >>> normalize("ज़रूरी"), normalize("२०२३"), normalize("Microsoft")
    ('जरूरी', '2023', 'microsoft')
    """
    word = unicodedata.normalize("NFKC", word).casefold()
    if word.isascii():
        return word
    word = word.translate(_FOLD)
    return "".join(_ascii_digit(c) for c in word)


def _ascii_digit(char: str) -> str:
    if char.isdigit() and not char.isascii():
        value = unicodedata.digit(char, None)
        if value is not None:
            return str(value)
    return char


_stemmers: dict[str, Stemmer.Stemmer] = {}


def stemmer_for(lang: str) -> Stemmer.Stemmer | None:
    """The Snowball stemmer of ``lang``, shared and memoised, or None when there is none."""
    known = language(lang)
    algorithm = known.snowball if known is not None else None
    if algorithm is None:
        return None
    stemmer = _stemmers.get(lang)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(algorithm, 100_000)
        _stemmers[lang] = stemmer
    return stemmer
