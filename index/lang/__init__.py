"""Facts about languages, in one registry read from ``index/data/languages.toml``.

Each language's code, name, script, Snowball stemmer, aliases, whether storybot serves it fully
(word lists, glossary, an ``/ask`` choice) and whether language identification may answer it
live in that one file; code asks the registry (``language``, ``served``, ``for_script``)
instead of keeping its own tables. Identification itself is in ``identify``; the everyday-word
glossary, which compares words as the analysers stem them, is ``index.analysis.glossary``.

>>> language("hi").name, language("hi").script, language("id").snowball
('Hindi', 'DEVANAGARI', 'indonesian')
>>> [lang.code for lang in served()]
['en', 'id', 'hi']
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["Language", "aliases", "for_script", "language", "languages", "latin_served",
           "served"]


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    script: str
    snowball: str | None = None
    aliases: tuple[str, ...] = ()
    served: bool = False
    identify: bool = False
    romanised: str | None = None  # the word lists of it typed in Latin letters


@cache
def languages() -> dict[str, Language]:
    """Every language of the registry, by code, in the file's order."""
    text = files("index").joinpath("data", "languages.toml").read_text(encoding="utf-8")
    return {
        code: Language(
            code=code, name=entry["name"], script=entry["script"],
            snowball=entry.get("snowball"), aliases=tuple(entry.get("aliases", ())),
            served=bool(entry.get("served", False)), identify=bool(entry.get("identify", False)),
            romanised=entry.get("romanised"),
        )
        for code, entry in tomllib.loads(text).items()
    }


def language(code: str) -> Language | None:
    return languages().get(code)


@cache
def served() -> tuple[Language, ...]:
    """The languages storybot serves fully."""
    return tuple(lang for lang in languages().values() if lang.served)


@cache
def latin_served() -> tuple[str, ...]:
    """Codes of the served languages written in Latin letters (``("en", "id")``)."""
    return tuple(lang.code for lang in served() if lang.script == "LATIN")


@cache
def aliases() -> dict[str, str]:
    """Every alias (lowercase) → its language code."""
    out: dict[str, str] = {}
    for lang in languages().values():
        out[lang.code] = lang.code
        for alias in lang.aliases:
            out[alias.lower()] = lang.code
    return out


@cache
def for_script(script: str) -> str | None:
    """The language a script most likely means (the first of the registry written in it)."""
    return next((lang.code for lang in languages().values() if lang.script == script), None)
