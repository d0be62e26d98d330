"""Progress of long jobs (ingest, indexing, embedding), reported through one small interface.

The library never prints: it asks a :data:`ProgressFactory` for a :class:`Progress` per phase,
with a total when one is known, and updates it. The command line passes :func:`terminal_progress`
(tqdm bars on stderr, with rate and time left); everything else gets the silent default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["Progress", "ProgressFactory", "no_progress", "terminal_progress"]


class Progress(Protocol):
    def update(self, n: int = 1) -> None: ...

    def note(self, text: str) -> None:
        """A short status shown beside the bar ("added 120, failed 2")."""

    def close(self) -> None: ...


ProgressFactory = Callable[[str, int | None, str], Progress]
"""``factory(phase, total, unit)``: a bar for one phase ("reading", "indexing", …)."""


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress(phase: str, total: int | None, unit: str) -> Progress:
    return _Silent()


class _Bar:
    def __init__(self, phase: str, total: int | None, unit: str) -> None:
        from tqdm import tqdm

        scale = unit == "B"
        self._bar = tqdm(
            desc=phase, total=total, unit=unit, unit_scale=scale,
            unit_divisor=1024 if scale else 1000, dynamic_ncols=True, mininterval=0.5,
        )

    def update(self, n: int = 1) -> None:
        self._bar.update(n)

    def note(self, text: str) -> None:
        self._bar.set_postfix_str(text, refresh=False)

    def close(self) -> None:
        self._bar.close()


def terminal_progress(phase: str, total: int | None, unit: str) -> Progress:
    """A tqdm bar on stderr for one phase, with its total, rate and time left."""
    return _Bar(phase, total, unit)
