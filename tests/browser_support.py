"""Fixtures for the browser tests: Debian's Chromium through Playwright, and the built site served on loopback.

A test module loads them with `pytest_plugins = ("browser_support",)`. Nothing here talks to any address but
127.0.0.1: the browser maps every *.test name to 127.0.0.1 (--host-resolver-rules), so a page can have an
origin that is not loopback by name while all traffic stays on this machine.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import Build

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP *.test 127.0.0.1",
]


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else a chromium on PATH, else Debian's usual place."""
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def unavailable(reason: str) -> None:
    """Browser tests fail in CI when they cannot run, and skip (saying why) anywhere else."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """The built site on 127.0.0.1, also reachable as <scheme>://<name>.test:<port> in the browser."""

    scheme: str
    port: int
    host: str = "127.0.0.1"  # the loopback address it is served on

    def origin(self, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}"

    def url(self, path: str = "checker/", host: str | None = None) -> str:
        return f"{self.origin(host)}/{path}"


def free_port() -> int:
    """A loopback port that was free a moment ago, for a browser flag that must name it before the server starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(directory: Path, tls: ssl.SSLContext | None = None, port: int = 0,
          handler: type[SimpleHTTPRequestHandler] = _QuietHandler, host: str = "127.0.0.1") -> Iterator[int]:
    """A threaded static file server for `directory` on a loopback address (port 0: chosen by the OS)."""
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    if tls is not None:
        # The handshake happens on the first read, in the handler's thread, so a silent client blocks nobody.
        server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """Playwright's driver, once per session (a second sync_playwright() cannot run beside it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (requirements-test.txt)")
    with sync_playwright() as driver:
        yield driver


def launch_chromium(playwright: Any, extra_args: list[str] | None = None) -> Any:
    """Debian's Chromium with the suite's flags, plus `extra_args`."""
    path = chromium_path()
    if path is None:
        unavailable("no Chromium: install Debian's chromium or set CHROMIUM_PATH")
    try:
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS + (extra_args or []))
    except Exception as exc:  # a broken or incompatible binary
        unavailable(f"Chromium at {path} does not start: {exc}")


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    """One Chromium for the whole session."""
    chromium = launch_chromium(playwright_driver)
    yield chromium
    chromium.close()


@contextmanager
def serve_site(built: Path, copy: Path, scheme: str, tls: ssl.SSLContext | None = None, port: int = 0,
               handler: type[SimpleHTTPRequestHandler] = _QuietHandler, host: str = "127.0.0.1") -> Iterator[Site]:
    """A copy of the built site, served, with its sitemap pointing at the port it is served on.

    Material's instant navigation only takes over links whose address is in sitemap.xml, and it matches
    them with the scheme and host of the page but the port of site_url; so the copy gets the real port.
    """
    shutil.copytree(built, copy)
    with serve(copy, tls, port, handler, host) as port:
        sitemap = copy / "sitemap.xml"
        text = re.sub(r"<loc>[a-z]+://[^/<]+/", f"<loc>{scheme}://{host}:{port}/", sitemap.read_text("utf-8"))
        sitemap.write_text(text, "utf-8")
        yield Site(scheme, port, host)


@pytest.fixture(scope="session")
def site(built_site: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site built once per session (conftest.built_site), served over http."""
    with serve_site(built_site.site, tmp_path_factory.mktemp("served") / "http", "http") as served:
        yield served


def tls_context() -> ssl.SSLContext:
    """A server certificate for docs.test, localhost and 127.0.0.1 from a throwaway CA (trustme)."""
    trustme = pytest.importorskip("trustme")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("docs.test", "localhost", "127.0.0.1").configure_cert(context)
    return context


@pytest.fixture(scope="session")
def tls_site(built_site: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same site over https (tls_context: a certificate for docs.test)."""
    context = tls_context()
    with serve_site(built_site.site, tmp_path_factory.mktemp("served") / "https", "https", context) as served:
        yield served


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile per test: empty localStorage, no permissions."""
    ctx = browser.new_context(ignore_https_errors=True)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A page that fails the test on any uncaught script error or dialog."""
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.errors, page.dialogs = errors, dialogs
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"
    assert not dialogs, f"the page opened dialogs: {dialogs}"
