"""Language data as plain files: stop lists, question words, reporting verbs, boilerplate."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["lines", "table", "word_list"]


@cache
def lines(relpath: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of a packaged data file (empty when it is missing)."""
    resource = files(__name__).joinpath(relpath)
    if not resource.is_file():
        return ()
    out = []
    for raw in resource.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@cache
def word_list(kind: str, lang: str) -> frozenset[str]:
    """``word_list("stopwords", "hi")``: the words of ``index/data/<kind>/<lang>.txt``."""
    path = f"{kind}/{lang}.txt" if kind else f"{lang}.txt"
    return frozenset(w.lower() for w in lines(path))


@cache
def table(relpath: str) -> dict[str, str]:
    """A two-column tab-separated data file as a mapping of its first column to its second."""
    out: dict[str, str] = {}
    for line in lines(relpath):
        key, _, value = line.partition("\t")
        if key and value:
            out[key.strip()] = value.strip()
    return out
