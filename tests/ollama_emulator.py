"""A stand-in for an Ollama server on loopback, for tests and for trying the checker by hand.

Written from a reading of Ollama's source, not copied from it. Each behaviour names where it comes from:
  R    = ollama/ollama server/routes.go @ v0.32.15 (b7871fc0d1d8)
  E    = ollama/ollama envconfig/config.go @ v0.32.15
  T    = ollama/ollama api/types.go @ v0.32.15
  CORS = gin-contrib/cors @ v1.7.2 (the version Ollama's go.mod pins since before v0.1.45)
  GIN  = gin-gonic/gin @ v1.10.0 (likewise pinned)
  GO   = Go's net/http (ServeMux, Redirect), which Ollama serves through
  GOW  = Go's net/http server.go chunkWriter.writeHeader / writeStatusLine: to an HTTP/1.0 request (what nginx
         sends upstream by default) Go answers with an "HTTP/1.0" status line and, for a body of unknown
         length, no chunking: the body is close-delimited, each flushed write leaves at once
The Host guard (allowedHostsMiddleware, allowedHost, isLocalIP) reads the same, on the same lines, at fb30760996871fa
(v0.33.0-rc2, the commit providers.yml pins).
Where in those files: R GenerateRoutes l.1841, allowedHostsMiddleware l.1803, allowedHost l.1776,
ChatHandler l.2440, writeChatResponse l.2387, streamResponse l.2097, ListHandler l.1632; E AllowedOrigins l.86,
Host l.22, Var l.375; T ChatResponse l.520, Metrics l.557, ListModelResponse l.822, ModelDetails l.933;
CORS config.go newCors/applyCors, cors.go Validate/parseWildcardRules, utils.go generate*Headers/normalize;
GIN gin.go handleHTTPRequest/serveError.

Three modes:
  "ollama"      answers like Ollama, CORS and Host-header guard included;
  "hang"        accepts TCP connections and never answers;
  "not-ollama"  a plain web server that answers every request with an HTML page.

Run by hand (loopback only):
  python tests/ollama_emulator.py --port 11434 --version 0.1.30 --models a,b --origins http://docs.test:8000
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import ipaddress
import json
import math
import posixpath
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Mode = Literal["ollama", "hang", "not-ollama"]
Chunking = Literal["split", "plain"]
MODES: tuple[Mode, ...] = ("ollama", "hang", "not-ollama")

DEFAULT_VERSION = "0.32.15"  # newest stable tag in the Ollama snapshot that was read
DEFAULT_MODELS = ("llama3.2:latest",)
DEFAULT_REPLY = "The sky looks blue because air scatters short wavelengths more."

# E AllowedOrigins(): for each of these hosts, http://H, https://H, http://H:*, https://H:* are appended
# after the user's OLLAMA_ORIGINS entries, then the fixed application schemes below.
_DEFAULT_ORIGIN_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0")
_DEFAULT_APP_ORIGINS = ("app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*")

# CORS cors.go Validate with AllowBrowserExtensions=true (set in R GenerateRoutes): schemes an origin
# without '*' must start with, else newCors panics at startup with this message.
_VALID_SCHEMES = (
    "http://",
    "https://",
    "chrome-extension://",
    "safari-extension://",
    "moz-extension://",
    "ms-browser-extension://",
)
BAD_ORIGIN_MESSAGE = "bad origin: origins must contain '*' or include " + ",".join(_VALID_SCHEMES)
ONE_STAR_MESSAGE = "only one * is allowed"  # CORS cors.go parseWildcardRules

# CORS utils.go generatePreflightHeaders: methods from DefaultConfig, headers from R GenerateRoutes
# (lower-cased, then canonicalised the way Go's http.CanonicalHeaderKey does), MaxAge 12h.
PREFLIGHT_METHODS = "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"
PREFLIGHT_HEADERS = ",".join(
    [
        "Authorization",
        "Content-Type",
        "User-Agent",
        "Accept",
        "X-Requested-With",
        "Openai-Beta",
        "X-Stainless-Arch",
        "X-Stainless-Async",
        "X-Stainless-Custom-Poll-Interval",
        "X-Stainless-Helper-Method",
        "X-Stainless-Lang",
        "X-Stainless-Os",
        "X-Stainless-Package-Version",
        "X-Stainless-Poll-Helper",
        "X-Stainless-Retry-Count",
        "X-Stainless-Runtime",
        "X-Stainless-Runtime-Version",
        "X-Stainless-Timeout",
    ]
)
PREFLIGHT_MAX_AGE = "43200"

RUNNING_TEXT = "Ollama is running"  # R GenerateRoutes: GET and HEAD "/"
TEXT_UTF8 = "text/plain; charset=utf-8"  # GIN render/text.go (c.String)
JSON_UTF8 = "application/json; charset=utf-8"  # GIN render/json.go (c.JSON)
NDJSON = "application/x-ndjson"  # R streamResponse
HTML_UTF8 = "text/html; charset=utf-8"

NOT_OLLAMA_PAGE = (
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Welcome</title></head>\n"
    "<body><h1>It works</h1><p>This is some other web server, not Ollama.</p></body></html>\n"
)


class OriginConfigError(ValueError):
    """What Ollama does with such an OLLAMA_ORIGINS value: panic at startup (CORS newCors)."""


# --------------------------------------------------------------------------------------------------
# Origins (OLLAMA_ORIGINS) and the CORS decision


def parse_origins_env(value: str) -> list[str]:
    """Split an OLLAMA_ORIGINS value the way Ollama does.

    E Var(): the whole value is whitespace-trimmed and stripped of surrounding quotes; E AllowedOrigins():
    then split on "," and the pieces are NOT trimmed, so "a, b" keeps the space in " b".
    """
    cleaned = value.strip().strip("\"'")
    return cleaned.split(",") if cleaned else []


def default_origins() -> list[str]:
    """The list Ollama appends after the user's origins (E AllowedOrigins)."""
    origins: list[str] = []
    for host in _DEFAULT_ORIGIN_HOSTS:
        origins += [f"http://{host}", f"https://{host}", f"http://{host}:*", f"https://{host}:*"]
    return origins + list(_DEFAULT_APP_ORIGINS)


class OriginPolicy:
    """The admit/refuse decision of gin-contrib/cors as Ollama configures it."""

    def __init__(self, extra_origins: Sequence[str] = ()) -> None:
        self.origins = [*extra_origins, *default_origins()]  # user entries first (E AllowedOrigins)
        for origin in self.origins:  # CORS cors.go Validate, run by newCors before anything else
            if "*" not in origin and not origin.startswith(_VALID_SCHEMES):
                raise OriginConfigError(BAD_ORIGIN_MESSAGE)
        # CORS newCors: a literal "*" entry switches to "allow all" (Access-Control-Allow-Origin: *).
        self.allow_all = "*" in self.origins
        # CORS utils.go normalize: exact entries are trimmed and lower-cased; the request Origin is not.
        self.exact = {origin.strip().lower() for origin in self.origins}
        # CORS parseWildcardRules: built from the raw entries (not normalised); exactly one '*' each.
        self.wildcards: list[tuple[str, str]] = []
        for origin in self.origins:
            if "*" not in origin:
                continue
            if origin.count("*") > 1:
                raise OriginConfigError(ONE_STAR_MESSAGE)
            star = origin.index("*")
            if star == 0:
                self.wildcards.append(("*", origin[1:]))
            elif star == len(origin) - 1:
                self.wildcards.append((origin[:star], "*"))
            else:
                self.wildcards.append((origin[:star], origin[star + 1 :]))

    def admits(self, origin: str) -> bool:
        """CORS validateOrigin + validateWildcardOrigin."""
        if self.allow_all or origin in self.exact:
            return True
        for prefix, suffix in self.wildcards:
            if prefix == "*" and origin.endswith(suffix):
                return True
            if suffix == "*" and origin.startswith(prefix):
                return True
            if origin.startswith(prefix) and origin.endswith(suffix):
                return True
        return False


# --------------------------------------------------------------------------------------------------
# The Host-header guard (R allowedHostsMiddleware / allowedHost)

_GO_PRIVATE = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)  # Go's netip.Addr.IsPrivate (narrower than Python's is_private)


def _go_split_host(value: str) -> str | None:
    """The host part as Go's net.SplitHostPort returns it, or None where Go returns an error."""
    if value.startswith("["):
        end = value.find("]")
        if end == -1 or value[end + 1 : end + 2] != ":":
            return None  # "[::1]" without a port is an error in Go
        return value[1:end]
    colon = value.rfind(":")
    if colon == -1 or ":" in value[:colon]:
        return None  # missing port, or too many colons
    return value[:colon]


def host_header_allowed(host_header: str, hostname: str) -> bool:
    """Whether Ollama bound to loopback lets a request with this Host header through."""
    host = _go_split_host(host_header)
    if host is None:
        host = host_header  # R: on a SplitHostPort error the whole header is the host
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        addr = None
    if addr is not None:
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        # R: loopback, private, unspecified (and any local interface address, not emulated here).
        if addr.is_loopback or addr.is_unspecified or any(addr in net for net in _GO_PRIVATE):
            return True
    host = host.lower()  # R allowedHost lower-cases (since v0.5.2)
    if host in ("", "localhost", hostname.lower()):
        return True
    return host.endswith((".localhost", ".local", ".internal"))


# --------------------------------------------------------------------------------------------------
# Model names and fake model data


def normalize_model(name: str) -> str:
    """Names compare case-insensitively and a missing tag means :latest (docs/api.md "Model names")."""
    name = name.strip().lower()
    for prefix in ("registry.ollama.ai/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if ":" not in name.rsplit("/", 1)[-1]:
        name += ":latest"
    return name


def with_tag(name: str) -> str:
    """How /api/tags shows a name: as stored, with ":latest" when no tag was given."""
    name = name.strip()
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


def _go_time(ns: int) -> str:
    """A UTC time as Go's encoding/json writes time.Time (RFC 3339, nanoseconds, trailing zeros cut)."""
    seconds, frac = divmod(ns, 1_000_000_000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    digits = f"{frac:09d}".rstrip("0")
    return f"{stamp}.{digits}Z" if digits else f"{stamp}Z"


def _go_json(value: Any) -> bytes:
    """Compact JSON escaped like Go's json.Marshal (which gin uses): <, >, & and U+2028/9 as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.encode("utf-8")


_BASE_TIME_NS = 1_746_400_000_000_000_000  # a fixed moment in 2025, so listings are reproducible


def _model_entry(name: str, index: int) -> dict[str, Any]:
    """One /api/tags entry, fields in the order of T ListModelResponse / ModelDetails."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    letters = re.match(r"[a-z]+", name)
    family = letters.group(0) if letters else "llama"
    return {
        "name": name,
        "model": name,
        "modified_at": _go_time(_BASE_TIME_NS - index * 3_600_000_000_123),
        "size": 2_000_000_000 + int(digest[:6], 16),
        "digest": digest,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": family,
            "families": [family],
            "parameter_size": "3.2B",
            "quantization_level": "Q4_K_M",
        },
    }


def tags_body(models: Sequence[str], huge_tags_bytes: int | None = None) -> bytes:
    """The /api/tags document; with huge_tags_bytes, padded with filler models to at least that size."""
    entries = [_model_entry(name, i) for i, name in enumerate(models)]
    body = _go_json({"models": entries})
    if huge_tags_bytes and len(body) < huge_tags_bytes:
        sample = len(_go_json(_model_entry("filler-model-000000:latest", len(entries)))) + 1
        count = math.ceil((huge_tags_bytes - len(body)) / sample) + 1
        start = len(entries)
        entries += [_model_entry(f"filler-model-{i:06d}:latest", start + i) for i in range(count)]
        body = _go_json({"models": entries})
    return body


def _tokens(text: str) -> list[str]:
    """One word (with its following space) per streamed chunk."""
    return re.findall(r"\S+\s*|\s+", text) or [""]


# --------------------------------------------------------------------------------------------------
# Configuration and records


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0 = any free port
    version: str = DEFAULT_VERSION
    models: list[str] = field(default_factory=lambda: list(DEFAULT_MODELS))
    extra_origins: list[str] = field(default_factory=list)  # the OLLAMA_ORIGINS entries, already split
    host_guard: bool = True  # real Ollama bound to loopback always has it (R allowedHostsMiddleware)
    hostname: str = field(default_factory=socket.gethostname)  # what Go's os.Hostname() would say
    mode: Mode = "ollama"
    huge_tags_bytes: int | None = None
    reply: str = DEFAULT_REPLY
    chunking: Chunking = "split"  # "split": first two lines in one write, last line cut across two writes
    chunk_delay: float = 0.01  # seconds between streamed writes
    load_delay: float = 0.0  # seconds before /api/chat and /api/generate answer (model loading)
    not_ollama_cors: bool = False  # "not-ollama" mode: send Access-Control-Allow-Origin: *
    verbose: bool = False  # log each request to stderr


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """First value of a header, names compared case-insensitively."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


def _require_loopback(host: str) -> str:
    """Only loopback addresses may be bound; "localhost" means 127.0.0.1."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        addr = None
    if addr is None or not addr.is_loopback:
        raise ValueError(f"refusing to bind {host!r}: the emulator listens on loopback only (127.0.0.0/8 or ::1)")
    return str(addr)


# --------------------------------------------------------------------------------------------------
# The HTTP side


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: OllamaEmulator

    def __init__(self, address: tuple[str, int], emulator: OllamaEmulator) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.emulator = emulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not self.emulator._stopping.is_set():  # tracebacks from sockets closed by stop() are expected
            super().handle_error(request, client_address)


_Route = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, like Go's server
    server: _Server
    body: bytes  # the request body, read before anything else
    target: str  # the request target exactly as on the request line
    pending: list[tuple[str, str]]  # response headers set so far by the emulated middleware

    # -- plumbing ---------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small writes leave at once
        self.server.emulator._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.emulator._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.emulator.config.verbose:
            super().log_message(format, *args)

    def send_response(self, code: int, message: str | None = None) -> None:
        # Go sends Date but no Server header.
        self.log_request(code)
        if self._http10():
            self._send_status_line_http10(code, message)
        else:
            self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def _http10(self) -> bool:
        """Whether the request came as HTTP/1.0, as nginx's proxy_pass sends it unless told otherwise."""
        return self.request_version == "HTTP/1.0"

    def _http10_keep_alive(self) -> None:
        """GOW: a 1.0 request asking for keep-alive gets "Connection: keep-alive" on a reply of known length;
        any other 1.0 request has its connection closed after the reply."""
        if "keep-alive" in self.headers.get("Connection", "").lower():
            self.send_header("Connection", "keep-alive")
            self.close_connection = False
        else:
            self.close_connection = True

    def _send_status_line_http10(self, code: int, message: str | None) -> None:
        """GOW writeStatusLine: the status line names HTTP/1.0 when the request did."""
        version = self.protocol_version
        self.protocol_version = "HTTP/1.0"
        try:
            self.send_response_only(code, message)
        finally:
            self.protocol_version = version

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status != 204 and not 100 <= status < 200:
            self.send_header("Content-Length", str(len(body)))
        if self._http10():
            self._http10_keep_alive()
        self.end_headers()
        if self.command != "HEAD" and status != 204:
            self.wfile.write(body)
        self.wfile.flush()

    def _json(self, status: int, value: Any) -> None:
        self._send(status, _go_json(value), JSON_UTF8, self.pending)

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    # -- dispatch ---------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        emulator = self.server.emulator
        self.body = self._read_body()
        # The target as sent: http.server folds a leading "//" in self.path, Go does not.
        words = self.requestline.split()
        self.target = words[1] if len(words) >= 2 else self.path
        emulator._record(RecordedRequest(self.command, self.target, tuple(self.headers.items()), self.body))
        self.pending = []
        try:
            if emulator.config.mode == "not-ollama":
                self._not_ollama()
            else:
                self._ollama()
        except OSError:  # the client went away, or stop() closed the socket mid-stream
            self.close_connection = True

    def _not_ollama(self) -> None:
        """Some other web server on the port: HTML for every path, never JSON."""
        headers = [("Access-Control-Allow-Origin", "*")] if self.server.emulator.config.not_ollama_cors else []
        if self.command == "OPTIONS":
            if headers:
                headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                            ("Access-Control-Allow-Headers", "*")]
            self._send(204, headers=headers)
            return
        self._send(200, NOT_OLLAMA_PAGE.encode(), HTML_UTF8, headers)

    def _ollama(self) -> None:
        emulator = self.server.emulator
        raw_path, _, query = self.target.partition("?")

        # GO ServeMux.findHandler: a path that isn't clean ("//api/tags", "/a/../api/tags") is redirected
        # with 301 before gin (and so before the CORS middleware) ever sees it.
        clean = _clean_path(raw_path)
        if clean != raw_path and self.command != "CONNECT":
            self._redirect(301, clean + (f"?{query}" if query else ""))
            return

        routes = emulator._routes()
        methods = routes.get(raw_path, {})
        handler = methods.get(self.command)

        # GIN handleHTTPRequest: RedirectTrailingSlash (301 for GET, 307 otherwise) when the other form of
        # the path exists for this method; answered directly, without the middleware.
        if handler is None and raw_path != "/":
            other = raw_path[:-1] if raw_path.endswith("/") else raw_path + "/"
            if self.command in routes.get(other, {}):
                self._redirect(301 if self.command == "GET" else 307, other + (f"?{query}" if query else ""))
                return

        # GIN: with HandleMethodNotAllowed (R, since v0.7.0) the Allow header is set before the middleware runs.
        allowed = [m for m in ("HEAD", "GET", "POST", "DELETE") if m in methods and m != self.command]
        if handler is None and allowed:
            self.pending.append(("Allow", ", ".join(allowed)))

        if not self._cors():
            return
        if not self._host_guard():
            return

        if handler is not None:
            handler(self)
        elif allowed:
            self._send(405, b"405 method not allowed", "text/plain", self.pending)  # GIN default405Body
        else:
            self._send(404, b"404 page not found", "text/plain", self.pending)  # GIN default404Body

    def _redirect(self, status: int, location: str) -> None:
        # GO http.Redirect: HTML body for GET only, Content-Type for GET and HEAD.
        body = f'<a href="{location}">{self.responses[status][0]}</a>.\n\n'.encode() if self.command == "GET" else b""
        content_type = HTML_UTF8 if self.command in ("GET", "HEAD") else None
        self._send(status, body, content_type, [("Location", location)])

    def _cors(self) -> bool:
        """CORS applyCors. Returns False when the response has been sent."""
        policy = self.server.emulator.policy
        origin = self.headers.get("Origin") or ""
        if not origin:
            return True  # not a CORS request: nothing checked
        host = self.headers.get("Host", "")
        if origin in (f"http://{host}", f"https://{host}"):
            return True  # same origin as the Host header: not checked either
        if not policy.admits(origin):
            self._send(403, headers=self.pending)  # AbortWithStatus(403): empty body, no CORS headers
            return False
        if self.command == "OPTIONS":  # preflight: answered here with 204, the route never runs
            headers = [
                ("Access-Control-Allow-Methods", PREFLIGHT_METHODS),
                ("Access-Control-Allow-Headers", PREFLIGHT_HEADERS),
                ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
            ]
            if policy.allow_all:
                headers.append(("Access-Control-Allow-Origin", "*"))
            else:
                headers += [
                    ("Vary", "Origin"),
                    ("Vary", "Access-Control-Request-Method"),
                    ("Vary", "Access-Control-Request-Headers"),
                    ("Access-Control-Allow-Origin", origin),
                ]
            self._send(204, headers=[*self.pending, *headers])
            return False
        if policy.allow_all:
            self.pending.append(("Access-Control-Allow-Origin", "*"))
        else:
            self.pending += [("Vary", "Origin"), ("Access-Control-Allow-Origin", origin)]
        return True

    def _host_guard(self) -> bool:
        """R allowedHostsMiddleware, as when Ollama listens on loopback. Returns False when answered."""
        config = self.server.emulator.config
        if not config.host_guard:
            return True
        host_header = self.headers.get("Host", "")
        host = _go_split_host(host_header)
        host = host_header if host is None else host
        try:
            ipaddress.ip_address(host)
            is_ip = True
        except ValueError:
            is_ip = False
        if host_header_allowed(host_header, config.hostname):
            if not is_ip and self.command == "OPTIONS":
                self._send(204, headers=self.pending)  # R: allowed names answer OPTIONS with 204 themselves
                return False
            return True
        self._send(403, headers=self.pending)  # R: AbortWithStatus(403), empty body
        return False

    # -- endpoints --------------------------------------------------------------------------------

    def root(self) -> None:
        self._send(200, RUNNING_TEXT.encode(), TEXT_UTF8, self.pending)  # R: c.String(200, "Ollama is running")

    def version(self) -> None:
        self._json(200, {"version": self.server.emulator.config.version})  # R: gin.H{"version": ...}

    def tags(self) -> None:
        self._send(200, self.server.emulator._tags(), JSON_UTF8, self.pending)  # R ListHandler

    def ps(self) -> None:
        self._json(200, {"models": []})  # R PsHandler with nothing loaded

    def _request_json(self) -> dict[str, Any] | None:
        """R handlers: ShouldBindJSON; io.EOF -> 400 "missing request body", other errors -> 400 with the text."""
        if not self.body.strip():
            self._error(400, "missing request body")
            return None
        try:
            value = json.loads(self.body)
        except ValueError as exc:
            self._error(400, f"invalid JSON: {exc}")  # Go's decoder words this differently
            return None
        if not isinstance(value, dict):
            self._error(400, "json: cannot unmarshal into Go value of type api.Request")
            return None
        return value

    def _model_or_error(self, request: dict[str, Any]) -> str | None:
        name = request.get("model") or ""
        if not isinstance(name, str) or not name:
            self._error(400, "model is required")  # R ChatHandler / ShowHandler
            return None
        if not self.server.emulator.has_model(name):
            self._error(404, f"model '{name}' not found")  # R ChatHandler / GenerateHandler / ShowHandler
            return None
        return name

    def chat(self) -> None:
        self._inference("chat")

    def generate(self) -> None:
        self._inference("generate")

    def _inference(self, kind: Literal["chat", "generate"]) -> None:
        request = self._request_json()
        if request is None:
            return
        name = self._model_or_error(request)
        if name is None:
            return
        config = self.server.emulator.config
        started = time.monotonic_ns()
        if config.load_delay:
            time.sleep(config.load_delay)
        loaded = time.monotonic_ns()

        def piece(text: str) -> dict[str, Any]:
            # T ChatResponse / GenerateResponse field order: model (as sent), created_at, message|response, done.
            head: dict[str, Any] = {"model": name, "created_at": _go_time(time.time_ns())}
            if kind == "chat":
                head["message"] = {"role": "assistant", "content": text}
            else:
                head["response"] = text
            return head

        messages = request.get("messages") or []
        prompt_words = request.get("prompt") or ""
        if (kind == "chat" and not messages) or (kind == "generate" and not prompt_words):
            # R: no messages / empty prompt only loads the model; one JSON object, done_reason "load".
            self._json(200, {**piece(""), "done": True, "done_reason": "load"})
            return
        if kind == "chat":
            prompt_words = " ".join(str(m.get("content", "")) for m in messages if isinstance(m, dict))
        prompt_count = max(1, len(str(prompt_words).split()))
        tokens = _tokens(config.reply)

        def final() -> dict[str, Any]:
            # T Metrics: durations in nanoseconds; the last object carries done_reason and the counts.
            now = time.monotonic_ns()
            eval_duration = max(1, len(tokens) * int(config.chunk_delay * 1e9))
            result = {
                **piece(""),
                "done": True,
                "done_reason": "stop",
                "total_duration": now - started,
                "load_duration": max(1, loaded - started),
                "prompt_eval_count": prompt_count,
                "prompt_eval_duration": 1_234_567,
                "eval_count": len(tokens),
                "eval_duration": eval_duration,
            }
            if kind == "generate":
                result["context"] = list(range(1, prompt_count + len(tokens) + 1))
            return result

        if request.get("stream") is False:
            # R writeChatResponse: stream:false gathers the pieces into one application/json object.
            result = final()
            if kind == "chat":
                result["message"]["content"] = config.reply
            else:
                result["response"] = config.reply
            self._json(200, result)
            return

        makers: list[Callable[[], dict[str, Any]]] = [
            (lambda token=token: {**piece(token), "done": False}) for token in tokens
        ]
        self._stream([*makers, final])

    def _stream(self, makers: Sequence[Callable[[], dict[str, Any]]]) -> None:
        """R streamResponse: NDJSON, one object per line, each written and flushed.

        Chunked to an HTTP/1.1 request; to an HTTP/1.0 request unchunked and close-delimited (GOW).
        Each object is made just before it is written, so created_at and durations are current.
        In "split" chunking the first two lines share one write and the last line is cut across two
        writes, so a client has to buffer and split on newlines itself ("plain": one line per write).
        """
        config = self.server.emulator.config
        self.send_response(200)
        for name, value in self.pending:
            self.send_header(name, value)
        self.send_header("Content-Type", NDJSON)
        if self._http10():
            self.close_connection = True  # GOW: closeAfterReply, and no Connection header to a 1.0 request
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        split = config.chunking == "split"
        coalesce = split and len(makers) >= 3  # keep the last line on its own so it can be cut
        index = 0
        while index < len(makers):
            data = _go_json(makers[index]()) + b"\n"
            index += 1
            if coalesce and index == 1:
                data += _go_json(makers[index]()) + b"\n"
                index += 1
            if split and index == len(makers):
                half = len(data) // 2
                self._chunk(data[:half])
                time.sleep(max(config.chunk_delay, 0.02))
                self._chunk(data[half:])
            else:
                self._chunk(data)
                if index < len(makers):  # the reply ends right after its last line, as Ollama's does
                    time.sleep(config.chunk_delay)
        if not self._http10():
            self.wfile.write(b"0\r\n\r\n")  # the last chunk; an HTTP/1.0 body ends when the connection closes
        self.wfile.flush()

    def _chunk(self, data: bytes) -> None:
        """One flushed write (gin's c.Stream flushes after each object)."""
        if self._http10():
            self.wfile.write(data)
        else:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def show(self) -> None:
        request = self._request_json()
        if request is None:
            return
        name = self._model_or_error(request)
        if name is None:
            return
        entry = _model_entry(normalize_model(name), 0)
        self._json(200, {  # shape of docs/api.md "Show Model Information", trimmed
            "modelfile": f"# Modelfile generated by the emulator\nFROM {entry['name']}\n",
            "parameters": "",
            "template": "{{ .Prompt }}",
            "details": entry["details"],
            "model_info": {"general.architecture": entry["details"]["family"], "general.parameter_count": 3212749888},
            "capabilities": ["completion"],
            "modified_at": entry["modified_at"],
        })

    def pull(self) -> None:
        request = self._request_json()
        if request is None:
            return
        name = request.get("model") or request.get("name") or ""
        if not name:
            self._error(400, "model is required")
            return
        emulator = self.server.emulator
        emulator.add_model(str(name))
        if request.get("stream") is False:
            self._json(200, {"status": "success"})  # docs/api.md "Pull a Model", stream:false
            return
        digest = "sha256:" + hashlib.sha256(str(name).encode()).hexdigest()
        statuses: list[dict[str, Any]] = [  # T ProgressResponse, sequence from docs/api.md "Pull a Model"
            {"status": "pulling manifest"},
            {"status": f"pulling {digest[7:19]}", "digest": digest, "total": 2019393189},
            {"status": f"pulling {digest[7:19]}", "digest": digest, "total": 2019393189, "completed": 2019393189},
            {"status": "verifying sha256 digest"},
            {"status": "writing manifest"},
            {"status": "success"},
        ]
        self._stream([(lambda status=status: status) for status in statuses])


def _clean_path(path: str) -> str:
    """Go's net/http cleanPath: leading "/", "." and ".." resolved, repeated slashes folded, trailing "/" kept."""
    if not path:
        return "/"
    if not path.startswith("/"):
        path = "/" + path
    cleaned = posixpath.normpath("/" + path.lstrip("/"))
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


# R GenerateRoutes, the routes the emulator answers (a subset of Ollama's).
_ROUTES: dict[str, dict[str, _Route]] = {
    "/": {"HEAD": _Handler.root, "GET": _Handler.root},
    "/api/version": {"HEAD": _Handler.version, "GET": _Handler.version},
    "/api/tags": {"HEAD": _Handler.tags, "GET": _Handler.tags},
    "/api/ps": {"GET": _Handler.ps},
    "/api/chat": {"POST": _Handler.chat},
    "/api/generate": {"POST": _Handler.generate},
    "/api/show": {"POST": _Handler.show},
    "/api/pull": {"POST": _Handler.pull},
}


# --------------------------------------------------------------------------------------------------
# The emulator object


class OllamaEmulator:
    """An Ollama look-alike on loopback. Use as a context manager, or call start() and stop()."""

    def __init__(self, config: EmulatorConfig | None = None, **overrides: Any) -> None:
        self.config = dataclasses.replace(config or EmulatorConfig(), **overrides)
        if self.config.mode not in MODES:
            raise ValueError(f"unknown mode {self.config.mode!r}; expected one of {', '.join(MODES)}")
        self.config.host = _require_loopback(self.config.host)
        self.config.models = [with_tag(m) for m in self.config.models]
        self.policy = OriginPolicy(self.config.extra_origins)  # raises OriginConfigError like Ollama panics
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._open: set[socket.socket] = set()
        self._server: _Server | None = None
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections = 0
        self._tags_cache: tuple[tuple[str, ...], bytes] | None = None
        self._port = 0

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> OllamaEmulator:
        if self._thread is not None:
            raise RuntimeError("emulator already started")
        self._stopping.clear()
        address = (self.config.host, self.config.port)
        if self.config.mode == "hang":
            family = socket.AF_INET6 if ":" in self.config.host else socket.AF_INET
            listener = socket.socket(family, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
            listener.listen(64)
            listener.settimeout(0.05)
            self._listener = listener
            self._port = listener.getsockname()[1]
            target: Callable[[], None] = self._accept_forever
        else:
            self._server = _Server(address, self)
            self._port = self._server.server_address[1]
            target = self._serve
        self._thread = threading.Thread(target=target, name=f"ollama-emulator-{self._port}", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        assert self._server is not None
        self._server.serve_forever(poll_interval=0.05)

    def _accept_forever(self) -> None:
        """"hang" mode: complete the TCP handshake, then never read and never answer."""
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections += 1
                self._open.add(conn)

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()  # serve_forever returns; no new handler threads after this
        self._thread.join(timeout=5)  # in "hang" mode the accept loop sees _stopping within 50 ms
        with self._lock:
            open_sockets = list(self._open)
            self._open.clear()
        for conn in open_sockets:  # wake handler threads blocked on keep-alive reads or streaming writes
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        if self._server is not None:
            self._server.server_close()
            self._server = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._thread = None

    def __enter__(self) -> OllamaEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests look at -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self._port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def connections(self) -> int:
        """TCP connections accepted in "hang" mode."""
        with self._lock:
            return self._connections

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def has_model(self, name: str) -> bool:
        wanted = normalize_model(name)
        with self._lock:
            return any(normalize_model(m) == wanted for m in self.config.models)

    def add_model(self, name: str) -> None:
        if not self.has_model(name):
            with self._lock:
                self.config.models.insert(0, with_tag(name))  # newest first, like /api/tags

    # -- internals used by the handler ------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
        if self.config.verbose:
            print(f"{request.method} {request.path} Origin={request.header('Origin')!r}", file=sys.stderr)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._open.add(conn)
            else:
                self._open.discard(conn)

    def _routes(self) -> dict[str, dict[str, _Route]]:
        return _ROUTES

    def _tags(self) -> bytes:
        with self._lock:
            models = tuple(self.config.models)
            if self._tags_cache is not None and self._tags_cache[0] == models:
                return self._tags_cache[1]
        body = tags_body(models, self.config.huge_tags_bytes)
        with self._lock:
            self._tags_cache = (models, body)
        return body


def iter_ndjson(chunks: Iterator[bytes]) -> Iterator[dict[str, Any]]:
    """Parse NDJSON from arbitrary byte chunks (a helper for tests reading streams)."""
    buffer = b""
    for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.strip():
                yield json.loads(line)
    if buffer.strip():
        yield json.loads(buffer)


# --------------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Emulate an Ollama server on loopback.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=11434, help="port (0 = any free port; default 11434)")
    parser.add_argument("--version", default=DEFAULT_VERSION, help=f"version to report (default {DEFAULT_VERSION})")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma-separated model names ('' = none)")
    parser.add_argument("--origins", default="", help="value of OLLAMA_ORIGINS, parsed the way Ollama parses it")
    parser.add_argument("--mode", choices=MODES, default="ollama")
    parser.add_argument("--no-host-guard", action="store_true", help="turn off the Host-header guard")
    parser.add_argument("--huge-tags-bytes", type=int, default=None, help="pad /api/tags to about this many bytes")
    parser.add_argument("--reply", default=DEFAULT_REPLY, help="text the model 'answers'")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="seconds between streamed chunks")
    parser.add_argument("--load-delay", type=float, default=0.0, help="seconds before chat/generate answer")
    parser.add_argument("--not-ollama-cors", action="store_true", help="not-ollama mode: send ACAO: *")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)

    try:
        host = _require_loopback(args.host)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        emulator = OllamaEmulator(
            host=host,
            port=args.port,
            version=args.version,
            models=[m.strip() for m in args.models.split(",") if m.strip()],
            extra_origins=parse_origins_env(args.origins),
            host_guard=not args.no_host_guard,
            mode=args.mode,
            huge_tags_bytes=args.huge_tags_bytes,
            reply=args.reply,
            chunk_delay=args.chunk_delay,
            load_delay=args.load_delay,
            not_ollama_cors=args.not_ollama_cors,
            verbose=not args.quiet,
        )
    except OriginConfigError as exc:
        print(f"panic: {exc}", file=sys.stderr)  # what `ollama serve` prints before dying
        return 2
    try:
        emulator.start()
    except OSError as exc:
        print(f"error: cannot listen on {host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"listening on {emulator.url} (mode {args.mode}, version {args.version})", flush=True)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)  # stop cleanly on `kill PID` as on Ctrl-C
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
