"""Text analysis: words, normalisation, stop words, stems, phonetic keys, language."""

from __future__ import annotations

from index.analysis.analyzers import Analyzed, Analyzer, analyzer_for
from index.analysis.tokenizers import Word, tokenize
from index.lang.identify import detect_language, normalize_lang

__all__ = [
    "Analyzed",
    "Analyzer",
    "Word",
    "analyzer_for",
    "detect_language",
    "normalize_lang",
    "tokenize",
]
