"""Files and bytes → article drafts, or a named failure for each item that cannot be read.

Formats: ``.txt``/``.md`` (metadata from a ``NAME.meta.json`` sidecar or ``---`` front matter),
``.html``/``.htm`` (main text and metadata by trafilatura) and ``.jsonl`` (one article a line:
``text`` plus optional ``title``, ``url``, ``source``, ``lang``, ``published``). Readers never
raise for bad input: they yield an ``IngestFailure`` naming the item and the reason, so one bad
line does not stop the rest of the batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from index.errors import BadInput
from index.models import ArticleDraft, IngestFailure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "iter_files",
    "read_bytes",
    "read_path",
]

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
_META_KEYS = ("title", "url", "source", "lang", "published")
_SIDECAR = ".meta.json"

Item = ArticleDraft | IngestFailure


def iter_files(paths: Iterable[Path]) -> Iterator[Path | IngestFailure]:
    """Every ingestible file under ``paths`` (folders walked in name order; sidecars skipped)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(_SIDECAR) or name.startswith("."):
                        continue
                    if name.lower().endswith(SUFFIXES):
                        yield Path(root) / name
        elif path.is_file():
            yield path
        else:
            yield IngestFailure(str(path), "no such file or folder")


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The articles in one file."""
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield IngestFailure(origin, f"unsupported file type {suffix or '(none)'!r}; "
                                    f"expected one of {', '.join(SUFFIXES)}")
        return
    try:
        if suffix == ".jsonl":
            with path.open("rb") as handle:
                yield from _read_jsonl(_bounded_lines(handle, max_bytes), origin, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestFailure(origin, _too_big("file", size, max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestFailure(origin, f"cannot read file: {exc.strerror or exc}")
        return
    meta, meta_error = _sidecar_meta(path.with_name(path.stem + _SIDECAR))
    if meta_error:
        yield IngestFailure(origin, meta_error)
        return
    yield from read_bytes(path.name, data, origin=origin, meta=meta, max_bytes=max_bytes)


def read_bytes(
    filename: str,
    data: bytes,
    *,
    origin: str | None = None,
    meta: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """The articles in the bytes of a file called ``filename`` (an upload, a fetched page)."""
    origin = origin or filename
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        yield IngestFailure(origin, f"unsupported file type {suffix or '(none)'!r}; "
                                    f"expected one of {', '.join(SUFFIXES)}")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(iter(data.splitlines(keepends=True)), origin, max_bytes)
        return
    if len(data) > max_bytes:
        yield IngestFailure(origin, _too_big("file", len(data), max_bytes))
        return
    try:
        text = _decode(data, origin)
        if suffix in (".html", ".htm"):
            yield _from_html(text, origin, meta or {})
        else:
            yield _from_text(text, origin, meta or {})
    except BadInput as exc:
        yield IngestFailure(exc.origin, exc.reason)


def _too_big(what: str, size: int, limit: int) -> str:
    return f"{what} is {size:,} bytes, over the {limit:,} byte limit"


def _decode(data: bytes, origin: str) -> str:
    if not data.strip():
        raise BadInput(origin, "file is empty")
    if b"\x00" in data[:8192]:
        raise BadInput(origin, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(origin, f"not valid UTF-8 (bad byte at offset {exc.start}); "
                               "save the file as UTF-8") from None


def _sidecar_meta(path: Path) -> tuple[dict[str, Any], str | None]:
    if not path.is_file():
        return {}, None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, f"sidecar {path.name} is not valid JSON: {exc}"
    if not isinstance(meta, dict):
        return {}, f"sidecar {path.name} must hold a JSON object"
    return meta, None


def _draft(text: str, origin: str, meta: dict[str, Any]) -> ArticleDraft:
    clean: dict[str, str | None] = {}
    for key in _META_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise BadInput(origin, f"field {key!r} must be a string, not {type(value).__name__}")
        clean[key] = (str(value).strip() or None) if value is not None else None
    if clean["url"] is not None and not _is_web_url(clean["url"]):
        raise BadInput(origin, f"url {clean['url'][:100]!r} is not an http(s) address")
    if not text.strip():
        raise BadInput(origin, "no article text")
    return ArticleDraft(text=text, origin=origin, **clean)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(
        ch.isspace() for ch in url
    )


def _from_text(text: str, origin: str, meta: dict[str, Any]) -> ArticleDraft:
    front, body = _split_front_matter(text)
    return _draft(body, origin, {**front, **meta})


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---``-fenced ``key: value`` lines at the top of a text or Markdown file."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            meta = {}
            for entry in lines[1:end]:
                key, sep, value = entry.partition(":")
                if sep and key.strip().lower() in _META_KEYS:
                    meta[key.strip().lower()] = value.strip().strip("\"'")
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


def _from_html(html: str, origin: str, meta: dict[str, Any]) -> ArticleDraft:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, url=meta.get("url"), with_metadata=True, include_comments=False,
        include_tables=False, favor_precision=True,
    )
    def field(name: str) -> Any:
        if isinstance(extracted, dict):
            return extracted.get(name)
        return getattr(extracted, name, None)

    text = field("text") or ""
    if not text.strip():
        raise BadInput(origin, "no article text found in the HTML page")
    found = {
        "title": field("title"),
        "url": field("url"),
        "source": field("sitename"),
        "lang": field("language"),
        "published": field("date"),
    }
    merged = {k: v for k, v in found.items() if v} | {k: v for k, v in meta.items() if v}
    return _draft(text, origin, merged)


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The lines of a file, never holding more than ``max_bytes + 1`` bytes of one line: an
    over-long line is cut there (and so reported as too long) and the rest of it skipped."""
    while line := handle.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def _read_jsonl(lines: Iterable[bytes], origin: str, max_bytes: int) -> Iterator[Item]:
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield IngestFailure(where, f"line is over the {max_bytes:,} byte limit")
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield IngestFailure(where, f"not valid UTF-8 (bad byte at offset {exc.start})")
            continue
        except ValueError as exc:
            yield IngestFailure(where, f"not valid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield IngestFailure(where, "each line must be a JSON object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield IngestFailure(where, "missing or empty 'text' field")
            continue
        try:
            yield _draft(text, where, record)
        except BadInput as exc:
            yield IngestFailure(exc.origin, exc.reason)
