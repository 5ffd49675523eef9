"""Chromium and Firefox through Playwright: Debian's chromium, and Debian's firefox-esr over WebDriver BiDi."""

from __future__ import annotations

from typing import Any

import browser_support
from engines import binaries
from engines.page import async_function
from engines.timeouts import EngineStartError

START_TIMEOUT_MS = 60_000
# Firefox: the same *.test names answered from loopback (network.dns.localDomains), no background traffic.
FIREFOX_PREFS = {
    "network.dns.localDomains": "docs.test,ollama.test",
    "app.update.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
}

FIREFOX_NETWORK_NOTES = (
    "The Same Origin Policy disallows reading the remote resource",
    "Cross-Origin Request Blocked",
    "Blocked loading mixed active content",
)


def launch(playwright: Any, engine: str) -> Any:
    """A Playwright Browser for `engine` ("chromium" or "firefox"), started from Debian's binary."""
    if engine == "chromium":
        path = binaries.chromium()
        start = playwright.chromium.launch
        options: dict[str, Any] = {"args": browser_support.CHROMIUM_ARGS}
    else:
        path = binaries.firefox()
        start = playwright.firefox.launch
        # moz-firefox: drive a stock Firefox over WebDriver BiDi instead of Playwright's patched build.
        options = {"channel": "moz-firefox", "firefox_user_prefs": FIREFOX_PREFS}
    if path is None:
        raise EngineStartError(f"no {engine}: install Debian's {binaries.PACKAGES[engine]}")
    try:
        browser = start(executable_path=path, timeout=START_TIMEOUT_MS, **options)
    except Exception as exc:  # a broken binary, or a protocol the browser lacks
        raise EngineStartError(f"{engine} at {path} did not start: {exc}") from exc
    # Every page of every engine fails its test on a Content-Security-Policy violation.
    return browser_support.watch_csp(browser)


class PlaywrightPage:
    """EnginePage over a Playwright page in its own browser context."""

    def __init__(self, browser: Any, engine: str, clipboard_origin: str | None = None) -> None:
        self.engine = engine
        self.context = browser.new_context(ignore_https_errors=True)
        if clipboard_origin and engine == "chromium":  # Chromium asks; the others allow a clicked copy
            self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=clipboard_origin)
        self.context.set_default_timeout(30_000)  # a loaded 2-core machine is slow to load pages
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", self._on_error)

    def _on_error(self, error: Any) -> None:
        # Over BiDi, Firefox also reports its own console notes on blocked CORS reads as page errors: they are
        # the network's doing (the checker provokes them on purpose), not a script's.
        if not str(error).startswith(FIREFOX_NETWORK_NOTES):
            self.errors.append(str(error))

    def open(self, url: str) -> None:
        self.page.goto(url)

    def fill(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def paste(self, selector: str) -> None:
        self.page.focus(selector)
        self.page.keyboard.press("Control+V")

    def wait_for(self, selector: str, timeout: float = 10.0) -> None:
        self.page.wait_for_selector(selector, state="attached", timeout=timeout * 1000)

    def attribute(self, selector: str, name: str) -> str | None:
        return self.page.get_attribute(selector, name)

    def text(self, selector: str) -> str:
        return self.page.text_content(selector) or ""

    def run(self, body: str, *args: Any) -> Any:
        return self.page.evaluate(async_function(body), list(args))

    def close(self) -> None:
        self.context.close()
