"""WebKit, the engine of Safari: Debian's WebKitWebDriver driving MiniBrowser under Xvfb, through Selenium."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import browser_support
import csp_support
from engines import binaries
from engines.name_proxy import name_proxy
from engines.page import async_function
from engines.timeouts import EngineStartError, within
from engines.xvfb import Display, start_xvfb

START_TIMEOUT = 60.0  # a start takes 1 to 3 s here, and several times that on a loaded 2-core machine
# WebDriver classic has no page-error events. A listener added once the page has loaded catches what the
# checker throws from then on (a run, a click), which is where its uncaught errors would come from.
_WATCH_ERRORS = """
if (!window.__uncaughtErrors) {
  window.__uncaughtErrors = [];
  window.addEventListener("error", (event) => window.__uncaughtErrors.push(String(event.error ?? event.message)));
  window.addEventListener("unhandledrejection", (event) => window.__uncaughtErrors.push(String(event.reason)));
}
"""
_TAKE_ERRORS = "const found = window.__uncaughtErrors ?? []; window.__uncaughtErrors = []; return found;"
# The script runs as an async function body; Selenium hands back what it resolves to, or the error's text.
_ASYNC_SCRIPT = """
const done = arguments[arguments.length - 1];
const args = Array.from(arguments).slice(0, -1);
(%s)(args).then((value) => done({ value }), (error) => done({ error: String(error) }));
"""


def _without_proxies(environment: Mapping[str, str]) -> dict[str, str]:
    """The environment less any proxy of the machine's own, so only the name proxy below is in the way."""
    return {name: value for name, value in environment.items() if not name.lower().endswith("_proxy")}


@dataclass
class WebKit:
    """One MiniBrowser with its driver and display for the whole test session."""

    display: Display
    driver_path: str
    browser_path: str
    proxy: ExitStack = field(default_factory=ExitStack)
    driver: Any = None
    version: str = ""

    def start(self) -> None:
        """The WebDriver session (MiniBrowser's profile is ephemeral under automation), guarded by a deadline."""
        from selenium import webdriver

        options = webdriver.WebKitGTKOptions()
        options.binary_location = self.browser_path
        options.add_argument("--automation")
        options.accept_insecure_certs = True  # the https test site's certificate comes from a throwaway CA
        # *.test names through a loopback proxy that answers for them from 127.0.0.1; every address goes direct.
        # Set for the browser's environment (GLib's libproxy resolver reads it), not as the WebDriver proxy
        # capability: WebKitGTK 2.50's MiniBrowser sometimes crashes at start (SIGSEGV in
        # webkit_network_proxy_settings_new) reading that capability's noProxy list, and the driver then waits for
        # it for ever. Measured here: 4 of 60 starts with the list crashed, none of 60 without.
        port = self.proxy.enter_context(name_proxy())
        browser_proxy = {
            "GIO_USE_PROXY_RESOLVER": "libproxy",
            "http_proxy": f"http://127.0.0.1:{port}",
            "no_proxy": "127.0.0.1,127.0.0.2,localhost,::1",
        }
        service = webdriver.WebKitGTKService(
            executable_path=self.driver_path,  # given, so Selenium Manager never looks for (or fetches) one
            env={**_without_proxies(os.environ), **browser_proxy, "DISPLAY": self.display.name},
            popen_kw={"start_new_session": True},  # its own process group: a hung start is killed whole
        )

        def kill() -> None:
            process = getattr(service, "process", None)
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)

        driver = within(START_TIMEOUT, "WebKitWebDriver with MiniBrowser",
                        lambda: webdriver.WebKitGTK(options=options, service=service), kill)
        driver.set_window_size(1280, 900)  # wide enough for Material's sidebar navigation, as in the others
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        self.driver, self.version = driver, driver.capabilities.get("browserVersion", "")
        self.first_window = driver.current_window_handle

    def close(self) -> None:
        try:
            if self.driver is not None:
                self.driver.quit()
        finally:
            self.display.stop()
            self.proxy.close()


def launch() -> WebKit:
    """Xvfb, then MiniBrowser; fails naming the missing package, and leaves no display behind on failure."""
    driver_path, browser_path = binaries.webkit_driver(), binaries.minibrowser()
    if driver_path is None:
        raise EngineStartError("no WebKitWebDriver: install Debian's webkit2gtk-driver")
    if browser_path is None:
        raise EngineStartError("no MiniBrowser: install Debian's libwebkit2gtk-4.1-0 (webkit2gtk-driver brings it)")
    webkit = WebKit(start_xvfb(), driver_path, browser_path)
    try:
        webkit.start()
    except BaseException:
        webkit.close()
        raise
    return webkit


class SeleniumPage:
    """EnginePage over a fresh tab of the session's MiniBrowser; closing it clears what the page stored."""

    engine = "webkit"

    def __init__(self, webkit: WebKit) -> None:
        self.driver, self.home = webkit.driver, webkit.first_window
        self.driver.switch_to.new_window("tab")
        self._errors: list[str] = []  # from documents already left
        # WebDriver cannot run a script before the page's own, so violations are read from each document
        # before it is left, and from the last one when the test's body ends (browser_support's check).
        self.csp_violations: list[dict[str, Any]] = []
        self.loaded = False
        browser_support.add_csp_source(self._violations_so_far)

    def _violations_so_far(self) -> list[dict[str, Any]]:
        if self.loaded:
            self.csp_violations.extend(csp_support.selenium_violations(self.driver))
        found, self.csp_violations = self.csp_violations, []
        return found

    @property
    def errors(self) -> list[str]:
        """Uncaught errors and rejections seen since each document loaded, this one's included."""
        self._take_errors()
        return self._errors

    def _take_errors(self) -> None:
        if self.loaded:
            self._errors.extend(self.driver.execute_script(_TAKE_ERRORS) or [])

    def _element(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def open(self, url: str) -> None:
        if self.loaded:
            self.csp_violations.extend(csp_support.selenium_violations(self.driver))
        self._take_errors()
        self.driver.get(url)
        self.driver.execute_script(_WATCH_ERRORS)
        self.loaded = True

    def fill(self, selector: str, text: str) -> None:
        element = self._element(selector)
        element.clear()
        if text:
            element.send_keys(text)

    def click(self, selector: str) -> None:
        self._element(selector).click()

    def paste(self, selector: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        self._element(selector).click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("v").key_up(Keys.CONTROL).perform()

    def wait_for(self, selector: str, timeout: float = 10.0) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.wait import WebDriverWait

        located = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector))
        WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(located, f"nothing matched {selector}")

    def attribute(self, selector: str, name: str) -> str | None:
        return self.run("return document.querySelector(args[0])?.getAttribute(args[1]) ?? null;", selector, name)

    def text(self, selector: str) -> str:
        return self.run("return document.querySelector(args[0])?.textContent ?? '';", selector)

    def run(self, body: str, *args: Any) -> Any:
        result = self.driver.execute_async_script(_ASYNC_SCRIPT % async_function(body), *args)
        if "error" in result:
            raise RuntimeError(f"script failed in WebKit: {result['error']}")
        return result.get("value")

    def close(self) -> None:
        """Tabs share one profile, so the next case must not find this one's localStorage."""
        if self.driver.current_url.startswith(("http:", "https:")):
            self.driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        self.driver.close()
        self.driver.switch_to.window(self.home)
