"""The verdict matrix in Chromium, Firefox and WebKit: the same steps, the same verdicts, each provoked for real.

The site is served on http://127.0.0.2:P (LAN-like: not among Ollama's default origins) and on https at the same
address; the Ollama emulator listens on 127.0.0.1. Nothing leaves loopback.
"""

from __future__ import annotations

import re
import socket
import time
from typing import TYPE_CHECKING, Any

import pytest

from engines.checker import CHECKS, ROOT, check, config, open_checker, rows
from ollama_emulator import DEFAULT_REPLY, OllamaEmulator

if TYPE_CHECKING:
    from browser_support import Site
    from engines.page import EnginePage

pytest_plugins = ("browser_support", "engine_fixtures")
pytestmark = pytest.mark.browser


def refused_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MATRIX = [  # emulator options, model typed, verdict, the check that fails (None: all pass)
    ({"models": ["llama3.2:latest", "qwen2.5:7b"]}, "llama3.2", "ok", None),
    ({"models": ["qwen2.5:7b"]}, "mistral", "model-missing", "model"),
    ({"models": []}, "", "no-models", "models"),
    ({"version": "0.1.30"}, "", "version-too-old", "identity"),
    ({"mode": "not-ollama", "not_ollama_cors": True}, "", "not-ollama", "identity"),
]


@pytest.mark.parametrize(("options", "model", "expected", "failing"), MATRIX, ids=[m[2] for m in MATRIX])
def test_verdicts_from_the_emulator(engine_page: EnginePage, lan_site: Site, options: dict, model: str,
                                    expected: str, failing: str | None) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(extra_origins=[lan_site.origin()], **options) as ollama:
        assert check(engine_page, ollama.url, model) == expected
        assert any(r.path == "/api/version" for r in ollama.requests)
    statuses = [status for status, _ in (rows(engine_page)[c] for c in CHECKS)]
    if failing:
        i = CHECKS.index(failing)
        assert statuses[i] == "fail" and statuses[i + 1:] == ["skip"] * (len(CHECKS) - i - 1), statuses
        assert "fail" not in statuses[:i], statuses
    else:
        assert "fail" not in statuses and statuses[-1] == "skip", statuses


def test_origin_not_admitted_is_cors_blocked(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator() as ollama:
        assert check(engine_page, ollama.url) == "cors-blocked"
        refused = [r for r in ollama.requests if r.path == "/api/version"]
        assert refused and refused[0].header("Origin") == lan_site.origin()  # Ollama got it, and said 403
    # MarkItUp's own origin is admitted by default; this page's is not, and the line to admit it names it exactly.
    assert engine_page.text("[data-origins-page] code") == f"OLLAMA_ORIGINS={lan_site.origin()}"


def test_refused_port_is_unreachable(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    assert check(engine_page, f"http://127.0.0.1:{refused_port()}") == "unreachable"
    assert rows(engine_page)["reach"][0] == "fail"
    # Refused at once, long before the timeout: timed by the row's own clock in the page.
    assert int(engine_page.text("[data-check=reach] [data-v=ms]").removesuffix(" ms")) < 2500


def test_server_that_never_answers_times_out(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(mode="hang") as ollama:
        assert check(engine_page, ollama.url, timeout="1") == "timeout"
        assert ollama.connections >= 1  # the request went out and was held
    # Timed in the page (the row's own clock), so a loaded machine's driver round trips do not count.
    waited = int(engine_page.text("[data-check=reach] [data-v=ms]").removesuffix(" ms"))
    assert 900 <= waited < 2500, waited
    assert "1 s" in rows(engine_page)["reach"][1]


def test_host_name_ollama_refuses(engine_page: EnginePage, lan_site: Site) -> None:
    """Ollama on loopback answers 403 to a Host that is not a local name. ollama.test reaches 127.0.0.1 through
    each engine's own switch: Chromium's resolver rules, Firefox's localDomains, a loopback proxy for WebKit."""
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(extra_origins=[lan_site.origin()]) as ollama:
        assert check(engine_page, f"http://ollama.test:{ollama.port}") == "host-refused"
        hosts = [r.header("Host") for r in ollama.requests if r.path == "/api/version"]
    assert hosts == [f"ollama.test:{ollama.port}"]
    assert rows(engine_page)["identity"][0] == "fail"


def test_uncaught_errors_reach_the_test(engine_page: EnginePage, lan_site: Site) -> None:
    """The harness itself: an error the page throws is seen in every engine, so that engine_page's check for
    uncaught errors is not empty by construction (WebKit has no page-error events: a listener stands in)."""
    open_checker(engine_page, lan_site.url())
    engine_page.run('setTimeout(() => { throw new Error("thrown on purpose"); });'
                    " await new Promise((resolve) => setTimeout(resolve, 200));")
    errors = engine_page.errors  # type: ignore[attr-defined]
    assert any("thrown on purpose" in error for error in errors), errors
    errors.clear()  # seen: not the page's fault


def test_invalid_url_is_refused(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    assert check(engine_page, "javascript:alert(1)") == "invalid-url"
    status, detail = rows(engine_page)["url"]
    assert status == "fail" and "javascript" in detail


# -- what differs between engines, pinned ------------------------------------------------------------------

# What each engine does where engines differ, as observed in Debian's chromium 156, firefox-esr 153 and
# webkit2gtk 2.50. The checker must reach the same verdict in each without reading any of these texts.
NETWORK_ERROR = {
    "chromium": "TypeError: Failed to fetch",
    "firefox": "TypeError: NetworkError when attempting to fetch resource.",
    "webkit": "TypeError: Load failed",
}
TIMEOUT_ERROR = {  # the error a fetch rejects with when its AbortSignal.timeout fires
    "chromium": "TimeoutError",
    "firefox": "TimeoutError",
    "webkit": "AbortError: Fetch is aborted",
}
HAS_TARGET_ADDRESS_SPACE = {"chromium": True, "firefox": False, "webkit": False}
# From an https page, a plain http loopback address: Chromium and Firefox send it, WebKit blocks it (as Safari).
HTTPS_TO_HTTP_LOOPBACK = {"chromium": "ok", "firefox": "ok", "webkit": "mixed-content"}

_FETCH_ERROR = """
try {
  await fetch(args[0], { cache: "no-store" });
  return "answered";
} catch (error) {
  return `${error.name}: ${error.message}`;
}
"""

_FETCH_TIMEOUT = """
const timer = AbortSignal.timeout(300);
const signal = AbortSignal.any([new AbortController().signal, timer]);
try {
  await fetch(args[0], { cache: "no-store", signal });
  return { error: "answered" };
} catch (error) {
  return { error: error.name === "AbortError" ? `${error.name}: ${error.message}` : error.name,
           timerAborted: timer.aborted, reason: signal.reason?.name };
}
"""


def test_network_error_texts_differ(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    port = refused_port()
    assert engine_page.run(_FETCH_ERROR, f"http://127.0.0.1:{port}") == NETWORK_ERROR[engine_page.engine]
    assert check(engine_page, f"http://127.0.0.1:{port}") == "unreachable"


def test_checker_never_reads_error_texts() -> None:
    """Verdicts come from what answered and from the timer, never from an engine's wording or an error's name."""
    from project import ROOT as PROJECT

    sources = "".join(p.read_text("utf-8") for p in (PROJECT / "docs/javascripts/checker").glob("*.js"))
    code = re.sub(r"(^|\s)//.*$", "", sources, flags=re.M)  # comments may name them, code may not
    for text in [*NETWORK_ERROR.values(), *TIMEOUT_ERROR.values(), "NetworkError", "AbortError", "TimeoutError"]:
        assert text.split(": ", 1)[-1] not in code, text
    compared = r"(error|err|e)\.(message|name)\s*(===?|!==?|\.(includes|startsWith|endsWith|match)\b)"
    assert not re.search(compared, code)
    assert not re.search(r"\.test\(\s*(error|err|e)\.(message|name)", code)


def test_timeout_is_told_from_the_timer_not_the_error(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(mode="hang") as ollama:
        seen = engine_page.run(_FETCH_TIMEOUT, ollama.url + "/api/version")
        assert seen == {"error": TIMEOUT_ERROR[engine_page.engine], "timerAborted": True, "reason": "TimeoutError"}
        assert check(engine_page, ollama.url, timeout="0.5") == "timeout"


def test_target_address_space_only_in_chromium(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    found = engine_page.run('return "targetAddressSpace" in Request.prototype;')
    assert found is HAS_TARGET_ADDRESS_SPACE[engine_page.engine]


def test_https_page_and_http_loopback(engine_page: EnginePage, lan_tls_site: Site) -> None:
    """What the engine really does with http://127.0.0.1 and http://localhost from an https page, then the
    checker's verdict, which must agree with it (WebKit blocks both, as Safari does; the others send them)."""
    open_checker(engine_page, lan_tls_site.url())
    expected = HTTPS_TO_HTTP_LOOPBACK[engine_page.engine]
    with OllamaEmulator(extra_origins=[lan_tls_site.origin()]) as ollama:
        for host in ("127.0.0.1", "localhost"):
            before = len(ollama.requests)
            raw = engine_page.run(_FETCH_ERROR, f"http://{host}:{ollama.port}/api/version")
            assert (raw == "answered") is (expected == "ok"), (host, raw)
            assert (len(ollama.requests) > before) is (expected == "ok"), host
        before = len(ollama.requests)
        assert check(engine_page, f"http://localhost:{ollama.port}") == expected
        time.sleep(0.3)
        sent = len(ollama.requests) - before
    assert (sent > 0) is (expected == "ok")  # blocked: the checker sent nothing either
    if expected == "mixed-content":
        fixes = config(engine_page)["verdicts"]["mixed-content"]["fixes"]
        assert engine_page.text("[data-checker-verdict] [data-v=fix]") == fixes["loopback"]


def test_https_page_and_http_lan_name(engine_page: EnginePage, lan_tls_site: Site) -> None:
    """A plain http LAN name from an https page: only Chromium can tag it (targetAddressSpace)."""
    open_checker(engine_page, lan_tls_site.url())
    with OllamaEmulator(extra_origins=[lan_tls_site.origin()]) as ollama:
        # Untagged, every engine blocks it as mixed content: nothing reaches the emulator.
        raw = engine_page.run(_FETCH_ERROR, f"http://ollama.test:{ollama.port}/api/version")
        assert raw == NETWORK_ERROR[engine_page.engine] and ollama.requests == []
        verdict = check(engine_page, f"http://ollama.test:{ollama.port}")
        time.sleep(0.3)
        sent = len(ollama.requests)
    if engine_page.engine == "chromium":
        # Sent, tagged as a local request; but ollama.test is really 127.0.0.1 here (loopback, not local), and
        # Chromium fails a request whose address is not in the space it was tagged with.
        assert "(targetAddressSpace)" in rows(engine_page)["context"][1]
        assert verdict == "unreachable" and sent == 0
        return
    assert verdict == "mixed-content" and sent == 0
    fixes = config(engine_page)["verdicts"]["mixed-content"]["fixes"]
    assert engine_page.text("[data-checker-verdict] [data-v=fix]") == fixes["no-exemption"]


# -- the reply test, copying, instant navigation ----------------------------------------------------------


def test_reply_test_streams(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(models=["qwen2.5:7b"], extra_origins=[lan_site.origin()], chunk_delay=0.02) as ollama:
        assert check(engine_page, ollama.url, "qwen2.5:7b") == "ok"
        engine_page.click("[data-checker-chat]")
        engine_page.wait_for("[data-check=chat]:is([data-status=pass], [data-status=warn], [data-status=fail])", 30)
        sent = next(r for r in ollama.requests if r.path == "/api/chat" and r.method == "POST").json()
    status, detail = rows(engine_page)["chat"]
    assert status == "pass", detail  # streamed line by line, not buffered
    assert sent["model"] == "qwen2.5:7b" and sent["stream"] is True
    assert "tokens/s" in detail
    assert engine_page.text("[data-checker-reply]") == DEFAULT_REPLY  # the line split across writes was joined


_PASTE_TARGET = """
const area = document.createElement("textarea");
area.id = "pasted";
document.body.append(area);
"""


def test_copy_report_reaches_the_clipboard(engine: Any, lan_site: Site) -> None:
    page = engine.new_page(clipboard_origin=lan_site.origin())
    try:
        open_checker(page, lan_site.url())
        with OllamaEmulator(extra_origins=[lan_site.origin()]) as ollama:
            assert check(page, ollama.url, "llama3.2") == "ok"
        page.click("[data-checker-copy-report]")
        page.wait_for("[data-checker-copy-report][data-label]")
        assert page.text("[data-checker-copy-report]") == "Copied"
        page.run(_PASTE_TARGET)
        page.paste("#pasted")
        pasted = page.run('return document.getElementById("pasted").value;')
        assert pasted == page.text("[data-checker-md]")
        assert f"{ollama.url}" in pasted and "**ok**" in pasted
    finally:
        page.close()


def test_copy_falls_back_to_selecting_where_the_clipboard_is_refused(engine: Any, site: Site) -> None:
    """Chromium and Firefox: an http page on a name (docs.test) is no secure context, so no clipboard at all.
    WebKit: every loopback page is a secure context, but it refuses a copy that no user gesture started."""
    page = engine.new_page()
    try:
        insecure = engine.name != "webkit"
        open_checker(page, site.url(host="docs.test") if insecure else site.url())
        assert page.run("return window.isSecureContext;") is not insecure
        # Chromium calls this unreachable address local-network-denied (an http page by name cannot get the
        # permission); the others unreachable. The verdict is not the point here: the copy is.
        verdict = check(page, f"http://127.0.0.1:{refused_port()}")
        assert verdict in ("unreachable", "local-network-denied")
        if insecure:
            page.click("[data-checker-copy-report]")
        else:
            page.run('document.querySelector("[data-checker-copy-report]").click();')
        page.wait_for("[data-checker-copy-report][data-label]")
        assert page.text("[data-checker-copy-report]") == "Selected: press Ctrl+C"
        assert page.attribute("[data-checker-report]", "open") is not None
        selected = page.run("return getSelection().toString();")
        assert f"**{verdict}**" in selected and "| reach | fail |" in selected
    finally:
        page.close()


_ARRIVED = """
const deadline = Date.now() + 15000;
while (!location.pathname.endsWith(args[0]) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 25));
}
return location.pathname;
"""


def _follow(page: EnginePage, selector: str, path: str, arrived: str) -> None:
    """Click a link in the page's content, as a reader does; Material's instant navigation takes it over."""
    page.click(selector)
    assert page.run(_ARRIVED, path).endswith(path)
    page.wait_for(arrived)


def test_instant_navigation_mounts_once_per_visit(engine_page: EnginePage, lan_site: Site) -> None:
    engine_page.open(lan_site.url(""))
    engine_page.run("window.sameDocument = true;")
    to_checker, mounted = "article a[href$='checker/']", f"{ROOT}[data-state=ready]"
    with OllamaEmulator(extra_origins=[lan_site.origin()]) as ollama:
        _follow(engine_page, to_checker, "checker/", mounted)
        assert check(engine_page, ollama.url) == "ok"
        for _ in range(2):  # leave and come back, twice
            _follow(engine_page, "article a[href$='diagnosis/']:not([data-href])", "diagnosis/", to_checker)
            _follow(engine_page, to_checker, "checker/", mounted)
        assert engine_page.run("return window.sameDocument;") is True  # no reload: Material swapped the page
        assert engine_page.attribute(ROOT, "data-verdict") is None  # a fresh checker, no stale result
        assert check(engine_page, ollama.url) == "ok"
        time.sleep(0.3)
        calls = sum(1 for r in ollama.requests if r.path == "/api/version")
    assert calls == 2  # one per run: no listener survived an earlier visit


# -- the engines the checker page names -------------------------------------------------------------------


def _tested_engines() -> dict[str, dict[str, str]]:
    import yaml

    from project import ROOT as PROJECT

    config = yaml.safe_load((PROJECT / "providers.yml").read_text("utf-8"))
    return {entry["id"]: entry for entry in config["checker"]["tested_engines"]}


def test_providers_yml_names_exactly_the_engines_tested() -> None:
    from engines import ENGINES

    assert sorted(_tested_engines()) == sorted(ENGINES)


def test_checker_page_names_this_engine_at_its_installed_version(engine: Any, built_site: Any) -> None:
    entry = _tested_engines()[engine.name]
    installed = engine.version
    assert installed == entry["version"] or installed.startswith(entry["version"] + "."), (
        f"{engine.name} {installed} is installed, providers.yml says {entry['version']}: update checker.tested_engines"
    )
    page = (built_site.site / "checker" / "index.html").read_text("utf-8")
    assert f"{entry['name']} {entry['version']}" in page
