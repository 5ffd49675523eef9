"""Fixtures for the browser tests: Debian's Chromium through Playwright, and the built site served on loopback.

A test module loads them with `pytest_plugins = ("browser_support",)`. Nothing here talks to any address but
127.0.0.1: the browser maps every *.test name to 127.0.0.1 (--host-resolver-rules), so a page can have an
origin that is not loopback by name while all traffic stays on this machine.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import csp_support
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
def serving(server: ThreadingHTTPServer) -> Iterator[int]:
    """Run `server` in a daemon thread; yield its port; stop and close it on exit."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve(directory: Path, tls: ssl.SSLContext | None = None, port: int = 0,
          handler: type[SimpleHTTPRequestHandler] = _QuietHandler, host: str = "127.0.0.1") -> Iterator[int]:
    """A threaded static file server for `directory` on a loopback address (port 0: chosen by the OS)."""
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    if tls is not None:
        # The handshake happens on the first read, in the handler's thread, so a silent client blocks nobody.
        server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    with serving(server) as port:
        yield port


# Content-Security-Policy violations seen by the current test, in every context the shared browser opened.
CSP_VIOLATIONS: list[dict[str, Any]] = []
_WATCHED_CONTEXTS: list[Any] = []
_CSP_SOURCES: list[Callable[[], list[dict[str, Any]]]] = []


def add_csp_source(source: Callable[[], list[dict[str, Any]]]) -> None:
    """Ask `source()` for violations when the current test's body ends, before the check.

    For browsers without Playwright's event bindings, e.g. a Selenium WebDriver session:
    `add_csp_source(lambda: csp_support.selenium_violations(driver))` when the page opens.
    """
    _CSP_SOURCES.append(source)


def watch_csp(browser: Any) -> Any:
    """Make every context and page this Playwright Browser opens record CSP violations into CSP_VIOLATIONS.

    Any engine's Browser will do: a harness that launches Firefox or WebKit through Playwright calls this on it.
    The hooks below fail each test that saw a violation, whether it used the `page` fixture or its own context.
    """
    new_context, new_page = browser.new_context, browser.new_page

    def watched_context(*args: Any, **kwargs: Any) -> Any:
        context = new_context(*args, **kwargs)
        csp_support.watch(context, CSP_VIOLATIONS)
        _WATCHED_CONTEXTS.append(context)
        return context

    def watched_page(*args: Any, **kwargs: Any) -> Any:
        page = new_page(*args, **kwargs)
        csp_support.watch(page.context, CSP_VIOLATIONS)
        _WATCHED_CONTEXTS.append(page.context)
        return page

    browser.new_context, browser.new_page = watched_context, watched_page
    return browser


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    CSP_VIOLATIONS.clear()
    _CSP_SOURCES.clear()
    _WATCHED_CONTEXTS[:] = [context for context in _WATCHED_CONTEXTS if context.pages]


def _flush_reports() -> None:
    """Let Playwright deliver reports still in flight: any call into a page processes pending events."""
    for context in _WATCHED_CONTEXTS:
        for page in context.pages:
            with contextlib.suppress(Exception):  # a closed or crashed page has nothing more to say
                page.evaluate("0")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A violation fails the test that caused it (after the test's own assertions)."""
    result = yield
    _flush_reports()
    for source in _CSP_SOURCES:
        CSP_VIOLATIONS.extend(source())
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    csp_support.assert_none(found)
    return result


@pytest.fixture
def csp_violations() -> list[dict[str, Any]]:
    """The current test's violations so far; a test that provokes one on purpose empties it when done."""
    return CSP_VIOLATIONS


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
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS + (extra_args or []))
    except Exception as exc:  # a broken or incompatible binary
        unavailable(f"Chromium at {path} does not start: {exc}")
    return watch_csp(chromium)


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    """One Chromium for the whole session; every page it opens fails its test on a CSP violation."""
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


def assert_checker_streams_a_reply(page: Any) -> None:
    """On the checker page: a run against a healthy emulator ends in ok, and "Test a reply" streams one."""
    from ollama_emulator import OllamaEmulator

    with OllamaEmulator(models=["llama3.2:latest"], chunk_delay=0.01) as ollama:
        page.fill("input[name=url]", ollama.url)
        page.fill("input[name=model]", "llama3.2")
        page.click("[data-ollama-checker] button[type=submit]")
        page.wait_for_selector("[data-ollama-checker][data-state=done]")
        assert page.get_attribute("[data-ollama-checker]", "data-verdict") == "ok"
        page.click("[data-checker-chat]")
        page.wait_for_selector("[data-check=chat]:is([data-status=pass], [data-status=fail])")
        assert page.get_attribute("[data-check=chat]", "data-status") == "pass"
