"""Files and bytes → article drafts, or a named failure for each item that cannot be read.

Formats: ``.txt``/``.md`` (metadata from a ``NAME.meta.json`` sidecar or ``---`` front matter),
``.html``/``.htm`` (main text and metadata by trafilatura) and ``.jsonl`` (one article a line:
``text`` plus optional ``title``, ``url``, ``source``, ``lang``, ``published``), each also
gzip-compressed (``.jsonl.gz``, ``.txt.gz``, …). Readers never raise for bad input: they yield
an ``IngestFailure`` naming the item and the reason, so one bad line does not stop the rest of
the batch.

A ``url`` given by whoever ingests (JSONL field, sidecar, front matter, the address a page was
fetched from) identifies the article: ingesting that URL again updates it. The address an HTML
page claims for itself (``<link rel=canonical>``, ``og:url``) is only a claim, kept as the
article's ``page_url`` for linking: it never replaces another article stored under that URL.
Dates are stored in ISO 8601 form (``2022-11-11``, ``2025-12-09T22:27:00+07:00``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from index.errors import BadInput
from index.ingest.urls import is_web_url
from index.models import ArticleDraft, IngestFailure
from index.text import strip_controls

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "iter_files",
    "read_bytes",
    "read_path",
]

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
COMPRESSED = ".gz"
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
                    if _format(name) in SUFFIXES:
                        yield Path(root) / name
        elif path.is_file():
            yield path
        else:
            yield IngestFailure(str(path), "no such file or folder")


def _format(name: str) -> str:
    """The format suffix of a file name, looking through ``.gz``: ``a.jsonl.gz`` → ``.jsonl``."""
    path = Path(name.lower())
    if path.suffix == COMPRESSED:
        path = path.with_suffix("")
    return path.suffix


def _unsupported(origin: str, name: str) -> IngestFailure:
    shown = _format(name) or "(none)"
    return IngestFailure(
        origin, f"unsupported file type {shown!r}; expected one of {', '.join(SUFFIXES)}"
        f" (optionally gzip-compressed, {COMPRESSED})",
    )


class _Counted(io.RawIOBase):
    """A binary file that reports how many bytes were read from disk (for progress bars)."""

    def __init__(self, raw: BinaryIO, on_read: Callable[[int], None]) -> None:
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._on_read(n)
        return n or 0


def read_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, on_read: Callable[[int], None] | None = None
) -> Iterator[Item]:
    """The articles in one file; ``on_read(n)`` hears of every ``n`` bytes read from disk."""
    origin = str(path)
    suffix = _format(path.name)
    if suffix not in SUFFIXES:
        yield _unsupported(origin, path.name)
        return
    compressed = path.name.lower().endswith(COMPRESSED)
    try:
        if suffix == ".jsonl":
            with path.open("rb") as raw:
                counted = io.BufferedReader(_Counted(raw, on_read)) if on_read else raw
                handle: Any = gzip.GzipFile(fileobj=counted) if compressed else counted
                yield from _read_jsonl(_bounded_lines(handle, max_bytes), origin, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestFailure(origin, _too_big("file", size, max_bytes))
            return
        data = path.read_bytes()
        if on_read:
            on_read(size)
        if compressed:
            data = _gunzip(data, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestFailure(origin, _read_error(exc, compressed))
        return
    except BadInput as exc:
        yield IngestFailure(origin, exc.reason)
        return
    stem = path.name[: -len(COMPRESSED)] if compressed else path.name
    meta, meta_error = _sidecar_meta(path.with_name(Path(stem).stem + _SIDECAR))
    if meta_error:
        yield IngestFailure(origin, meta_error)
        return
    yield from read_bytes(stem, data, origin=origin, meta=meta, max_bytes=max_bytes)


def _read_error(exc: BaseException, compressed: bool) -> str:
    if compressed and not isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
        return f"not a readable gzip file ({exc})"
    strerror = getattr(exc, "strerror", None)
    return f"cannot read file: {strerror or exc}"


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip bytes, refusing output over ``max_bytes`` (a small file can unpack huge)."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        out = handle.read(max_bytes + 1)
    if len(out) > max_bytes:
        raise BadInput("", f"decompresses to over the {max_bytes:,} byte limit")
    return out


def read_bytes(
    filename: str,
    data: bytes,
    *,
    origin: str | None = None,
    meta: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    page_url: str | None = None,
) -> Iterator[Item]:
    """The articles in the bytes of a file called ``filename`` (an upload, a fetched page).

    ``page_url`` is where a fetched page came from: it identifies the article like a ``url``
    given in ``meta``.
    """
    origin = origin or filename
    suffix = _format(filename)
    if suffix not in SUFFIXES:
        yield _unsupported(origin, filename)
        return
    if filename.lower().endswith(COMPRESSED):
        try:
            data = _gunzip(data, max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            yield IngestFailure(origin, _read_error(exc, True))
            return
        except BadInput as exc:
            yield IngestFailure(origin, exc.reason)
            return
    if suffix == ".jsonl":
        yield from _read_jsonl(iter(data.splitlines(keepends=True)), origin, max_bytes)
        return
    if len(data) > max_bytes:
        yield IngestFailure(origin, _too_big("file", len(data), max_bytes))
        return
    meta = dict(meta or {})
    if page_url and not meta.get("url"):
        meta["url"] = page_url
    try:
        text = _decode(data, origin)
        if suffix in (".html", ".htm"):
            yield _from_html(text, origin, meta)
        else:
            yield _from_text(text, origin, meta)
    except BadInput as exc:
        yield IngestFailure(exc.origin, exc.reason)


def _too_big(what: str, size: int, limit: int) -> str:
    return f"{what} is {size:,} bytes, over the {limit:,} byte limit"


def _decode(data: bytes, origin: str) -> str:
    """Text in UTF-8 (with or without a byte-order mark), or UTF-16 (Windows' "Unicode")."""
    if not data.strip():
        raise BadInput(origin, "file is empty")
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise BadInput(origin, f"not valid UTF-16 (bad bytes at offset {exc.start}); "
                                   "save the file as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise BadInput(origin, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(origin, f"not valid UTF-8 (bad byte at offset {exc.start}); "
                               "save the file as UTF-8") from None


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec the bytes are in, by their byte-order mark or, without one, by the NUL
    half of every Latin character; None for anything else.

    >>> _utf16("Hi".encode("utf-16")), _utf16("Hi there".encode("utf-16-le")), _utf16(b"Hi")
    ('utf-16', 'utf-16-le', None)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 4 and len(head) % 2 == 0:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.9 * len(odd) and not even.count(0):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and not odd.count(0):
            return "utf-16-be"
    return None


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


def _draft(text: str, origin: str, meta: dict[str, Any], page_url: Any = None) -> ArticleDraft:
    warnings = []
    clean: dict[str, str | None] = {}
    for key in _META_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, str | int | float):
            raise BadInput(origin, f"field {key!r} must be a string, not {type(value).__name__}")
        clean[key] = _field(origin, key, value)
    if clean["url"] is not None and not is_web_url(clean["url"]):
        raise BadInput(origin, f"url {clean['url'][:100]!r} is not an http(s) address")
    _check_unicode(origin, "text", text)
    if not strip_controls(text).strip():
        raise BadInput(origin, "no article text")
    given = clean["published"]
    clean["published"] = iso_date(given)
    if given and clean["published"] is None:
        warnings.append(f"{origin}: published {given[:60]!r} is not a date (ISO 8601, e.g. "
                        "2025-10-20); stored without one")
    claimed = _field(origin, "page url", page_url) if isinstance(page_url, str) else None
    return ArticleDraft(
        text=text, origin=origin, **clean,
        page_url=claimed if claimed and is_web_url(claimed) else None,
        warnings=tuple(warnings),
    )


def _field(origin: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    _check_unicode(origin, key, text)
    return " ".join(strip_controls(text).split()) or None


def _check_unicode(origin: str, key: str, value: str) -> None:
    """Refuse unpaired surrogates ("\\ud800" in JSON): they are not text and cannot be stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(
            origin, f"field {key!r} holds an unpaired surrogate (U+{ord(value[exc.start]):04X})"
            f" at character {exc.start}: not valid Unicode"
        ) from None


_NO_DATE = (datetime(1, 1, 1, 0, 0), datetime(2, 2, 2, 1, 1))


def iso_date(value: str | None) -> str | None:
    """A date or date-time in ISO 8601 form, or None when it cannot be read as one.

    >>> iso_date("2022/11/11"), iso_date("2025-12-09T22:27"), iso_date("soon")
    ('2022-11-11', '2025-12-09T22:27:00', None)
    """
    if not value:
        return None
    from dateutil import parser

    try:
        # Parsed against two different defaults: a part that differs was not in the text.
        first, second = (parser.parse(value, default=d) for d in _NO_DATE)
    except (ValueError, OverflowError):
        return None
    if first.year != second.year or first.month != second.month or first.day != second.day:
        return None  # no full date in it ("May", "Tuesday")
    if first.hour != second.hour or first.minute != second.minute:
        return first.date().isoformat()
    return first.isoformat(timespec="seconds")


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
        "source": field("sitename"),
        "lang": field("language"),
        "published": field("date"),
    }
    merged = {k: v for k, v in found.items() if v} | {k: v for k, v in meta.items() if v}
    return _draft(text, origin, merged, page_url=field("url"))


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The lines of a file, never holding more than ``max_bytes + 1`` bytes of one line: an
    over-long line is cut there (and so reported as too long) and the rest of it skipped."""
    while line := handle.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def _read_jsonl(lines: Iterable[bytes], origin: str, max_bytes: int) -> Iterator[Item]:
    """One draft or failure per non-blank line; a file without any is a failure itself."""
    empty = True
    for item in _jsonl_items(lines, origin, max_bytes):
        empty = False
        yield item
    if empty:
        yield IngestFailure(origin, "the file holds no articles (every line is blank)")


def _jsonl_items(lines: Iterable[bytes], origin: str, max_bytes: int) -> Iterator[Item]:
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield IngestFailure(where, f"line is over the {max_bytes:,} byte limit")
            continue
        if number == 1 and _utf16(raw) is not None:
            yield IngestFailure(origin, "the file is UTF-16; JSONL must be UTF-8 (save it as "
                                        "UTF-8)")
            return
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
        if text is not None and not isinstance(text, str):
            yield IngestFailure(where, f"field 'text' must be a string, not "
                                       f"{type(text).__name__}")
            continue
        if not text or not text.strip():
            yield IngestFailure(where, "missing or empty 'text' field")
            continue
        try:
            yield _draft(text, where, record)
        except BadInput as exc:
            yield IngestFailure(exc.origin, exc.reason)
