"""The Content-Security-Policy: on every built page, covering every inline script, and enforced in Chromium.

Every browser test in the suite fails on a violation (browser_support.watch_csp); the tests here check the
policy itself, that the watcher is not blind, and the features the policy could break, end to end.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from browser_support import assert_checker_streams_a_reply
from conftest import Build

pytest_plugins = ("browser_support",)

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


class _Head(HTMLParser):
    """The page's <meta> tags in order, and every inline script the browser would run, as the browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.order: list[str] = []  # "csp", "referrer", "script" in document order
        self.inline: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.order.append("csp")
        elif tag == "meta" and found.get("name") == "referrer":
            self.order.append(f"referrer={found.get('content')}")
        elif tag == "script":
            self.order.append("script")
            runs = (found.get("type") or "") in ("", "module", "text/javascript")
            self._script = [] if "src" not in found and runs else None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline.append("".join(self._script))
            self._script = None


def read(page: Path) -> tuple[str, _Head]:
    text = page.read_text(encoding="utf-8")
    parser = _Head()
    parser.feed(text)
    return text, parser


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# -- the built pages ---------------------------------------------------------------------------------------


def test_every_page_carries_one_site_wide_policy_before_any_script(built_site: Build) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) >= 11  # every nav page and 404.html
    policies = set()
    for page in pages:
        text, head = read(page)
        found = META.findall(text)
        assert len(found) == 1, f"{page}: {len(found)} policies"
        policies.add(found[0])
        # The policy only governs what comes after it, and the referrer policy is there too.
        assert head.order[:2] == ["csp", "referrer=no-referrer"], f"{page}: {head.order[:4]}"
    # Instant navigation keeps the first page's <meta> and adds any that differs: one policy site-wide.
    assert len(policies) == 1


def test_policy_allows_only_what_the_site_needs(built_site: Build) -> None:
    policy = directives(META.findall((built_site.site / "index.html").read_text(encoding="utf-8"))[0])
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
    everywhere = [source for sources in policy.values() for source in sources]
    assert not {"'unsafe-eval'", "'unsafe-inline'", "'unsafe-hashes'", "blob:", "*"} & set(everywhere)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]  # Material's icons are data: SVGs in its stylesheet
    assert policy["connect-src"] == ["'self'", "http:", "https:"]  # the checker reaches any address typed
    assert "frame-ancestors" not in policy  # ignored in a <meta>; browsers warn about it


def test_hashes_cover_every_inline_script_of_every_page_and_nothing_else(built_site: Build) -> None:
    """Independent of the hook: hash each inline script of every page as the browser reads it."""
    policy = directives(META.findall((built_site.site / "index.html").read_text(encoding="utf-8"))[0])
    allowed = set(policy["script-src"][1:])
    needed: set[str] = set()
    for page in built_site.site.rglob("*.html"):
        _, head = read(page)
        assert head.inline, page  # Material's inline scripts are on every page
        needed |= {sha256(script) for script in head.inline}
    assert allowed == needed
    # Material's first script embeds each page's base URL, so pages at different depths need different hashes.
    assert len(needed) > 4


def test_rebuilding_over_a_built_page_does_not_add_a_second_policy() -> None:
    from hooks.content_security_policy import executed_inline_scripts, policy, with_policy

    page = ('<html><head><meta charset="utf-8"><script>a()</script>'
            '<script id="__config" type="application/json">{"b": 1}</script><script src="c.js"></script>'
            '<script type="module">d()</script></head><body></body></html>')
    assert executed_inline_scripts(page) == ["a()", "d()"]
    once = with_policy(page, policy(["'sha256-x'"]))
    assert with_policy(once, policy(["'sha256-x'"])) == once
    assert once.count("Content-Security-Policy") == 1 and once.count('name="referrer"') == 1
    served = with_policy(once, policy(["'sha256-x'"], serving=True), serving=True)
    assert served.count("Content-Security-Policy") == 1 and "'unsafe-inline'" in served and "sha256" not in served


# -- in Chromium ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_watcher_sees_a_violation(page: Any, csp_violations: list) -> None:
    """Not blind: a page whose policy refuses its inline script is reported, with the directive."""
    html = ("<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">"
            "<p>x</p><script>document.title = 'ran'</script>")
    page.route("http://blocked.test/", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://blocked.test/")
    page.wait_for_function("window.__cspViolations.length > 0")
    page.evaluate("0")  # let the report reach Python
    assert page.title() != "ran"
    assert [v["directive"] for v in csp_violations] == ["script-src-elem"]
    csp_violations.clear()  # provoked on purpose


@pytest.mark.browser
def test_theme_features_work_under_the_policy(page: Any, site: Any, csp_violations: list) -> None:
    """Start deep, then instant-navigate across depths (each runs that page's inline scripts), toggle the
    palette, search, copy code; the fixture fails the test on any violation."""
    page.goto(site.url("changelogs/ollama/OLLAMA_TROUBLESHOOTING/"))
    assert "Content-Security-Policy" in page.content()
    page.evaluate("window.__sameDocument = true")
    for path in ("", "reference/api/", "checker/", "changelogs/ollama/FIX_OLLAMA_CLIENT_SIDE/"):
        links = f"a[href$='{path}']:visible, a[href*='{path}#']:visible" if path else "a.md-logo"
        page.locator(links).first.click()
        page.wait_for_url(lambda url, path=path: urlsplit(url).path == f"/{path}")
        page.wait_for_function("document.querySelector('[data-md-component=container]') !== null")
    assert page.evaluate("window.__sameDocument") is True  # no full reload happened
    # Palette toggle: system preference -> light -> dark; the palette's inline script re-applies the choice
    # on the next page.
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.locator("a[href$='hosting/']:visible").first.click()
    page.wait_for_url("**/hosting/")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # Search, through Material's Web Worker and the site's own index.
    page.click("input.md-search__input")
    page.keyboard.type("OLLAMA_ORIGINS")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    page.keyboard.press("Escape")
    # Copy buttons put the code on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin())
    button = page.locator(".md-code__button[data-clipboard-target]:visible").first
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() and copied.strip() in page.text_content(button.get_attribute("data-clipboard-target"))
    assert csp_violations == []


@pytest.mark.browser
def test_checker_streams_a_reply_under_the_policy_after_instant_navigation(page: Any, site: Any) -> None:
    page.goto(site.url(""))
    page.locator("a[href$='checker/']:visible").first.click()
    page.wait_for_function("document.querySelector('[data-ollama-checker] input[name=url]')?.value")
    assert_checker_streams_a_reply(page)


@pytest.mark.browser
def test_webdriver_collector_finds_violations_from_before_it_ran(browser: Any) -> None:
    """csp_support.selenium_violations, for WebDriver sessions that cannot run a script before the page's own:
    here run as execute_async_script would run it, in a context without the watcher, after the page loaded."""
    from csp_support import SELENIUM_COLLECT

    context = type(browser).new_context(browser)  # the unwatched method: this page has no listener at load
    try:
        page = context.new_page()
        html = ("<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">"
                "<p>x</p><script>document.title = 'ran'</script>")
        page.route("http://blocked.test/", lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto("http://blocked.test/")
        assert page.evaluate("window.__cspViolations") is None
        as_webdriver_runs_it = "script => new Promise(done => new Function(script)(done))"
        found = page.evaluate(as_webdriver_runs_it, SELENIUM_COLLECT)
        assert [v["directive"] for v in found] == ["script-src-elem"]
        assert found[0]["page"] == "http://blocked.test/"
    finally:
        context.close()
