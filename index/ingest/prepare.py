"""An article draft → an article ready to store: cleaned, language known, split into passages."""

from __future__ import annotations

from index.errors import BadInput
from index.ingest.clean import clean_article
from index.ingest.passages import split_passages
from index.ingest.urls import registered_domain
from index.lang.identify import detect_language, detect_passage_language, normalize_lang
from index.models import ArticleDraft, PreparedArticle

__all__ = ["prepare_article", "prepare_passage"]


def prepare_article(draft: ArticleDraft) -> PreparedArticle:
    """Clean, identify the language, split into passages; ``BadInput`` when nothing is left."""
    cleaned = clean_article(draft.text, draft.title)
    if not cleaned.text.strip():
        raise BadInput(draft.origin, "no article text left after removing page boilerplate")
    lang = normalize_lang(draft.lang) or detect_language(cleaned.text)
    passages = []
    for start, end in split_passages(cleaned.text):
        # A passage clearly in another language than its article (a quote in English inside
        # a Hindi story) is analysed as its own language; when in doubt, as the article's.
        passages.append((start, end, detect_passage_language(cleaned.text[start:end], lang)))
    return PreparedArticle(
        title=cleaned.title, source=draft.source, url=draft.url, lang=lang,
        published=draft.published, original_text=draft.text, clean_text=cleaned.text,
        passages=passages, page_url=draft.page_url,
        domain=registered_domain(draft.url or draft.page_url),
    )


def prepare_passage(draft: ArticleDraft) -> PreparedArticle:
    """A text kept whole as one passage (evaluation sets give passages ready-made)."""
    text = draft.text.strip()
    if not text:
        raise BadInput(draft.origin, "empty passage")
    lang = normalize_lang(draft.lang) or detect_language(text)
    return PreparedArticle(
        title=draft.title, source=draft.source, url=draft.url, lang=lang,
        published=draft.published, original_text=draft.text, clean_text=text,
        passages=[(0, len(text), lang)], page_url=draft.page_url,
        domain=registered_domain(draft.url or draft.page_url),
    )
