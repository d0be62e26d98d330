"""A real web server on 127.0.0.1 for the offline harness and tests: feeds and pages on demand.

Scripts and tests tell it what to serve (``serve("/feed.xml", body)``); storybot fetches from it
through its real fetcher, which reaches it only because the harness adds its address to
``Library.fetch_allow_hosts`` (nothing else on loopback or a private network is ever fetched).
It answers conditional GETs (an ``ETag`` per body, ``304`` when it matches) and records every
request, so tests can see what was asked and how.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["LocalSite"]


@dataclass(slots=True)
class _Route:
    body: bytes
    content_type: str
    status: int

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass(slots=True)
class LocalSite:
    """Start with :meth:`start`; serve paths with :meth:`serve`; stop with :meth:`close`."""

    routes: dict[str, _Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> LocalSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.status == 200 and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.send_header("ETag", route.etag)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def host(self) -> str:
        """``127.0.0.1:<port>``: what to add to ``Library.fetch_allow_hosts``."""
        assert self._server is not None, "start() the site first"
        return f"127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "") -> str:
        return f"http://{self.host}{path}"

    def serve(
        self, path: str, body: str | bytes, *, content_type: str | None = None, status: int = 200
    ) -> str:
        """Serve ``body`` at ``path`` from now on; returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        if content_type is None:
            xml = path.endswith((".xml", ".rss", ".atom"))
            content_type = "application/rss+xml" if xml else "text/html; charset=utf-8"
        self.routes[path] = _Route(data, content_type, status)
        return self.url(path)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
