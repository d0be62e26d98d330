"""In-process signals: one part of the library says something happened, others subscribe.

New articles are a signal the alert scan and the embedding job wake up on; new alerts are a
signal the Discord bot posts on. The one who emits never knows who listens, so the parts that
react to new articles need no link to the parts that store them.

>>> import asyncio
>>> heard = []
>>> added = Signal[str]("articles added")
>>> unsubscribe = added.subscribe(heard.append)
>>> asyncio.run(added.emit("a1"))
>>> unsubscribe(); asyncio.run(added.emit("a2"))
>>> heard
['a1']
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

__all__ = ["AlertsQueued", "ArticlesAdded", "Signal"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Signal(Generic[T]):
    """Subscribers are called in the order they subscribed, each awaited when it is a
    coroutine; one that fails is logged and the others still hear the signal."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[[T], Awaitable[None] | None]] = []

    def subscribe(self, callback: Callable[[T], Awaitable[None] | None]) -> Callable[[], None]:
        """Call ``callback(value)`` on every ``emit``; returns the function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    async def emit(self, value: T) -> None:
        for callback in list(self._subscribers):
            try:
                result = callback(value)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("a subscriber of %r failed", self.name)


@dataclass(frozen=True, slots=True)
class ArticlesAdded:
    """Articles were stored (new, or updated with new text) in these collections."""

    article_ids: Sequence[str]
    collections: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class AlertsQueued:
    """The alert scan queued new alerts, as of ``now`` (the schedule's clock)."""

    count: int
    now: datetime
