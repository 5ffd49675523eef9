"""A forward proxy on loopback that answers for *.test names from 127.0.0.1: WebKitGTK's stand-in for Chromium's
--host-resolver-rules and Firefox's network.dns.localDomains. Any other host gets 502, so nothing leaves loopback.

Plain http only (no CONNECT), whole bodies: enough for a request to reach the emulator under a name, with its
Host header, as a reverse proxy or tunnel would deliver it.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from browser_support import serving

HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        target = urlsplit(self.path)
        if target.scheme != "http" or not (target.hostname or "").endswith(".test") or not target.port:
            self.send_error(502, "only http://<name>.test:<port> is forwarded, to 127.0.0.1")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        try:
            upstream.request(self.command, path or "/", body=body, headers=headers)
            reply = upstream.getresponse()
            data = reply.read()
        except OSError as exc:
            self.send_error(502, f"127.0.0.1:{target.port}: {exc}")
            return
        finally:
            upstream.close()
        self.send_response(reply.status, reply.reason)
        for key, value in reply.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_OPTIONS = _forward


@contextmanager
def name_proxy() -> Iterator[int]:
    """The proxy on 127.0.0.1 (port chosen by the OS), stopped on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Forward)
    server.daemon_threads = True
    with serving(server) as port:
        yield port
