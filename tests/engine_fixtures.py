"""Fixtures for the three-engine tests: one browser per engine per session, a fresh page per test.

Load with `pytest_plugins = ("browser_support", "engine_fixtures")`. The site is served on 127.0.0.2, a LAN-like
origin in every engine without any name mapping: loopback on Linux, yet not among Ollama's default origins.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import Site, serve_site, unavailable
from conftest import Build
from engines import ENGINES
from engines.page import EnginePage
from engines.timeouts import EngineStartError

LAN_HOST = "127.0.0.2"


class _Borrowed:
    """A browser owned by another fixture: used here, closed there."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def close(self) -> None:
        pass


class Engine:
    """A started engine: its name, version, and a way to open fresh pages."""

    def __init__(self, name: str, handle: Any, version: str) -> None:
        self.name, self.handle, self.version = name, handle, version

    def new_page(self, clipboard_origin: str | None = None) -> EnginePage:
        if self.name == "webkit":
            from engines.webkit_engine import SeleniumPage

            return SeleniumPage(self.handle)
        from engines.playwright_engine import PlaywrightPage

        browser = self.handle.browser if isinstance(self.handle, _Borrowed) else self.handle
        return PlaywrightPage(browser, self.name, clipboard_origin)


def _start(name: str, request: pytest.FixtureRequest) -> tuple[Any, str]:
    if name == "webkit":
        from engines import webkit_engine

        webkit = webkit_engine.launch()
        return webkit, webkit.version
    if name == "chromium":  # the Chromium of browser_support, already running for the Chromium-only tests
        browser = request.getfixturevalue("browser")
        return _Borrowed(browser), browser.version
    from engines import playwright_engine

    browser = playwright_engine.launch(request.getfixturevalue("playwright_driver"), name)
    return browser, browser.version


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Each engine once per session: pytest groups the tests by this parameter, so one runs at a time."""
    try:
        handle, version = _start(request.param, request)
    except (EngineStartError, ImportError) as exc:
        unavailable(str(exc))
    yield Engine(request.param, handle, version)
    handle.close()


@pytest.fixture
def engine_page(engine: Engine) -> Iterator[EnginePage]:
    """A fresh page; the test fails on any uncaught script error the engine reports."""
    page = engine.new_page()
    yield page
    errors = list(page.errors)  # type: ignore[attr-defined]
    page.close()
    assert not errors, f"uncaught errors in the page ({engine.name}): {errors}"


@pytest.fixture(scope="session")
def lan_site(built_site: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The built site at http://127.0.0.2:P."""
    with serve_site(built_site.site, tmp_path_factory.mktemp("lan") / "http", "http", host=LAN_HOST) as served:
        yield served


@pytest.fixture(scope="session")
def lan_tls_site(built_site: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same site at https://127.0.0.2:P, certificate from a throwaway CA (each engine is told to accept it)."""
    trustme = pytest.importorskip("trustme")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert(LAN_HOST, "docs.test").configure_cert(context)
    copy = tmp_path_factory.mktemp("lan") / "https"
    with serve_site(built_site.site, copy, "https", context, host=LAN_HOST) as served:
        yield served
