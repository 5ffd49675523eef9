"""The verdict matrix in Chromium, Firefox and WebKit: the same steps, the same verdicts, each provoked for real.

The site is served on http://127.0.0.2:P (LAN-like: not among Ollama's default origins) and on https at the same
address; the Ollama emulator listens on 127.0.0.1. Nothing leaves loopback.
"""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

import pytest

from engines.checker import CHECKS, check, open_checker, rows
from ollama_emulator import OllamaEmulator

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
    assert engine_page.text("[data-checker-origins]") == f"OLLAMA_ORIGINS={lan_site.origin()}"


def test_refused_port_is_unreachable(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    started = time.monotonic()
    assert check(engine_page, f"http://127.0.0.1:{refused_port()}") == "unreachable"
    assert time.monotonic() - started < 3.0
    assert rows(engine_page)["reach"][0] == "fail"


def test_server_that_never_answers_times_out(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    with OllamaEmulator(mode="hang") as ollama:
        assert check(engine_page, ollama.url, timeout="1") == "timeout"
        assert ollama.connections >= 1  # the request went out and was held
    # Timed in the page (the row's own clock), so a loaded machine's driver round trips do not count.
    waited = int(engine_page.text("[data-check=reach] [data-v=ms]").removesuffix(" ms"))
    assert 900 <= waited < 2500, waited
    assert "1 s" in rows(engine_page)["reach"][1]


def test_invalid_url_is_refused(engine_page: EnginePage, lan_site: Site) -> None:
    open_checker(engine_page, lan_site.url())
    assert check(engine_page, "javascript:alert(1)") == "invalid-url"
    status, detail = rows(engine_page)["url"]
    assert status == "fail" and "javascript" in detail
