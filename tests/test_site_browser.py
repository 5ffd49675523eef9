"""Every built page in a real Chromium: accessibility (axe), no third-party requests, offline use."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import Build

pytest_plugins = ("browser_support",)
pytestmark = pytest.mark.browser


def page_paths(build: Build) -> list[str]:
    return sorted(
        "" if p.parent == build.site else p.parent.relative_to(build.site).as_posix() + "/"
        for p in build.site.rglob("index.html")
        if p.parent.name != "404"
    )


def search(page: Any, query: str) -> None:
    """Open Material's search, type, and wait for results from the site's own index."""
    page.click("input.md-search__input")
    page.keyboard.type(query)  # Material reacts to key events, not to a value set by script
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=10_000)
    assert "No matching documents" not in page.inner_text(".md-search-result__meta")


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(results: Any) -> list[str]:
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations_on_any_page(browser: Any, site: Any, built_site: Build, axe: Any,
                                                scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        problems = {}
        paths = page_paths(built_site)
        assert len(paths) >= 10
        for path in paths:
            page.goto(site.url(path))
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            found = serious(axe.run(page))
            if found:
                problems[path or "/"] = found
        assert not problems, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)
    finally:
        context.close()


def test_no_page_requests_another_host(browser: Any, site: Any, built_site: Build) -> None:
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        for path in page_paths(built_site):
            page.goto(site.url(path), wait_until="networkidle")
        # Using search loads the index and the worker: it must come from the site too.
        search(page, "OLLAMA_ORIGINS")
    finally:
        context.close()
    own = urlsplit(site.origin()).netloc
    foreign = sorted({u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own})
    assert len(requests) > 50
    assert not foreign, f"requests to other hosts: {foreign}"


def test_site_works_with_no_network_but_its_own(browser: Any, site: Any, tmp_path: Path) -> None:
    """Offline LAN: only the site's own origin answers; everything else is refused."""
    context = browser.new_context(accept_downloads=True)
    own = urlsplit(site.origin()).netloc
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == own
                  else route.abort("internetdisconnected"))
    try:
        page = context.new_page()
        page.goto(site.url(""))
        # Instant navigation: a nav link swaps the page without a full load.
        page.evaluate("window.__still_here = true")
        page.click("article a.md-button[href$='changelogs/ollama/OLLAMA_TROUBLESHOOTING/']")
        page.wait_for_url("**/OLLAMA_TROUBLESHOOTING/")
        assert page.evaluate("window.__still_here") is True
        # Search.
        search(page, "Local Network")
        page.keyboard.press("Escape")
        # Code copy buttons are there.
        assert page.locator(".md-code__button[data-clipboard-target]").count() > 0
        # The checker page loads its script and mounts.
        page.goto(site.url("checker/"))
        # Mounted means the URL field is prefilled with the default from the config.
        page.wait_for_function("document.querySelector('[data-ollama-checker] input[name=url]').value !== ''")
        # The terminal checker downloads.
        with page.expect_download() as info:
            page.click("a[href$='downloads/ollama_check.py'][download]")
        saved = tmp_path / "ollama_check.py"
        info.value.save_as(saved)
        assert saved.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3")
    finally:
        context.close()
