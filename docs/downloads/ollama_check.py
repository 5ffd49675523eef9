#!/usr/bin/env python3
"""Check from a terminal whether an Ollama server answers, and say what to fix when it does not.

Usage:
    python3 ollama_check.py [URL] [--model NAME] [--origin ORIGIN] [--timeout SECONDS] [--json]

The script only reads: it sends GET requests to /api/version and /api/tags at the address you
give, and nowhere else. It never pulls, deletes or posts.
It needs Python 3.9 or later and nothing outside the standard library.

Exit status: 0 when the verdict is "ok", 2 for an unusable address or bad arguments, 1 otherwise.
"""

from __future__ import annotations

import argparse
import errno
import http.client
import ipaddress
import json
import os
import platform
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

# The same verdict vocabulary as the browser checker and the site (the site build compares them).
VERDICTS = ("ok", "invalid-url", "mixed-content", "local-network-denied", "cors-blocked", "host-refused", "unreachable", "timeout", "not-ollama", "no-models", "model-missing", "version-too-old")  # noqa: E501
# The site rewrites this line when it publishes the script, so links lead back to that site.
DOCS_URL = "http://127.0.0.1:8000/"
DEFAULT_URL = "http://localhost:11434"
DEFAULT_TIMEOUT = 5.0
MIN_VERSION = "0.1.45"
# Origins Ollama always admits (envconfig AllowedOrigins), in Ollama's order; '*' is a wildcard.
DEFAULT_ORIGINS = (
    "http://localhost", "https://localhost", "http://localhost:*", "https://localhost:*",
    "http://127.0.0.1", "https://127.0.0.1", "http://127.0.0.1:*", "https://127.0.0.1:*",
    "http://0.0.0.0", "https://0.0.0.0", "http://0.0.0.0:*", "https://0.0.0.0:*",
    "app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*",
)

SCRIPT_NAME = "ollama_check.py"
DEFAULT_PORT = 11434
MAX_MODELS_SHOWN = 20
MAX_BODY = 4 * 1024 * 1024  # enough for any model list; a runaway reply must not fill memory
MAX_TIMEOUT = 3600.0
GUIDE = "changelogs/ollama/OLLAMA_TROUBLESHOOTING/"

TITLES = {
    "ok": "Ollama answers",
    "invalid-url": "The address is not usable",
    "mixed-content": "An https page cannot call an http address",
    "local-network-denied": "The browser's local network permission is denied",
    "cors-blocked": "The server does not let this origin read its replies",
    "host-refused": "Ollama refuses the Host name",
    "unreachable": "Nothing answers at that address",
    "timeout": "The request timed out",
    "not-ollama": "Something else answers",
    "no-models": "Ollama has no models",
    "model-missing": "The model is not installed",
    "version-too-old": "Ollama is too old",
}
FIXES = {
    "ok": "Nothing to fix. If MarkItUp still fails, run the browser checker and compare.",
    "invalid-url": "Give the address as scheme, host and port only, such as http://192.168.1.20:11434.",
    "mixed-content": "Open the site (or MarkItUp) over http on your LAN, or put Ollama behind https.",
    "local-network-denied": "Browser only: allow local network access in Chrome's site settings for the page.",
    "cors-blocked": "Add the origin to OLLAMA_ORIGINS on the Ollama host and restart Ollama.",
    "host-refused": "Use localhost or an IP address in the URL; behind a reverse proxy, make it send "
    "Host localhost:11434 to Ollama.",
    "unreachable": "Check the address and that Ollama listens on the network (OLLAMA_HOST=0.0.0.0:11434), "
    "then any firewall in between.",
    "timeout": "Check that the host is up and that no firewall drops the packets; a loading model can also "
    "hold a reply (try a longer --timeout).",
    "not-ollama": "Check the port (11434 by default) and any reverse proxy in front of Ollama.",
    "no-models": "Pull a model on the Ollama host, e.g. ollama pull llama3.2.",
    "model-missing": "Pull that model on the Ollama host, or pick one from the list.",
    "version-too-old": "Update Ollama on its host (these pages support " + MIN_VERSION + " and later).",
}
# Most serious first: the verdict is the first of these that any check raised.
PRECEDENCE = ("invalid-url", "unreachable", "timeout", "host-refused", "not-ollama", "version-too-old",
              "cors-blocked", "no-models", "model-missing", "ok")

# Terminal-only network failure classes, with the curl exit code a user would see for the same thing.
CURL_EXIT = {"dns": 6, "refused": 7, "no-route": 7, "timed-out": 28, "empty-reply": 52, "reset": 56}


def _errnos(*names: str) -> frozenset:
    # Windows reports socket errors as WSAE* numbers, which differ from its E* constants.
    return frozenset(getattr(errno, p + n) for n in names for p in ("", "WSA") if hasattr(errno, p + n))


NO_ROUTE_ERRNOS = _errnos("EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EHOSTDOWN")
RESET_ERRNOS = _errnos("ECONNRESET", "ECONNABORTED", "EPIPE")
TIMEOUT_ERRNOS = _errnos("ETIMEDOUT")
REFUSED_ERRNOS = _errnos("ECONNREFUSED")

TERM_PROGRAMS = {
    "Apple_Terminal": "Terminal",
    "iTerm.app": "iTerm2",
    "vscode": "Visual Studio Code",
    "WarpTerminal": "Warp",
    "ghostty": "Ghostty",
    "tmux": "the terminal app running tmux",
}
# Checked before TERM_PROGRAM: forks such as Cursor also say TERM_PROGRAM=vscode.
BUNDLE_IDS = {
    "com.apple.Terminal": "Terminal",
    "com.googlecode.iterm2": "iTerm2",
    "com.microsoft.VSCode": "Visual Studio Code",
    "com.microsoft.VSCodeInsiders": "Visual Studio Code - Insiders",
    "com.todesktop.230313mzl4w4u92": "Cursor",
    "dev.warp.Warp-Stable": "Warp",
    "com.mitchellh.ghostty": "Ghostty",
}


def link(anchor: str) -> str:
    return DOCS_URL + GUIDE + "#" + anchor


# --- addresses --------------------------------------------------------------------------------------

class UrlError(ValueError):
    """The address cannot be used; the message names the problem."""


@dataclass(frozen=True)
class Target:
    url: str  # normalised: scheme://host[:port], no path
    scheme: str
    host: str  # without IPv6 brackets
    port: int  # the port actually used, default ports filled in


# A scheme is letters then ':' — but "localhost:11434" and "ollama.lan:11434" are host:port.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)
_HOST_NAME = re.compile(r"^[\w-]+(\.[\w-]+)*\.?$")


def _has_scheme(text: str) -> bool:
    if "://" in text:
        return True
    match = _SCHEME.match(text)
    if not match:
        return False
    name, rest = match.groups()
    # A dotted name or "localhost" before the colon, or digits after it, is a host and port.
    return "." not in name and name.lower() != "localhost" and not rest[:1].isdigit()


def normalise_url(raw: str) -> Target:
    """Reduce what a person typed to scheme://host[:port], as the browser checker does.

    No scheme: http:// is assumed, and port 11434 when no port is given either. A pasted path
    such as /api/tags is dropped. Raises UrlError naming the problem.
    """
    text = raw.strip()
    if not text:
        raise UrlError("the address is empty")
    implied = not _has_scheme(text)
    if implied:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise UrlError(f"cannot read the host in {raw.strip()!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlError(f"{scheme}: addresses cannot reach Ollama; use http:// or https://")
    if "@" in parts.netloc:
        raise UrlError("the address carries a user name or password; Ollama takes none, remove the part before '@'")
    host = _checked_host(parts.netloc, parts.hostname)
    port = _checked_port(parts.netloc)
    default = 443 if scheme == "https" else 80
    if port is None:
        port = DEFAULT_PORT if implied else default
    shown = f"[{host}]" if ":" in host else host
    suffix = "" if port == default else f":{port}"
    return Target(f"{scheme}://{shown}{suffix}", scheme, host, port)


def _checked_host(netloc: str, hostname: Optional[str]) -> str:
    if not hostname:
        raise UrlError("the address has no host name or IP address")
    if netloc.startswith("["):
        try:
            ipaddress.IPv6Address(hostname.split("%", 1)[0])
        except ValueError:
            raise UrlError(f"[{hostname}] is not a valid IPv6 address") from None
        return hostname
    if not _HOST_NAME.match(hostname):
        raise UrlError(f"{hostname!r} is not a valid host name")
    if not hostname.isascii():  # a browser sends international names in their punycode form
        try:
            return hostname.encode("idna").decode("ascii")
        except UnicodeError:
            raise UrlError(f"{hostname!r} is not a valid international host name") from None
    return hostname


def _checked_port(netloc: str) -> Optional[int]:
    # Read the port ourselves: urlsplit's messages ("Port out of range 0-65535") name no value.
    hostport = netloc.rsplit("]", 1)[-1] if netloc.startswith("[") else netloc
    if ":" not in hostport:
        return None
    text = hostport.rsplit(":", 1)[1]
    if text == "":
        return None  # "host:" means the default port, as in a browser
    if not text.isdigit():
        raise UrlError(f"the port {text!r} is not a number")
    port = int(text)
    if not 1 <= port <= 65535:
        raise UrlError(f"the port {port} is out of range (1-65535)")
    return port


def normalise_origin(raw: str) -> str:
    """The Origin a browser would send for this page address: scheme://host[:port], no path."""
    text = raw.strip()
    if text == "null":  # what a page opened from disk sends
        return text
    if "://" not in text:
        raise ValueError(f"{raw!r} is not an origin; give scheme, host and port, e.g. http://192.168.1.20:3000")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a usable origin: {exc}") from None
    if not parts.hostname:
        raise ValueError(f"{raw!r} has no host")
    scheme = parts.scheme.lower()
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}.get(scheme)
    suffix = "" if port is None or port == default else f":{port}"
    return f"{scheme}://{host}{suffix}"


def origin_matches(origin: str, pattern: str) -> bool:
    """gin-contrib/cors wildcard rules as Ollama uses them: one '*' splits a prefix and a suffix."""
    if pattern == "*":
        return True
    if "*" in pattern:
        prefix, _, suffix = pattern.partition("*")
        return len(origin) >= len(prefix) + len(suffix) and origin.startswith(prefix) and origin.endswith(suffix)
    return origin == pattern


def in_default_origins(origin: str) -> bool:
    return any(origin_matches(origin, pattern) for pattern in DEFAULT_ORIGINS)


def parse_version(text: str) -> Optional[Tuple[int, ...]]:
    """(0, 5, 7) for "0.5.7", "v0.5.7" or "0.5.7-rc1"; None when there are no numbers to compare."""
    match = re.match(r"^v?(\d+(?:\.\d+)*)", text.strip())
    return tuple(int(n) for n in match.group(1).split(".")) if match else None


def version_at_least(version: Tuple[int, ...], minimum: Tuple[int, ...]) -> bool:
    width = max(len(version), len(minimum))
    return version + (0,) * (width - len(version)) >= minimum + (0,) * (width - len(minimum))


def model_present(name: str, installed: List[str]) -> bool:
    """Whether Ollama would find the model: a missing tag means ":latest", and case does not matter."""
    def full(model: str) -> str:
        return (model if ":" in model else model + ":latest").lower()

    return any(full(m) == full(name) for m in installed)


# --- macOS Local Network privacy ---------------------------------------------------------------------

def terminal_app(env: Mapping[str, str]) -> str:
    """The app macOS holds responsible for this terminal session, as a person would name it."""
    bundle = env.get("__CFBundleIdentifier", "")
    program = env.get("TERM_PROGRAM", "")
    if program == "tmux":  # the tmux server runs detached; its app is whatever started it
        return TERM_PROGRAMS["tmux"] + (f" ({BUNDLE_IDS[bundle]})" if bundle in BUNDLE_IDS else "")
    if bundle in BUNDLE_IDS:
        return BUNDLE_IDS[bundle]
    if program in TERM_PROGRAMS:
        return TERM_PROGRAMS[program]
    if bundle:
        return f"the app {bundle}"
    return "the app that started this terminal"


def macos_major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0


def local_network_privacy(system: str, mac_version: str, err_no: Optional[int], target_ip: Optional[str],
                          same_subnet: bool, env: Mapping[str, str]) -> Optional[Dict[str, str]]:
    """Explain an EHOSTUNREACH as macOS Local Network privacy, or return None when it is not that.

    From macOS 15, a program that has not been granted Local Network access gets "No route to
    host" for addresses on its own subnet only; loopback and routed hosts still work (TN3179).
    Tools run from Apple's Terminal or over SSH are granted automatically, others inherit the
    permission of the app that started them.
    """
    if system != "Darwin" or macos_major(mac_version) < 15:
        return None
    if err_no != errno.EHOSTUNREACH or not same_subnet or not target_ip:
        return None
    try:
        if ipaddress.ip_address(target_ip.split("%", 1)[0]).is_loopback:
            return None
    except ValueError:
        return None
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return None  # sessions started by sshd are exempt
    app = terminal_app(env)
    detail = (f"macOS Local Network privacy blocked {target_ip}: {app} lacks the Local Network permission, "
              "so every program started from it gets 'No route to host' for hosts on this subnet "
              "(the browser has its own permission and may work).")
    if app == "Terminal":
        detail += " Apple's Terminal is normally allowed automatically; if this persists, also check firewalls."
    fix = (f"System Settings > Privacy & Security > Local Network: turn it on for {app}, "
           f"then quit {app} completely and reopen it.")
    return {"app": app, "detail": detail, "fix": fix, "link": link("local-network-privacy")}


def _macos_version() -> str:
    version = platform.mac_ver()[0]
    # Pythons built against an old SDK are told "10.16" on macOS 11 and later; ask the system.
    if version.startswith("10.16"):
        out = _run(["sw_vers", "-productVersion"], {"SYSTEM_VERSION_COMPAT": "0"})
        version = out.strip() if out else version
    return version


def _run(command: List[str], extra_env: Optional[Dict[str, str]] = None) -> Optional[str]:
    try:
        env = dict(os.environ, **(extra_env or {}))
        result = subprocess.run(command, capture_output=True, text=True, timeout=3, env=env, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _same_subnet(ip: str) -> bool:
    """Whether macOS reaches ip directly on a local link (no gateway), the case LNP restricts."""
    family = ["-inet6"] if ":" in ip else []
    out = _run(["route", "-n", "get", *family, ip])
    if out is not None:
        return "gateway:" not in out
    try:  # no route(8): a private or link-local address is the best guess left
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    return (address.is_private or address.is_link_local) and not address.is_loopback


# --- one GET request ---------------------------------------------------------------------------------

@dataclass
class Failure:
    cls: Optional[str]  # one of CURL_EXIT's keys, or None for TLS and rare errors
    errno: Optional[int]
    errno_name: Optional[str]
    message: str
    address: Optional[str] = None  # the IP the failed connection went to

    def as_json(self) -> Dict[str, Any]:
        return {"class": self.cls, "errno": self.errno, "errno_name": self.errno_name,
                "curl_exit": CURL_EXIT.get(self.cls or "")}


class RequestFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class NotHttp(Exception):
    """Something answered, but not in HTTP."""


@dataclass
class Reply:
    status: int
    headers: Dict[str, str]
    body: bytes
    address: str


def _errno_name(number: Optional[int], gai: bool = False) -> Optional[str]:
    if number is None:
        return None
    if gai:  # getaddrinfo codes (EAI_*) are not errno values
        names = [n for n in dir(socket) if n.startswith("EAI_") and getattr(socket, n) == number]
        return names[0] if names else None
    return errno.errorcode.get(number)


def classify(exc: BaseException, address: Optional[str] = None) -> Failure:
    """Sort a network error into the classes curl users know, keeping the errno visible."""
    number = getattr(exc, "errno", None)
    number = number if isinstance(number, int) else None
    # strerror alone: the row prints the errno itself, and str() would repeat it.
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    if isinstance(exc, socket.gaierror):
        return Failure("dns", number, _errno_name(number, gai=True), text, address)
    if isinstance(exc, http.client.RemoteDisconnected):  # before ConnectionResetError: it is one
        return Failure("empty-reply", None, None, "the server closed the connection without a reply", address)
    if isinstance(exc, (socket.timeout, TimeoutError)) or number in TIMEOUT_ERRNOS:
        return Failure("timed-out", number, _errno_name(number), text, address)
    if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return Failure(None, None, None, "TLS: " + text, address)
    if isinstance(exc, ConnectionRefusedError) or number in REFUSED_ERRNOS:
        return Failure("refused", number, _errno_name(number), text, address)
    if number in NO_ROUTE_ERRNOS:
        return Failure("no-route", number, _errno_name(number), text, address)
    if isinstance(exc, (ConnectionResetError, http.client.IncompleteRead)) or number in RESET_ERRNOS:
        return Failure("reset", number, _errno_name(number), text, address)
    return Failure(None, number, _errno_name(number), text, address)


def _resolve(host: str, port: int, timeout: float) -> List[Tuple[Any, ...]]:
    """getaddrinfo with a time limit: a stuck resolver must not outlast --timeout."""
    result: Dict[str, Any] = {}

    def lookup() -> None:
        try:
            result["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as exc:  # handed to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(timeout)
    if "error" in result:
        raise result["error"]
    if "infos" not in result:
        raise socket.gaierror(None, f"looking up {host} took longer than {timeout:g} s")
    return result["infos"]


def _connect(target: Target, deadline: float) -> Tuple[socket.socket, str]:
    """Try each address in turn (as curl does) and keep the last error with its address."""
    infos = _resolve(target.host, target.port, max(deadline - time.monotonic(), 0.01))
    last: Optional[Failure] = None
    for family, kind, proto, _name, sockaddr in infos:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(remaining)
            sock.connect(sockaddr)
            return sock, sockaddr[0]
        except OSError as exc:
            sock.close()
            last = classify(exc, sockaddr[0])
    raise RequestFailed(last or Failure("timed-out", None, None, "timed out", None))


def http_get(target: Target, path: str, timeout: float, headers: Optional[Dict[str, str]] = None) -> Reply:
    """GET path with socket and http.client directly, so a failure keeps its errno and address."""
    deadline = time.monotonic() + timeout
    address: Optional[str] = None
    try:
        sock, address = _connect(target, deadline)
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        if target.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=target.host)
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(target.host, target.port)
        else:
            conn = http.client.HTTPConnection(target.host, target.port)
        conn.sock = sock  # already connected: http.client only writes the request
        try:
            sent = {"Accept": "application/json", "User-Agent": f"{SCRIPT_NAME} (Python {platform.python_version()})"}
            conn.request("GET", path, headers={**sent, **(headers or {})})
            response = conn.getresponse()
            body = response.read(MAX_BODY)
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body, address)
        finally:
            conn.close()
    except RequestFailed:
        raise
    except (http.client.RemoteDisconnected, http.client.IncompleteRead) as exc:
        raise RequestFailed(classify(exc, address)) from None
    except http.client.HTTPException as exc:  # a reply that is not HTTP: an SSH port, a database…
        raise NotHttp(f"the reply is not HTTP ({type(exc).__name__})") from None
    except (OSError, ssl.CertificateError) as exc:
        raise RequestFailed(classify(exc, address)) from None


def read_json(reply: Reply) -> Any:
    try:
        return json.loads(reply.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


# --- the checks --------------------------------------------------------------------------------------

@dataclass
class Options:
    url: str = DEFAULT_URL
    model: Optional[str] = None
    origin: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT
    as_json: bool = False


@dataclass
class Run:
    options: Options
    target: Optional[Target] = None
    rows: List[Dict[str, Any]] = field(default_factory=list)
    raised: Dict[str, Tuple[str, str]] = field(default_factory=dict)  # verdict -> (fix, link)
    failure: Optional[Failure] = None
    version: Optional[str] = None
    models: Optional[List[str]] = None
    ollama_origins: Optional[str] = None
    reply: Optional[Reply] = None  # the answer to the first GET /api/version
    stop: Optional[str] = None  # why later checks are skipped

    def raise_verdict(self, verdict: str, fix: Optional[str] = None, where: Optional[str] = None) -> None:
        self.raised.setdefault(verdict, (fix or FIXES[verdict], where or link(verdict)))

    def verdict(self) -> str:
        return next((v for v in PRECEDENCE if v in self.raised), "ok")


def _row(check_id: str, status: str, detail: str, ms: Optional[float] = None) -> Dict[str, Any]:
    return {"id": check_id, "status": status, "ms": None if ms is None else round(ms), "detail": detail}


def check_url(run: Run) -> Tuple[str, str]:
    try:
        run.target = normalise_url(run.options.url)
    except UrlError as exc:
        run.raise_verdict("invalid-url")
        run.stop = "the address is not usable"
        return "fail", str(exc)
    return "pass", run.target.url


def _network_failure(run: Run, failure: Failure) -> str:
    """Record a failed request: its verdict, a fix for its class, and the text for its row."""
    run.failure = failure
    target = run.target
    assert target is not None
    if failure.cls == "timed-out" and failure.errno is None:  # our own clock ran out, not the system's
        failure.message = f"no reply within {run.options.timeout:g} s"
    verdict = "timeout" if failure.cls == "timed-out" else "unreachable"
    fix, where = _failure_fix(failure, target, run.options.timeout)
    run.raise_verdict(verdict, fix, where)
    run.stop = "no reply"
    code = f"[Errno {failure.errno} {failure.errno_name}] " if failure.errno_name else ""
    place = f" ({failure.address} port {target.port})" if failure.address else ""
    curl = f"; curl exits {CURL_EXIT[failure.cls]}" if failure.cls in CURL_EXIT else ""
    return f"{failure.cls or 'error'}: {code}{failure.message}{place}{curl}"


def _failure_fix(failure: Failure, target: Target, timeout: float) -> Tuple[Optional[str], Optional[str]]:
    if failure.cls == "no-route" and failure.address:
        system = platform.system()
        if system == "Darwin":  # only here is the permission question worth two subprocesses
            lnp = local_network_privacy(system, _macos_version(), failure.errno, failure.address,
                                        _same_subnet(failure.address), os.environ)
            if lnp:
                failure.message = lnp["detail"]
                return lnp["fix"], lnp["link"]
    return _class_fix(failure, target, timeout), None


def _class_fix(failure: Failure, target: Target, timeout: float) -> Optional[str]:
    local = _is_loopback(target.host)
    if failure.cls == "dns":
        return f"The name {target.host} does not resolve on this machine: check its spelling, or use the IP address."
    if failure.cls == "refused" and local:
        return f"Nothing listens on port {target.port} here: start Ollama (the app, or `ollama serve`), check the port."
    if failure.cls == "refused":
        return (f"{target.host} is up but nothing listens on port {target.port}. Ollama listens on 127.0.0.1 only "
                "unless OLLAMA_HOST=0.0.0.0:11434 is set on that machine (then restart it); check the port too.")
    if failure.cls == "no-route":
        return "This machine has no route to that address: check the address, that the host is on and on your " \
               "network, any VPN, and its firewall."
    if failure.cls == "timed-out":
        return (f"No reply within {timeout:g} s: check that the host is up and that no firewall drops port "
                f"{target.port}; a model that is loading can hold a reply, so try a longer --timeout.")
    if failure.cls == "empty-reply":
        return ("Something accepted the connection and closed it without a word: often a proxy, or an https "
                "port spoken to with http:// (try https://).")
    if failure.cls == "reset":
        return "The other side cut the connection: a firewall or proxy in between, or a server that crashed."
    if failure.message.startswith("TLS"):
        return ("The TLS handshake failed. Ollama itself speaks plain http: use http:// unless a proxy serves "
                "https, and then make its certificate trusted on this machine.")
    return None


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_reach(run: Run) -> Tuple[str, str]:
    assert run.target is not None
    try:
        # No Origin header: like curl, this asks only whether anything answers at all.
        reply = http_get(run.target, "/api/version", run.options.timeout)
    except RequestFailed as exc:
        return "fail", _network_failure(run, exc.failure)
    except NotHttp as exc:
        return "pass", f"connected, but {exc}"
    run.reply = reply
    return "pass", f"HTTP {reply.status} from {reply.address} port {run.target.port}"


def check_identity(run: Run) -> Tuple[str, str]:
    assert run.target is not None
    reply = run.reply
    if reply is None:
        run.raise_verdict("not-ollama")
        run.stop = "not Ollama"
        return "fail", "the reply is not HTTP, so this is not Ollama (an SSH, database or other port?)"
    data = read_json(reply) if reply.status == 200 else None
    if isinstance(data, dict) and isinstance(data.get("version"), str):
        run.version = data["version"]
        return "pass", f"Ollama {run.version}"
    run.stop = "not Ollama"
    if reply.status == 403:
        # Decision: a 403 to a request without Origin is Ollama's Host-header guard (it refuses Host
        # names it does not know while it listens on loopback), so a proxy or an unknown name is in
        # the way. It stays "not-ollama" — the reply is an HTTP error, not Ollama's answer — with
        # its own fix and anchor, since the generic not-ollama fix would not help.
        run.raise_verdict(
            "not-ollama",
            "A reverse proxy must send the Host header `Host: localhost:11434` (nginx: proxy_set_header Host "
            f"localhost:11434); or use localhost or an IP address instead of the name {run.target.host}; or let "
            "Ollama listen on the network (OLLAMA_HOST=0.0.0.0:11434), where the guard is off.",
            link("host-header-guard"))
        return "fail", ("HTTP 403 with no Origin sent: Ollama's Host-header guard refuses the Host name "
                        f"{run.target.host!r} (Ollama listens on loopback behind a proxy or a name it does not know)")
    run.raise_verdict("not-ollama")
    return "fail", _not_ollama_detail(reply, data)


def _not_ollama_detail(reply: Reply, data: Any) -> str:
    status = reply.status
    if 300 <= status < 400:
        return f"HTTP {status}: redirects to {reply.headers.get('location', '?')}; use that address if it is Ollama"
    if status in (401, 407):
        return f"HTTP {status}: asks for a login, so a proxy with authentication stands in front"
    if status >= 400:
        return f"HTTP {status} for /api/version: another server, or a proxy that cannot reach Ollama"
    kind = reply.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    if kind == "text/html" or reply.body.lstrip()[:1] == b"<":
        return "HTTP 200 with an HTML page, not Ollama's JSON: another web server, or the wrong port"
    if data is not None:
        return "HTTP 200 with JSON that has no \"version\": another API, not Ollama"
    return f"HTTP 200 with {kind}, not Ollama's JSON"


def check_version(run: Run) -> Tuple[str, str]:
    assert run.version is not None
    parsed, minimum = parse_version(run.version), parse_version(MIN_VERSION)
    assert minimum is not None
    if parsed is None:
        return "warn", f"cannot compare {run.version!r} with {MIN_VERSION}"
    if not any(parsed):  # development builds report 0.0.0
        return "warn", f"{run.version} is a development build; assuming it is recent"
    if not version_at_least(parsed, minimum):
        run.raise_verdict("version-too-old")
        return "fail", f"{run.version} is older than {MIN_VERSION}"
    return "pass", f"{run.version} >= {MIN_VERSION}"


def check_cors(run: Run) -> Tuple[str, str]:
    assert run.target is not None and run.options.origin is not None
    origin = normalise_origin(run.options.origin)
    known = "in Ollama's default origins" if in_default_origins(origin) else "not in Ollama's default origins"
    try:
        reply = http_get(run.target, "/api/version", run.options.timeout, {"Origin": origin})
    except (RequestFailed, NotHttp) as exc:
        return "warn", f"{origin} ({known}): the second request failed: {exc}"
    allowed = reply.headers.get("access-control-allow-origin")
    if reply.status == 403:
        # A page opened from disk sends "null", which Ollama can only admit with "*".
        run.ollama_origins = "*" if origin == "null" else origin
        run.raise_verdict("cors-blocked", f"On the Ollama host set OLLAMA_ORIGINS={run.ollama_origins} (add it with a "
                          "comma to any value already set, no spaces) and restart Ollama.")
        return "fail", f"Ollama refuses Origin {origin} with HTTP 403 ({known})"
    if reply.status != 200:
        return "warn", f"HTTP {reply.status} with Origin {origin} ({known})"
    if allowed is None:
        return "warn", (f"Origin {origin} ({known}) got HTTP 200 without Access-Control-Allow-Origin: "
                        "a browser would hide the reply (a proxy dropping headers?)")
    if allowed not in ("*", origin):
        run.ollama_origins = origin
        run.raise_verdict("cors-blocked")
        return "fail", f"Origin {origin} ({known}) got Access-Control-Allow-Origin: {allowed}"
    return "pass", f"Ollama admits Origin {origin} ({known})"


def check_models(run: Run) -> Tuple[str, str]:
    assert run.target is not None
    try:
        reply = http_get(run.target, "/api/tags", run.options.timeout)
    except RequestFailed as exc:
        return "fail", _network_failure(run, exc.failure)
    except NotHttp as exc:
        run.raise_verdict("not-ollama")
        return "fail", f"/api/tags: {exc}"
    data = read_json(reply)
    listed = data.get("models") if isinstance(data, dict) else None
    if reply.status != 200 or not isinstance(listed, list):
        run.raise_verdict("not-ollama")
        return "fail", f"/api/tags answered HTTP {reply.status} without a model list"
    names = [str(m.get("name") or m.get("model")) for m in listed if isinstance(m, dict)]
    run.models = names
    if not names:
        run.raise_verdict("no-models")
        return "fail", "0 models installed"
    shown = ", ".join(names[:MAX_MODELS_SHOWN])
    more = f" and {len(names) - MAX_MODELS_SHOWN} more" if len(names) > MAX_MODELS_SHOWN else ""
    return "pass", f"{len(names)} model{'s' if len(names) != 1 else ''}: {shown}{more}"


def check_model(run: Run) -> Tuple[str, str]:
    name = run.options.model or ""
    if run.models is None:
        return "skip", "skipped: no model list"
    if model_present(name, run.models):
        return "pass", f"{name} is installed"
    base = name.split(":", 1)[0]
    tags = [m for m in run.models if m.split(":", 1)[0] == base]
    other = f"; installed tags of {base}: {', '.join(tags)}" if tags else ""
    run.raise_verdict("model-missing", f"On the Ollama host run: ollama pull {name} (or pick an installed model).")
    return "fail", f"{name} is not installed{other}"


def run_checks(options: Options) -> Run:
    """Run the checks in order; once one makes the rest pointless, they are listed as skipped."""
    run = Run(options)
    steps: List[Tuple[str, Callable[[], Tuple[str, str]], Optional[str]]] = [
        ("url", lambda: check_url(run), None),
        ("reach", lambda: check_reach(run), None),
        ("identity", lambda: check_identity(run), None),
        ("version", lambda: check_version(run), None),
        ("cors", lambda: check_cors(run), None if options.origin else "no --origin given"),
        ("models", lambda: check_models(run), None),
        ("model", lambda: check_model(run), None if options.model else "no --model given"),
    ]
    for check_id, func, unasked in steps:
        if run.stop is not None or unasked:
            run.rows.append(_row(check_id, "skip", f"skipped: {run.stop or unasked}"))
            continue
        start = time.perf_counter()
        status, detail = func()
        run.rows.append(_row(check_id, status, detail, (time.perf_counter() - start) * 1000))
    return run


# --- output ------------------------------------------------------------------------------------------

def exit_status(verdict: str) -> int:
    return 0 if verdict == "ok" else 2 if verdict == "invalid-url" else 1


def report(run: Run) -> Dict[str, Any]:
    verdict = run.verdict()
    fix, where = run.raised.get(verdict, (FIXES[verdict], link(verdict)))
    return {
        "verdict": verdict,
        "title": TITLES[verdict],
        "url": run.target.url if run.target else run.options.url,
        "checks": run.rows,
        "failure": run.failure.as_json() if run.failure else None,
        "fix": fix,
        "link": where,
        "ollama_origins": run.ollama_origins,
        "version": run.version,
        "models": run.models,
        "script": {"name": SCRIPT_NAME, "python": platform.python_version()},
    }


COLOURS = {"pass": "32", "fail": "31", "warn": "33", "skip": "2"}


def use_colour(stream: Any, env: Mapping[str, str]) -> bool:
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)()) and (os.name != "nt" or "WT_SESSION" in env)


def render_text(result: Dict[str, Any], colour: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    lines = [f"Checking {result['url']}"]
    for row in result["checks"]:
        mark = paint(COLOURS[row["status"]], row["status"].upper().ljust(4))
        ms = "" if row["ms"] is None else f"{row['ms']} ms"
        lines.append(f"  {mark}  {row['id']:<8} {ms:>8}  {row['detail']}")
    verdict = result["verdict"]
    lines += ["", paint("1", f"Verdict: {verdict} - {result['title']}"), f"Fix:     {result['fix']}"]
    if result["ollama_origins"]:
        lines += ["On the Ollama host, set:", f"  OLLAMA_ORIGINS={result['ollama_origins']}"]
    if result["failure"] and result["failure"]["curl_exit"] is not None:
        lines.append(f"curl:    the same failure makes curl exit {result['failure']['curl_exit']} "
                     f"({link('curl-exit-codes')})")
    lines.append(f"More:    {result['link']}")
    if verdict != "invalid-url":
        lines.append(f"Browser and terminal disagree? {DOCS_URL}diagnosis/")
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------------

class ArgumentParser(argparse.ArgumentParser):
    """Bad arguments end in one clear line and exit status 2, never a usage dump or a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= MAX_TIMEOUT:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text} must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return value


def origin_argument(text: str) -> str:
    try:
        return normalise_origin(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_args(argv: List[str]) -> Options:
    parser = ArgumentParser(
        prog=SCRIPT_NAME, allow_abbrev=False,
        description="Check whether an Ollama server answers, read-only, and say what to fix.",
        epilog=f"Verdicts and fixes: {DOCS_URL}{GUIDE}")
    parser.add_argument("url", nargs="*", help=f"Ollama's address (default {DEFAULT_URL})")
    parser.add_argument("--model", help="a model that must be installed, e.g. llama3.2")
    parser.add_argument("--origin", type=origin_argument,
                        help="a web page's origin to test against Ollama's CORS rules, e.g. http://192.168.1.20:3000")
    parser.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT,
                        help=f"seconds to wait for each request (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_intermixed_args(argv)
    if len(args.url) > 1:
        parser.error(f"give one URL, not {len(args.url)}: {' '.join(args.url)}")
    if args.model is not None and not args.model.strip():
        parser.error("--model needs a model name")
    url = args.url[0] if args.url else DEFAULT_URL
    return Options(url, args.model.strip() if args.model else None, args.origin, args.timeout, args.json)


def main(argv: Optional[List[str]] = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    result = report(run_checks(options))
    if options.as_json:
        print(json.dumps(result, indent=2))
    else:
        print(render_text(result, use_colour(sys.stdout, os.environ)))
    return exit_status(result["verdict"])


def entry() -> None:
    if hasattr(sys.stdout, "reconfigure"):  # a model name must not crash a cp1252 console
        sys.stdout.reconfigure(errors="replace")
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # output piped into head: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 — keeps the exit flush from raising again
        code = 1
    except Exception as exc:
        if os.environ.get("OLLAMA_CHECK_DEBUG") == "1":
            raise
        print(f"{SCRIPT_NAME}: unexpected error: {type(exc).__name__}: {exc} "
              "(set OLLAMA_CHECK_DEBUG=1 for details)", file=sys.stderr)
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    entry()
