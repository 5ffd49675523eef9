"""The browser checker through real nginx and Caddy running the https page's files (Debian's Chromium, loopback).

The checker page is served over https as docs.test; the proxy answers as ollama.lan. Chromium maps both names to
127.0.0.1 and trusts the throwaway certificates (ignore_https_errors), so every byte stays on this machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ollama_emulator import OllamaEmulator
from proxy_support import NAME, proxy

if TYPE_CHECKING:
    from browser_support import Site

pytest_plugins = ("browser_support",)
pytestmark = pytest.mark.browser

ROOT = "[data-ollama-checker]"
# A reply of eight words written 0.2 s apart: Ollama's own timings say about 1.6 s of generation.
REPLY = "The sky looks blue because air scatters light."
CHUNK_DELAY = 0.2


@pytest.fixture(scope="module")
def lan_browser(playwright_driver: Any) -> Iterator[Any]:
    """A second Chromium that also resolves the proxy's LAN name to 127.0.0.1 (the last such switch counts)."""
    from browser_support import launch_chromium  # loaded as a plugin before this runs

    second = launch_chromium(playwright_driver, [f"--host-resolver-rules=MAP *.test 127.0.0.1, MAP {NAME} 127.0.0.1"])
    yield second
    second.close()


@pytest.fixture
def lan_page(lan_browser: Any) -> Iterator[Any]:
    context = lan_browser.new_context(ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def emulator(tls_site: Site) -> Iterator[OllamaEmulator]:
    """Ollama with the checker page's https origin in OLLAMA_ORIGINS, as the https page tells readers to set."""
    with OllamaEmulator(chunking="plain", chunk_delay=CHUNK_DELAY, reply=REPLY,
                        extra_origins=[tls_site.origin("docs.test")]) as emu:
        yield emu


def run_checker(page: Any, site: Site, url: str) -> str:
    page.goto(site.url(host="docs.test"))
    page.wait_for_function(f"document.querySelector('{ROOT} input[name=url]')?.value")
    page.fill("input[name=url]", url)
    page.fill("input[name=model]", "")
    page.click(f"{ROOT} button[type=submit]")
    page.wait_for_selector(f"{ROOT}[data-state=done]")
    return page.get_attribute(ROOT, "data-verdict")


def row(page: Any, check_id: str) -> tuple[str, str]:
    element = page.locator(f"li[data-check={check_id}]")
    return element.get_attribute("data-status"), element.text_content()


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_proxy_passing_the_host_on_gives_host_refused(kind: str, lan_page: Any, tls_site: Site,
                                                      emulator: OllamaEmulator, tmp_path: Path) -> None:
    with proxy(kind, tmp_path, "passes-host", emulator.port) as running:
        assert run_checker(lan_page, tls_site, running.url) == "host-refused"
    status, detail = row(lan_page, "identity")
    assert status == "fail"
    assert f'"{NAME}:{running.port}"' in detail  # the detail names the Host the browser sent
    assert {r.header("Host") for r in emulator.requests} <= {NAME, f"{NAME}:{running.port}"}


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_documented_config_gives_ok_and_a_streamed_reply_passes(kind: str, lan_page: Any, tls_site: Site,
                                                                 emulator: OllamaEmulator, tmp_path: Path) -> None:
    with proxy(kind, tmp_path, "documented", emulator.port) as running:
        assert run_checker(lan_page, tls_site, running.url) == "ok"
        lan_page.click("[data-checker-chat]")
        lan_page.wait_for_selector("li[data-check=chat]:is([data-status=pass], [data-status=warn], [data-status=fail])")
        status, text = row(lan_page, "chat")
    assert status == "pass", text
    assert "buffer" not in text.lower()


def test_nginx_with_buffering_on_warns_on_the_chat_row(lan_page: Any, tls_site: Site, emulator: OllamaEmulator,
                                                       tmp_path: Path) -> None:
    with proxy("nginx", tmp_path, "buffered", emulator.port) as running:
        assert run_checker(lan_page, tls_site, running.url) == "ok"
        lan_page.click("[data-checker-chat]")
        lan_page.wait_for_selector("li[data-check=chat]:is([data-status=pass], [data-status=warn], [data-status=fail])")
        status, text = row(lan_page, "chat")
    assert status == "warn", text
    assert "buffer" in text.lower()
