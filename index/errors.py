"""One error hierarchy for the library; each error carries its data and a readable message."""

from __future__ import annotations

__all__ = [
    "BadInput",
    "BadQuestion",
    "ClusterError",
    "FetchRefused",
    "NotFound",
    "StoreError",
    "StorybotError",
]


class StorybotError(Exception):
    """Base class of every error the library raises on purpose."""


class BadInput(StorybotError):
    """A file, line or payload that cannot become an article."""

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")


class BadQuestion(StorybotError):
    """A question that cannot be searched (empty, too long, nothing to look for)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class FetchRefused(StorybotError):
    """A URL we will not fetch: wrong scheme, private address, too big, too slow."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"refused to fetch {url!r}: {reason}")


class NotFound(StorybotError):
    """An article or passage id that is not in the store."""

    def __init__(self, what: str, ident: str) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} with id {ident!r}")


class StoreError(StorybotError):
    """The store cannot be used: unreachable, or its schema is not one this storybot knows."""


class ClusterError(StorybotError):
    """The search cluster kept failing an operation after every retry (the URL is shown
    without its password)."""

    def __init__(self, what: str, cluster: str, attempts: int, reason: str) -> None:
        self.what = what
        self.cluster = cluster
        self.attempts = attempts
        self.reason = reason
        super().__init__(
            f"the search cluster at {cluster} failed to {what} after {attempts} attempts:"
            f" {reason}"
        )
