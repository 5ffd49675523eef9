"""The in-browser checker, driven in Debian's Chromium against the Ollama emulator, loopback only.

Every verdict is provoked for real: a healthy emulator, a refused port, a server that never answers, a plain
web server, an origin Ollama refuses, an https page calling plain http, hostile model names, a huge model list.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from browser_support import Site, free_port, launch_chromium, serve_site, tls_context
from ollama_emulator import DEFAULT_REPLY, OllamaEmulator

pytest_plugins = ("browser_support",)
pytestmark = pytest.mark.browser

ROOT = "[data-ollama-checker]"
CHECKS = ("url", "context", "reach", "identity", "models", "model", "chat")


# -- helpers ---------------------------------------------------------------------------------------------


def open_checker(page: Any, url: str) -> None:
    """Load the checker page and wait until the script has mounted (data-state="ready")."""
    page.goto(url)
    page.wait_for_selector(f"{ROOT}[data-state=ready]")


def check(page: Any, url: str, model: str = "", timeout: str = "", app: str = "") -> str:
    """Fill the form, press the button, wait for the verdict and return it."""
    page.fill("input[name=url]", url)
    page.fill("input[name=model]", model)
    page.fill("input[name=timeout]", timeout)
    page.fill("input[name=app]", app)
    page.click(f"{ROOT} button[type=submit]")
    return verdict(page)


def verdict(page: Any) -> str:
    page.wait_for_selector(f"{ROOT}[data-state=done]")
    return page.get_attribute(ROOT, "data-verdict")


def rows(page: Any) -> dict[str, tuple[str, str]]:
    """check id -> (data-status, detail text)."""
    return page.eval_on_selector_all(
        "[data-check]",
        "els => Object.fromEntries(els.map(e => [e.dataset.check,"
        " [e.dataset.status, e.querySelector('.checker-detail').textContent]]))",
    )


def config(page: Any) -> dict[str, Any]:
    return json.loads(page.get_attribute(ROOT, "data-checker-config"))


def refused_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_calls(emulator: OllamaEmulator, path: str) -> int:
    return sum(1 for r in emulator.requests if r.path == path and r.method == "GET")


# -- verdicts from a real server -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "model", "expected", "failing"),
    [
        ({"models": ["llama3.2:latest", "qwen2.5:7b"]}, "llama3.2", "ok", None),
        ({"models": ["llama3.2:latest"]}, "llama3.2:latest", "ok", None),
        ({"models": ["llama3.2:latest"]}, "", "ok", None),
        ({"models": ["llama3.2:latest"]}, "llama3.2:1b", "model-missing", "model"),
        ({"models": ["qwen2.5:7b"]}, "mistral", "model-missing", "model"),
        ({"models": []}, "", "no-models", "models"),
        ({"version": "0.1.30"}, "", "version-too-old", "identity"),
    ],
)
def test_verdicts_from_the_emulator(page: Any, site: Site, options: dict, model: str, expected: str,
                                    failing: str | None) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(**options) as ollama:
        assert check(page, ollama.url, model) == expected
        result = rows(page)
    statuses = [result[c][0] for c in CHECKS]
    if failing:  # every check before the failing one passed; none after it ran
        i = CHECKS.index(failing)
        assert statuses == ["pass"] * i + ["fail"] + ["skip"] * (len(CHECKS) - i - 1), result
    else:
        assert statuses == ["pass"] * 5 + ["pass" if model else "skip", "skip"], result
    if expected == "ok":
        assert "llama3.2:latest" in result["models"][1]
        assert result["url"][1].startswith(ollama.url)
    if expected == "version-too-old":
        assert "0.1.30" in result["identity"][1] and config(page)["minVersion"] in result["identity"][1]
    # The verdict box shows the configured text and links to the troubleshooting section.
    text = config(page)["verdicts"][expected]
    assert page.text_content("[data-checker-verdict] h3").strip().endswith(text["title"])
    assert text["fix"] in page.text_content("[data-checker-verdict]")
    href = page.get_attribute("[data-checker-verdict] [data-href=href]", "href")
    assert href == text["href"] and href.endswith(f"#{expected}")
    assert page.get_attribute("[data-checker-verdict] [data-href=diagnosis]", "href") == config(page)["diagnosisHref"]


def test_model_list_is_capped_with_a_count_of_the_rest(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    names = [f"model{i:02d}:latest" for i in range(30)]
    with OllamaEmulator(models=names) as ollama:
        assert check(page, ollama.url) == "ok"
    shown = config(page)["maxModelsShown"]
    detail = rows(page)["models"][1]
    assert detail.startswith("30 model")
    assert names[shown - 1] in detail and names[shown] not in detail
    assert detail.endswith(f"and {30 - shown} more")


def test_refused_port_on_loopback_is_unreachable_at_once_with_the_loopback_fix(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    assert check(page, f"http://127.0.0.1:{refused_port()}") == "unreachable"
    took_ms = int(page.text_content("[data-check=reach] .checker-ms").removesuffix(" ms"))  # the page's own clock
    assert took_ms < 2500, took_ms  # at once, not after the 5 s timeout
    result = rows(page)
    assert result["reach"][0] == "fail" and "on this computer" in result["reach"][1]
    box = page.text_content("[data-checker-verdict]")
    assert config(page)["verdicts"]["unreachable"]["fixes"]["loopback"] in box
    assert "OLLAMA_HOST" not in box  # a loopback page calling loopback: start Ollama, not listen on the network
    assert not any("Local Network Access" in detail for _, detail in result.values())  # same address space


def test_server_that_never_answers_times_out(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(mode="hang") as ollama:
        assert check(page, ollama.url, timeout="1") == "timeout"
        assert ollama.connections >= 1  # the request really went out and was held
    # The page's own clock for the request (filling the form on a busy machine is not part of it).
    took_ms = int(page.text_content("[data-check=reach] .checker-ms").removesuffix(" ms"))
    assert 900 <= took_ms < 2500, took_ms
    assert "1 s" in rows(page)["reach"][1]


def test_other_web_server_is_not_ollama(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(mode="not-ollama", not_ollama_cors=True) as ollama:
        assert check(page, ollama.url) == "not-ollama"
    status, detail = rows(page)["identity"]
    assert status == "fail" and "<!doctype html>" in detail  # the start of the HTML, shown as text


# -- origins and page context ----------------------------------------------------------------------------


def platform_steps(page: Any) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "[data-checker-verdict] [data-platforms] details",
        "els => els.map(d => [d.querySelector('summary').textContent, d.querySelector('code').textContent])",
    )


def origins_line(page: Any, which: str = "line") -> tuple[str, str | None]:
    """(sentence, the copyable value or None) of [data-origins-line] or [data-origins-page]."""
    part = f"[data-checker-verdict] [data-origins-{which}]"
    sentence = page.text_content(f"{part} p")
    line = page.locator(f"{part} .checker-line")
    return sentence, (line.locator("code").text_content() if line.is_visible() else None)


def test_refused_origin_is_cors_blocked_with_the_exact_fix(page: Any, site: Site) -> None:
    origin = site.origin("docs.test")
    open_checker(page, site.url(host="docs.test"))
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url) == "cors-blocked"
        refused = [r for r in ollama.requests if r.path == "/api/version"]
        assert refused and refused[0].header("Origin") == origin  # it did reach Ollama, which said 403
    result = rows(page)
    assert result["context"][0] == "warn"  # docs.test is not among Ollama's default origins
    assert "--origin" in result["reach"][1] and "403" not in result["reach"][1]  # the browser never saw it
    # MarkItUp (empty field: its default, http://localhost:3000) needs nothing; this page needs its origin.
    sentence, value = origins_line(page)
    assert "http://localhost:3000" in sentence and "needs no OLLAMA_ORIGINS" in sentence and value is None
    sentence, value = origins_line(page, "page")
    assert "Only to let this page check" in sentence and value == f"OLLAMA_ORIGINS={origin}"
    platforms = config(page)["platforms"]
    steps = platform_steps(page)
    assert [name for name, _ in steps] == [p["name"] for p in platforms]
    for (_, code), platform in zip(steps, platforms, strict=True):
        assert code == platform["setEnv"].replace("{name}", "OLLAMA_ORIGINS").replace("{value}", origin)


def test_web_server_without_cors_headers_is_cors_blocked_without_blaming_ollama(page: Any, site: Site) -> None:
    open_checker(page, site.url())  # 127.0.0.1: an origin Ollama always admits
    with OllamaEmulator(mode="not-ollama") as server:
        assert check(page, server.url) == "cors-blocked"
    result = rows(page)
    assert result["context"][0] == "pass" and "among the origins Ollama admits by default" in result["context"][1]
    assert "probably not Ollama" in result["reach"][1]
    shown = page.text_content("[data-checker-verdict]") + " ".join(detail for _, detail in result.values())
    assert "403" not in shown and "answers 403" not in shown  # no status code it could not see
    assert "Ollama refuses this page's origin" not in shown


def test_host_header_refused_by_ollama_is_host_refused(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:  # listening on loopback: Ollama's Host guard is on
        address = f"http://ollama.test:{ollama.port}"
        assert check(page, address) == "host-refused"
        refused = [r for r in ollama.requests if r.path == "/api/version"]
        assert refused and refused[0].header("Host") == f"ollama.test:{ollama.port}"
    status, detail = rows(page)["identity"]
    assert status == "fail" and f'"ollama.test:{ollama.port}"' in detail and "proxy" in detail
    assert rows(page)["reach"][1].startswith("HTTP 403, readable")


def test_admitted_origin_is_ok(page: Any, site: Site) -> None:
    open_checker(page, site.url(host="docs.test"))
    with OllamaEmulator(extra_origins=[site.origin("docs.test")]) as ollama:
        assert check(page, ollama.url, "llama3.2") == "ok"
    sentence, value = origins_line(page)
    assert "needs no OLLAMA_ORIGINS" in sentence and value is None


def test_markitup_on_a_lan_origin_gets_its_own_origins_line(context: Any, site: Site) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin())
    page = context.new_page()
    app = "http://192.168.50.10:3000"  # only typed: nothing is sent there
    open_checker(page, site.url() + "?app=192.168.50.10:3000")
    assert page.input_value("input[name=app]") == "192.168.50.10:3000"
    with OllamaEmulator(extra_origins=[app]) as ollama:
        page.fill("input[name=url]", ollama.url)
        page.click(f"{ROOT} button[type=submit]")
        assert verdict(page) == "ok"
        assert all(r.header("Origin") in (None, site.origin()) for r in ollama.requests)
    sentence, value = origins_line(page)
    assert app in sentence and "makes MarkItUp work" in sentence
    assert value == f"OLLAMA_ORIGINS={app}"
    assert "comma-separated, no spaces" in page.text_content("[data-checker-verdict] [data-origins-how]")
    assert page.is_hidden("[data-checker-verdict] [data-origins-page]")  # 127.0.0.1 is admitted by default
    assert all(app in code for _, code in platform_steps(page))
    copy_button = "[data-checker-verdict] [data-origins-line] button.checker-copy"
    assert page.get_attribute(copy_button, "aria-label") == f"Copy: OLLAMA_ORIGINS={app}"
    page.click(copy_button)
    page.wait_for_function(f"document.querySelector('{copy_button}').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == f"OLLAMA_ORIGINS={app}"
    lines = page.locator("[data-checker-terminal] .checker-line code").all_text_contents()
    assert lines[0] == f"python3 ollama_check.py {ollama.url} --origin {app}"
    assert f"- MarkItUp: {app}, needs OLLAMA_ORIGINS={app}" in page.text_content("[data-checker-md]")


def test_markitup_and_this_page_on_other_origins_get_a_line_each(page: Any, site: Site) -> None:
    app = "http://192.168.50.10:3000"
    open_checker(page, site.url(host="docs.test"))
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url, app=app + "/notes/today") == "cors-blocked"
    assert origins_line(page)[1] == f"OLLAMA_ORIGINS={app}"
    sentence, value = origins_line(page, "page")
    assert "To make MarkItUp work and let this page check" in sentence
    assert value == f"OLLAMA_ORIGINS={app},{site.origin('docs.test')}"


def test_markitup_at_its_default_address_needs_no_origins(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url, app="localhost:3000") == "ok"
    sentence, value = origins_line(page)
    assert sentence.startswith("MarkItUp at http://localhost:3000 is among the origins Ollama admits")
    assert value is None and page.is_hidden("[data-checker-verdict] [data-origins-how]")
    assert "- MarkItUp: http://localhost:3000, admitted by default" in page.text_content("[data-checker-md]")


def test_unreadable_markitup_address_is_named(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url, app="ftp://markitup") == "ok"  # Ollama's check still runs
    sentence, value = origins_line(page)
    assert sentence.startswith("Where you open MarkItUp:") and '"ftp:"' in sentence and value is None
    assert page.get_attribute("input[name=app]", "aria-invalid") == "true"


def hide_target_address_space(context: Any) -> None:
    """Make Chromium look like a browser without Local Network Access (Firefox, Safari) to the checker."""
    context.add_init_script("delete Request.prototype.targetAddressSpace")


def test_https_page_and_http_lan_host_without_target_address_space_is_mixed_content(
        browser: Any, tls_site: Site) -> None:
    context = browser.new_context(ignore_https_errors=True)
    hide_target_address_space(context)
    try:
        page = context.new_page()
        open_checker(page, tls_site.url(host="docs.test"))
        with OllamaEmulator() as ollama:
            assert check(page, f"http://ollama.test:{ollama.port}") == "mixed-content"
            time.sleep(0.3)
            assert ollama.requests == []
        status, detail = rows(page)["context"]
        assert status == "fail" and "nothing was sent" in detail
        assert rows(page)["reach"][0] == "skip"
        fix = config(page)["verdicts"]["mixed-content"]["fixes"]["no-exemption"]
        assert fix in page.text_content("[data-checker-verdict]")
    finally:
        context.close()


def test_https_page_and_public_http_address_is_mixed_content(page: Any, tls_site: Site) -> None:
    open_checker(page, tls_site.url(host="docs.test"))
    sent: list[str] = []
    page.route(lambda url: not url.startswith(tls_site.origin("docs.test")),  # a safety net: nothing leaves
               lambda route: (sent.append(route.request.url), route.abort()))
    assert check(page, "http://203.0.113.7:11434") == "mixed-content"  # TEST-NET-3, a public address
    assert sent == []
    assert config(page)["verdicts"]["mixed-content"]["fixes"]["public-address"] in page.text_content(
        "[data-checker-verdict]")


def test_safari_blocks_even_loopback_from_an_https_page(browser: Any, tls_site: Site) -> None:
    safari = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/17.5 Safari/605.1.15")
    context = browser.new_context(ignore_https_errors=True, user_agent=safari)
    hide_target_address_space(context)  # Safari has no targetAddressSpace either
    try:
        page = context.new_page()
        open_checker(page, tls_site.url(host="docs.test"))
        with OllamaEmulator() as ollama:
            assert check(page, ollama.url) == "mixed-content"
            assert ollama.requests == []
        fix = config(page)["verdicts"]["mixed-content"]["fixes"]["loopback"]
        assert "Safari" in fix and fix in page.text_content("[data-checker-verdict]")
    finally:
        context.close()


def test_https_page_may_call_loopback(page: Any, tls_site: Site) -> None:
    open_checker(page, tls_site.url(host="docs.test"))
    with OllamaEmulator(extra_origins=[tls_site.origin("docs.test")]) as ollama:
        assert check(page, ollama.url) == "ok"


# -- hostile input ---------------------------------------------------------------------------------------


def test_hostile_model_names_are_shown_as_text(page: Any, site: Site) -> None:
    hostile = ['<img src=x onerror="window.__pwned=1">', "<script>window.__pwned=2</script>"]
    open_checker(page, site.url())
    with OllamaEmulator(models=hostile) as ollama:
        assert check(page, ollama.url, '<img src=y onerror="window.__pwned=3">') == "model-missing"
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.eval_on_selector(ROOT, "r => r.querySelectorAll('img, script:not([type])').length") == 0
    models = rows(page)["models"][1]
    assert hostile[0] + ":latest" in models and hostile[1] + ":latest" in models
    assert '<img src=y onerror="window.__pwned=3">' in rows(page)["model"][1]


def test_huge_model_list_does_not_freeze_the_page(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(huge_tags_bytes=30_000_000) as ollama:
        with urllib.request.urlopen(ollama.url + "/api/tags", timeout=30) as warm:  # build the body beforehand
            assert len(warm.read()) > 29_000_000
        page.evaluate("""() => {
            window.__gap = 0;
            let last = performance.now();
            setInterval(() => {
                const t = performance.now();
                window.__gap = Math.max(window.__gap, t - last);
                last = t;
            }, 20);
        }""")
        page.fill("input[name=url]", ollama.url)
        page.click(f"{ROOT} button[type=submit]")
        while page.get_attribute(ROOT, "data-state") != "done":
            started = time.monotonic()
            page.evaluate("1 + 1")
            assert time.monotonic() - started < 1.0, "the page stopped answering"
            page.wait_for_timeout(20)
        assert verdict(page) == "ok"
    assert page.evaluate("window.__gap") < 500
    status, detail = rows(page)["models"]
    assert status == "warn" and "too large" in detail and "llama3.2:latest" in detail


INVALID = [  # typed, a word the message must contain
    ("javascript:alert(1)", "javascript"),
    ("file:///etc/passwd", "file"),
    ("ftp://x", "ftp"),
    ("data:text/html,<script>alert(1)</script>", "data"),
    ("http://u:p@h:11434", "password"),
    ("http://h:99999", "99999"),
    ("http://h:0", "out of range"),
    ("http://exa mple:11434", "host"),
    ("   ", "address"),
]


def test_invalid_urls_are_refused_without_navigating(page: Any, site: Site, subtests: Any) -> None:
    open_checker(page, site.url())
    before = page.url
    for typed, named in INVALID:
        with subtests.test(typed=typed):
            assert check(page, typed) == "invalid-url"
            assert page.url == before
            status, detail = rows(page)["url"]
            assert status == "fail" and named in detail
            assert all(rows(page)[c][0] == "skip" for c in CHECKS[1:])
    page.wait_for_timeout(100)
    assert page.url == before
    assert page.evaluate("window.__pwned") is None
    assert page.locator("[data-checker-terminal] .checker-line").count() == 0  # no lines for an unusable address


NORMALISED = [  # typed, shown
    ("  localhost  ", "http://localhost:11434"),
    ("192.168.1.20", "http://192.168.1.20:11434"),
    ("192.168.1.20:8080/api/tags", "http://192.168.1.20:8080"),
    ("HTTP://Example.test:11434/", "http://example.test:11434"),
    ("https://ollama.example.test/api/version?x=1#y", "https://ollama.example.test (no port: so 443"),
    ("http://ollama.example.test", "http://ollama.example.test (no port: so 80"),
    ("[::1]", "http://[::1]:11434"),
]


def test_urls_are_normalised(page: Any, site: Site, subtests: Any) -> None:
    open_checker(page, site.url())
    # The runs go on after the url row, but nothing may leave for these addresses: every request
    # except the site's own is cut off in the browser.
    page.route(lambda url: not url.startswith(site.origin()), lambda route: route.abort())
    for typed, shown in NORMALISED:
        with subtests.test(typed=typed):
            assert check(page, typed, timeout="2") == "unreachable"  # aborted at once; 2 s: room on a busy machine
            status, detail = rows(page)["url"]
            assert status == "pass" and detail.startswith(shown), detail


# -- page life -------------------------------------------------------------------------------------------


def test_url_is_prefilled_from_query_then_last_used_then_default(context: Any, site: Site) -> None:
    page = context.new_page()
    open_checker(page, site.url())
    assert page.input_value("input[name=url]") == config(page)["defaultUrl"]
    open_checker(page, site.url() + "?url=http%3A%2F%2Ffrom-query.test%3A1234")
    assert page.input_value("input[name=url]") == "http://from-query.test:1234"
    with OllamaEmulator() as ollama:
        open_checker(page, site.url())
        assert check(page, f"  {ollama.url}/api/tags ") == "ok"
        other = context.new_page()
        open_checker(other, site.url())
        assert other.input_value("input[name=url]") == ollama.url
        assert other.evaluate("localStorage.getItem('ollama-checker:url')") == ollama.url


def go_via_nav(page: Any, path: str) -> None:
    """Follow a link to `path`, as a reader would (Material's instant navigation takes it over)."""
    page.locator(f"a[href$='/{path}']:visible").first.click()
    page.wait_for_url(f"**/{path}")


def test_instant_navigation_mounts_once_per_visit(page: Any, site: Site) -> None:
    page.goto(site.url(""))  # start on a page without the checker
    page.evaluate("window.__sameDocument = true")
    with OllamaEmulator() as ollama:
        go_via_nav(page, "checker/")
        page.wait_for_selector(f"{ROOT}[data-state=ready]")
        assert check(page, ollama.url) == "ok"
        for _ in range(2):  # leave and come back, twice
            go_via_nav(page, "diagnosis/")
            go_via_nav(page, "checker/")
            page.wait_for_selector(f"{ROOT}[data-state=ready]")
        assert page.evaluate("window.__sameDocument") is True  # Material swapped pages without a reload
        assert page.get_attribute(ROOT, "data-verdict") is None  # a fresh checker, no stale result
        assert check(page, ollama.url) == "ok"
        page.wait_for_timeout(300)
        # One request per check per run: no listener survived from an earlier visit.
        assert api_calls(ollama, "/api/version") == 2
        assert api_calls(ollama, "/api/tags") == 2


def test_reply_test_streams_and_reports_speed(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(models=["llama3.2:latest", "qwen2.5:7b"], chunk_delay=0.02) as ollama:
        assert check(page, ollama.url, "qwen2.5:7b") == "ok"
        assert page.is_enabled("[data-checker-chat]")
        page.click("[data-checker-chat]")
        page.wait_for_selector("[data-check=chat]:is([data-status=pass], [data-status=fail])")
        assert rows(page)["chat"][0] == "pass", rows(page)["chat"]
        sent = next(r for r in ollama.requests if r.path == "/api/chat" and r.method == "POST").json()
    cfg = config(page)
    assert sent["model"] == "qwen2.5:7b" and sent["stream"] is True
    assert sent["messages"] == [{"role": "user", "content": cfg["chatPrompt"]}]
    assert sent["options"] == {"num_predict": cfg["chatNumPredict"]}
    detail = rows(page)["chat"][1]
    # eval_count / (eval_duration / 1e9): the emulator spends chunk_delay per token, so 50 tokens/s.
    assert "first token after" in detail and "50.0 tokens/s" in detail
    assert page.text_content("[data-checker-reply]") == DEFAULT_REPLY  # the split last line was joined
    assert "| chat | pass |" in page.text_content("[data-checker-md]")


def test_ndjson_reader_joins_lines_split_anywhere(page: Any, site: Site) -> None:
    """The stream reader itself, fed chunks cut inside a JSON line and inside a multi-byte character."""
    open_checker(page, site.url())
    parsed = page.evaluate("""async () => {
        const { ndjson } = await import(new URL("../javascripts/checker/reply.js", location.href).href);
        const bytes = new TextEncoder().encode('{"a":"hé"}\\n{"b":[1,2]}\\n\\n{"c":"€"}');
        const cuts = [0, 3, 8, 12, 20, 32, 33, bytes.length];  // 8 cuts "é", 32 and 33 cut "€"
        const body = new ReadableStream({ start(c) {
            for (let i = 1; i < cuts.length; i++) c.enqueue(bytes.slice(cuts[i - 1], cuts[i]));
            c.close();
        } });
        const out = [];
        for await (const o of ndjson(body)) out.push(o);
        return out;
    }""")
    assert parsed == [{"a": "hé"}, {"b": [1, 2]}, {"c": "€"}]


def test_reply_test_is_offered_only_with_a_model(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(models=[]) as ollama:
        assert check(page, ollama.url) == "no-models"
        assert page.is_disabled("[data-checker-chat]")


def test_copy_report_puts_markdown_on_the_clipboard(context: Any, site: Site) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin())
    page = context.new_page()
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url, "llama3.2") == "ok"
    page.click("[data-checker-copy-report]")
    page.wait_for_function("document.querySelector('[data-checker-copy-report]').textContent === 'Copied'")
    text = page.evaluate("navigator.clipboard.readText()")
    assert f"- URL: {ollama.url}" in text and "- Verdict: **ok**" in text
    assert f"- Page origin: {site.origin()}" in text and "HeadlessChrome" in text
    for check_id in CHECKS:
        assert f"| {check_id} | " in text
    assert text == page.text_content("[data-checker-md]")


def test_copy_falls_back_to_selecting_on_an_insecure_page(page: Any, site: Site) -> None:
    open_checker(page, site.url(host="docs.test"))  # http and not loopback: no secure context, no clipboard API
    assert page.evaluate("window.isSecureContext") is False
    # The verdict is not the point here: a public-looking http page calling loopback may also read as
    # local-network-denied, which is what Chrome answers for a real public http page.
    code = check(page, f"http://127.0.0.1:{refused_port()}")
    page.click("[data-checker-copy-report]")
    assert page.get_attribute("[data-checker-report]", "open") is not None
    selected = page.evaluate("getSelection().toString()")
    assert f"- Verdict: **{code}**" in selected and "| reach | fail |" in selected
    assert "Ctrl+C" in page.text_content("[data-checker-copy-report]")
    # The terminal lines carry the same fallback.
    page.locator("[data-checker-terminal] .checker-line").nth(1).locator("button.checker-copy").click()
    assert page.evaluate("getSelection().toString()").startswith("curl -sS -m 5 http://127.0.0.1:")


def test_terminal_lines_follow_the_entered_address(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:
        assert check(page, ollama.url + "/", "llama3.2", "3") == "ok"
    lines = page.locator("[data-checker-terminal] .checker-line code").all_text_contents()
    assert lines == [
        f"python3 ollama_check.py {ollama.url} --model llama3.2 --origin {config(page)['appDefaultOrigin']}",
        f"curl -sS -m 3 {ollama.url}/api/version",
    ]
    assert page.get_attribute("[data-checker-terminal] a[data-script]", "href") == config(page)["scriptHref"]


def test_keyboard_only(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator() as ollama:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement?.name") == "url":
                break
        else:
            pytest.fail("Tab never reached the URL field")
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(ollama.url)
        page.keyboard.press("Enter")
        assert verdict(page) == "ok"
    assert page.evaluate("document.activeElement?.name") == "url"  # focus stays where the reader is
    assert page.get_attribute("[data-checker-output]", "aria-busy") == "false"
    assert "Ollama answers" in page.text_content("[data-checker-status]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_accessible_in_both_schemes(browser: Any, site: Site, scheme: str) -> None:
    """axe on the filled-in checker: pass, warning, fail and skipped rows, the verdict and the tools."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        open_checker(page, site.url(host="docs.test"))
        assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
        with OllamaEmulator(extra_origins=[site.origin("docs.test")]) as ollama:
            assert check(page, ollama.url, "mistral") == "model-missing"
        assert {status for status, _ in rows(page).values()} == {"pass", "warn", "fail", "skip"}
        assert page.locator("[data-checker-terminal] .checker-line").count() == 2
        page.click("[data-checker-report] summary")
        # Once as left, once with the button focused (Material recolours focused and hovered buttons).
        for focus in (None, f"{ROOT} button[type=submit]"):
            if focus:
                page.focus(focus)
            page.wait_for_timeout(300)  # let colour transitions finish
            results = Axe().run(page, context={"include": [[ROOT], ["[data-checker-terminal]"]]})
            problems = [
                f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not problems, (focus, problems)
        # Status is never told by colour alone: every row carries its label as text.
        labels = page.locator(f"{ROOT} [data-check] .checker-badge").all_text_contents()
        assert set(labels) == {"pass", "warn", "fail", "skip"}
    finally:
        context.close()


# -- Chrome's Local Network Access, on one machine ---------------------------------------------------------
#
# Chromium is told that two loopback ports are elsewhere: the site's at a public address, the emulator's at a
# local (LAN) one. Those ports must be known at launch, so this module starts its own Chromium for them.
# Headless Chromium denies an undecided permission prompt at once and remembers it: a fresh context per case.


@dataclass(frozen=True)
class LocalNetwork:
    browser: Any
    https_site: Site  # https://docs.test:P, a public address
    http_site: Site  # http://docs.test:P, a public address
    lan_port: int  # http://lan.test:P, a local address

    def lan_ollama(self, **options: Any) -> OllamaEmulator:
        # A LAN Ollama listens on 0.0.0.0, where Ollama has no Host guard (routes.go allowedHostsMiddleware).
        origins = [self.https_site.origin("docs.test"), self.http_site.origin("docs.test")]
        return OllamaEmulator(port=self.lan_port, host_guard=False, extra_origins=origins, **options)

    def context(self, granted: bool = False, origin: str = "") -> Any:
        context = self.browser.new_context(ignore_https_errors=True)
        context.set_default_timeout(15_000)
        if granted:
            context.grant_permissions(["local-network-access"], origin=origin)
        return context

    @contextmanager
    def checker_page(self, site: Site, granted: bool = False) -> Iterator[Any]:
        """The checker opened from `site` at docs.test in a fresh context (a remembered denial would leak
        between cases), the permission granted to that origin or left undecided; the context closes after."""
        context = self.context(granted=granted, origin=site.origin("docs.test"))
        try:
            page = context.new_page()
            open_checker(page, site.url(host="docs.test"))
            yield page
        finally:
            context.close()


@pytest.fixture(scope="module")
def local_network(playwright_driver: Any, built_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        LocalNetwork]:
    https_port, http_port, lan_port = free_port(), free_port(), free_port()
    overrides = f"127.0.0.1:{https_port}=public,127.0.0.1:{http_port}=public,127.0.0.1:{lan_port}=local"
    chromium = launch_chromium(playwright_driver, [f"--ip-address-space-overrides={overrides}"])
    served = tmp_path_factory.mktemp("lna")
    try:
        with serve_site(built_site.site, served / "https", "https", tls_context(), https_port) as https_site, \
                serve_site(built_site.site, served / "http", "http", None, http_port) as http_site:
            yield LocalNetwork(chromium, https_site, http_site, lan_port)
    finally:
        chromium.close()


def test_lna_https_page_to_a_lan_address_with_the_permission_is_ok(local_network: LocalNetwork) -> None:
    site = local_network.https_site
    with local_network.checker_page(site, granted=True) as page:
        with local_network.lan_ollama() as ollama:
            assert check(page, f"http://lan.test:{ollama.port}", "llama3.2") == "ok"
            # The same request without targetAddressSpace is blocked as mixed content: the option does it.
            tags = f"http://lan.test:{ollama.port}/api/tags"
            bare = page.evaluate("url => fetch(url).then(r => r.status, e => 'blocked')", tags)
            tagged = page.evaluate("url => fetch(url, { targetAddressSpace: 'local' }).then(r => r.status)", tags)
            tags_requests = [r for r in ollama.requests if r.path == "/api/tags"]
        assert bare == "blocked" and tagged == 200
        assert len(tags_requests) == 2  # the checker's and the tagged one; the bare one never left
        detail = rows(page)["context"][1]
        assert "sent as a local request (targetAddressSpace)" in detail and "reads granted" in detail


def test_lna_https_page_to_a_lan_address_without_the_permission_is_denied(local_network: LocalNetwork) -> None:
    site = local_network.https_site
    with local_network.checker_page(site) as page:
        with local_network.lan_ollama() as ollama:
            assert check(page, f"http://lan.test:{ollama.port}") == "local-network-denied"
            assert ollama.requests == []
        status, detail = rows(page)["context"]
        assert status == "fail" and "reads denied" in detail
        verdict_text = config(page)["verdicts"]["local-network-denied"]
        assert verdict_text["fix"] in page.text_content("[data-checker-verdict]")
        assert "site settings" in verdict_text["fix"]


def test_lna_public_http_page_cannot_ask_and_is_denied(local_network: LocalNetwork) -> None:
    site = local_network.http_site
    with local_network.checker_page(site) as page:
        with local_network.lan_ollama() as ollama:
            assert check(page, f"http://lan.test:{ollama.port}") == "local-network-denied"
            assert ollama.requests == []
        fix = config(page)["verdicts"]["local-network-denied"]["fixes"]["insecure-page"]
        assert fix in page.text_content("[data-checker-verdict]")


def test_lna_https_page_to_http_loopback_with_the_permission_is_ok(local_network: LocalNetwork) -> None:
    site = local_network.https_site
    with local_network.checker_page(site, granted=True) as page:
        with OllamaEmulator(extra_origins=[site.origin("docs.test")]) as ollama:  # 127.0.0.1: loopback
            assert check(page, ollama.url) == "ok"
        assert "sent as a loopback request" in rows(page)["context"][1]


def test_lna_https_page_to_http_loopback_without_the_permission_is_denied(local_network: LocalNetwork) -> None:
    site = local_network.https_site
    with local_network.checker_page(site) as page:
        with OllamaEmulator(extra_origins=[site.origin("docs.test")]) as ollama:
            assert check(page, ollama.url) == "local-network-denied"
            assert ollama.requests == []
        fix = config(page)["verdicts"]["local-network-denied"]["fixes"]["loopback"]
        assert fix in page.text_content("[data-checker-verdict]")


# -- ready before input -------------------------------------------------------------------------------------


class _SlowModulesHandler(SimpleHTTPRequestHandler):
    """Serves the site, holding each checker module back for MODULE_DELAY_S, like a slow network."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if "/javascripts/checker/" in self.path:
            time.sleep(MODULE_DELAY_S)
        super().do_GET()


MODULE_DELAY_S = 2.0


def test_typing_and_pressing_before_the_modules_load_gives_the_verdict_for_what_was_typed(
        page: Any, built_site: Any, tmp_path: Any) -> None:
    with serve_site(built_site.site, tmp_path / "slow", "http", handler=_SlowModulesHandler) as slow, \
            OllamaEmulator(models=["typed:latest"]) as ollama:
        page.goto(slow.url(), wait_until="commit")
        page.wait_for_selector("input[name=url]")
        page.evaluate("window.__sameDocument = true")
        assert page.get_attribute(ROOT, "data-state") is None  # the modules are still on their way
        assert page.is_disabled(f"{ROOT} button[type=submit]")
        page.fill("input[name=url]", ollama.url)
        page.press("input[name=url]", "Enter")  # an early Enter: no plain GET, no reload
        page.fill("input[name=model]", "typed")
        started = time.monotonic()
        page.click(f"{ROOT} button[type=submit]")  # waits until the button can be pressed
        assert time.monotonic() - started >= MODULE_DELAY_S / 2  # it really waited for the modules
        assert verdict(page) == "ok"
        assert page.evaluate("window.__sameDocument") is True
        assert page.url == slow.url()  # no ?url=… from a GET
        assert page.input_value("input[name=url]") == ollama.url  # mounting kept what was typed
        assert rows(page)["url"][1] == ollama.url
        assert rows(page)["model"] == ["pass", "typed:latest is installed."]
        assert api_calls(ollama, "/api/version") == 1


# -- buffered streams -----------------------------------------------------------------------------------------


class _BufferingProxy(BaseHTTPRequestHandler):
    """A reverse proxy that reads the whole reply before passing it on, as nginx's proxy_buffering does."""

    protocol_version = "HTTP/1.1"
    upstream_port = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_request(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        upstream.request(self.command, self.path, body or None, headers)
        reply = upstream.getresponse()
        data = reply.read()  # everything, then send it at once
        self.send_response(reply.status)
        for name, value in reply.getheaders():
            if name.lower() not in ("transfer-encoding", "content-length", "connection", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = do_OPTIONS = do_request


@contextmanager
def buffering_proxy(upstream_port: int) -> Iterator[str]:
    handler = type("Proxy", (_BufferingProxy,), {"upstream_port": upstream_port})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def reply_row(page: Any, url: str) -> tuple[str, str]:
    assert check(page, url) == "ok"
    page.click("[data-checker-chat]")
    page.wait_for_selector("[data-check=chat]:is([data-status=pass], [data-status=warn], [data-status=fail])")
    return rows(page)["chat"]


def test_reply_through_a_buffering_proxy_is_flagged(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(chunk_delay=0.05) as ollama, buffering_proxy(ollama.port) as proxy:
        status, detail = reply_row(page, proxy)
    assert status == "warn", detail
    assert "buffer" in detail and "proxy_buffering off" in detail and "not meaningful" in detail
    assert "| chat | warn |" in page.text_content("[data-checker-md]")


def test_reply_streamed_as_written_is_not_flagged(page: Any, site: Site) -> None:
    open_checker(page, site.url())
    with OllamaEmulator(chunk_delay=0.05) as ollama:
        status, detail = reply_row(page, ollama.url)
    assert status == "pass", detail
    assert "buffer" not in detail and "first token after" in detail
