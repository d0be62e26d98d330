"""Where the cluster is: ``STORYBOT_OPENSEARCH_URL`` read, checked and shown safely.

One or more node URLs separated by commas, ``http://host:9200`` or
``https://user:password@host:9200`` (a managed or secured cluster). The password is kept apart
and never shown: ``ClusterAddress.shown`` (and ``str``) mask it, and so does every message
about a malformed URL. Plain Python, no client import, so reading settings stays quick.

Example::

    address = ClusterAddress.parse("https://admin:s3cret@search.example:9200")
    address.nodes  # ('https://search.example:9200',)
    address.shown  # 'https://admin:***@search.example:9200'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["ClusterAddress", "mask"]


@dataclass(frozen=True)
class ClusterAddress:
    """Where the cluster is: node URLs (without credentials) and the basic-auth pair, if any."""

    nodes: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, text: str) -> ClusterAddress:
        """Read comma-separated node URLs; every node must use the same credentials.

        Raises ``ValueError`` (with the password masked) for a URL that is not http(s) with a
        host, or for nodes with different credentials.
        """
        nodes: list[str] = []
        creds: set[tuple[str | None, str | None]] = set()
        for raw in (part.strip() for part in text.split(",")):
            if not raw:
                continue
            try:
                parts = urlsplit(raw)
                port = parts.port
            except ValueError:
                raise ValueError(f"not a node URL: {mask(raw)!r}") from None
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(
                    f"a node URL is http(s)://[user:password@]host[:port], got {mask(raw)!r}"
                )
            if parts.path not in ("", "/") or parts.query or parts.fragment:
                raise ValueError(f"a node URL has no path or query, got {mask(raw)!r}")
            host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
            default = 443 if parts.scheme == "https" else 9200
            nodes.append(f"{parts.scheme}://{host}:{port or default}")
            creds.add((parts.username, parts.password))
        if not nodes:
            raise ValueError("no node URL given")
        if len(creds) > 1:
            raise ValueError("every node URL must carry the same user and password")
        user, password = creds.pop()
        return cls(tuple(nodes), user, password)

    @property
    def shown(self) -> str:
        """The URLs as a message may show them: the user, never the password."""
        if self.user is None:
            return ",".join(self.nodes)
        return ",".join(
            node.replace("://", f"://{self.user}:***@", 1) for node in self.nodes
        )

    def __str__(self) -> str:
        return self.shown


def mask(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages about a bad URL)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    creds, _, host = rest.partition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
