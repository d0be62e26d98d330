"""Who said what: statements of an article, and speakers as entities across scripts.

``extract_statements`` reads an article's passages for statements: a speaker who is the source
of a verb of communication with some content, quoted or reported ("Trump said", '"…," kata
Prabowo', "मोदी ने कहा", "according to X", "menurut X", "X के अनुसार", "dibenarkan oleh X").
Cues are per-language data (``index/data/statements/<lang>.toml``); the speaker is named as the
article names them at their fullest, titles and roles stripped.

``name_key``, ``same_name_word`` and ``speaker_matches`` compare whole names across scripts by
transliteration (ट्रंप = Trump, मोदी = Modi, डब्ल्यूएचओ = WHO; मोदी ≠ Moody's); ``resolve``
picks the entity a typed name most likely means from the corpus's speakers; ``learn_aliases``
finds the other names a text defines ("World Health Organization (WHO)"), and ``alias_map``
collects them for the other two.

Pure functions: no store, no I/O beyond the packaged data, no Discord.
"""

from __future__ import annotations

from index.statements.aliases import alias_map, learn_aliases
from index.statements.extract import extract_statements
from index.statements.model import CUE_RANK, EXTRACTOR_VERSION, TITLE_POSITION, Statement
from index.statements.names import (
    NameMatcher,
    entity_names,
    name_key,
    name_shapes,
    resolve,
    same_name_word,
    speaker_matches,
    spoken_by,
    strip_titles,
)

__all__ = [
    "CUE_RANK", "EXTRACTOR_VERSION", "TITLE_POSITION", "NameMatcher", "Statement", "alias_map",
    "entity_names", "extract_statements", "learn_aliases", "name_key", "name_shapes", "resolve",
    "same_name_word", "speaker_matches", "spoken_by", "strip_titles",
]


