"""An article draft → an article ready to store: cleaned, language known, split into passages."""

from __future__ import annotations

from index.errors import BadInput
from index.ingest.clean import clean_article
from index.ingest.passages import split_passages
from index.ingest.urls import registered_domain
from index.lang.identify import detect_language, dominant_script, normalize_lang
from index.models import ArticleDraft
from index.store import StoredArticle

__all__ = ["prepare_article", "prepare_passage"]


def prepare_article(draft: ArticleDraft) -> StoredArticle:
    """Clean, identify the language, split into passages; ``BadInput`` when nothing is left."""
    cleaned = clean_article(draft.text, draft.title)
    if not cleaned.text.strip():
        raise BadInput(draft.origin, "no article text left after removing page boilerplate")
    lang = normalize_lang(draft.lang) or detect_language(cleaned.text)
    script = dominant_script(cleaned.text)
    passages = []
    for start, end in split_passages(cleaned.text):
        chunk = cleaned.text[start:end]
        # A passage in another script than its article (a quote in English inside a Hindi
        # story) is analysed as its own language.
        own = lang if dominant_script(chunk) in (script, None) else detect_language(chunk)
        passages.append((start, end, own))
    return StoredArticle(
        title=cleaned.title, source=draft.source, url=draft.url, lang=lang,
        published=draft.published, original_text=draft.text, clean_text=cleaned.text,
        passages=passages, page_url=draft.page_url,
        domain=registered_domain(draft.url or draft.page_url),
    )


def prepare_passage(draft: ArticleDraft) -> StoredArticle:
    """A text kept whole as one passage (evaluation sets give passages ready-made)."""
    text = draft.text.strip()
    if not text:
        raise BadInput(draft.origin, "empty passage")
    lang = normalize_lang(draft.lang) or detect_language(text)
    return StoredArticle(
        title=draft.title, source=draft.source, url=draft.url, lang=lang,
        published=draft.published, original_text=draft.text, clean_text=text,
        passages=[(0, len(text), lang)], page_url=draft.page_url,
        domain=registered_domain(draft.url or draft.page_url),
    )
