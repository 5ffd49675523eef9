"""Real nginx and Caddy in front of the Ollama emulator (Host guard on), running the files the https page shows.

Cases: the documented configurations answer and stream; a proxy that passes the visitor's Host on gets
Ollama's 403 and the terminal checker says host-refused; nginx with buffering left on (Ollama's FAQ block)
delivers a stream all at once. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ollama_emulator import OllamaEmulator
from project import ROOT
from proxy_support import NAME, NGINX_CONF, RunningProxy, https_lines, proxy

SCRIPT = ROOT / "docs" / "downloads" / "ollama_check.py"
PAGE_ORIGIN = "https://markitup.lan"  # the page's example origin, admitted through OLLAMA_ORIGINS
WORDS = "one two three four"
CHUNK_DELAY = 0.25  # seconds between streamed lines: 5 lines over about a second


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ollama_check_behind_proxies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


@pytest.fixture
def emulator() -> Iterator[OllamaEmulator]:
    with OllamaEmulator(chunking="plain", chunk_delay=CHUNK_DELAY, reply=WORDS,
                        extra_origins=[PAGE_ORIGIN]) as emu:
        yield emu


def run_terminal_checker(running: RunningProxy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                         *args: str) -> tuple[int, dict[str, Any]]:
    """The script in-process, as on a LAN machine where ollama.lan resolves and its certificate is trusted; here
    the name maps to 127.0.0.1 and the throwaway CA is the one trusted."""
    real_lookup = socket.getaddrinfo
    real_context = ssl.create_default_context

    def lookup(host: str, port: Any, *rest: Any, **kwargs: Any) -> Any:
        assert host == NAME, f"unexpected name lookup: {host}"
        return real_lookup("127.0.0.1", port, *rest, **kwargs)

    def trusting_context(*rest: Any, **kwargs: Any) -> ssl.SSLContext:
        return real_context(cafile=str(running.certificate.ca))

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(ssl, "create_default_context", trusting_context)
    try:
        code = checker.main([running.url, "--json", *args])
    finally:
        monkeypatch.undo()
    return code, json.loads(capsys.readouterr().out)


def chat_body() -> bytes:
    return json.dumps({"model": "llama3.2", "messages": [{"role": "user", "content": "Hi"}]}).encode()


def arrival_spread(lines: list[tuple[float, bytes]]) -> float:
    return lines[-1][0] - lines[0][0]


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_documented_config_passes_the_guard_and_the_terminal_checker_says_ok(
        kind: str, emulator: OllamaEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with proxy(kind, tmp_path, "documented", emulator.port) as running:
        status, lines = https_lines(running, "GET", "/api/version")
        code, data = run_terminal_checker(running, monkeypatch, capsys, "--origin", PAGE_ORIGIN)
    assert status == 200 and json.loads(lines[0][1]) == {"version": emulator.config.version}
    hosts = {request.header("Host") for request in emulator.requests}
    expected = "localhost:11434" if kind == "nginx" else f"127.0.0.1:{emulator.port}"
    assert hosts == {expected}  # the documented rewrite, not ollama.lan
    assert data["verdict"] == "ok", data
    assert code == 0
    assert data["url"] == running.url


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_proxy_passing_the_host_on_is_refused_and_the_terminal_checker_says_host_refused(
        kind: str, emulator: OllamaEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with proxy(kind, tmp_path, "passes-host", emulator.port) as running:
        status, lines = https_lines(running, "GET", "/api/version")
        code, data = run_terminal_checker(running, monkeypatch, capsys)
    assert status == 403 and lines == []  # Ollama's guard: 403 with an empty body
    sent = {request.header("Host") for request in emulator.requests}
    assert sent <= {NAME, f"{NAME}:{running.port}"} and sent  # nginx $host drops the port, Caddy keeps it
    assert code == 1
    assert data["verdict"] == "host-refused"
    assert data["fix"].startswith(f"Ollama does not admit the name {NAME}. Use localhost or an IP address")
    assert "proxy_set_header Host localhost:11434" in data["fix"]
    assert "header_up Host {upstream_hostport}" in data["fix"]


@pytest.mark.parametrize(("kind", "variant"), [("nginx", "documented"), ("caddy", "documented")])
def test_documented_config_streams_each_line_as_it_comes(kind: str, variant: str, emulator: OllamaEmulator,
                                                         tmp_path: Path) -> None:
    with proxy(kind, tmp_path, variant, emulator.port) as running:
        status, lines = https_lines(running, "POST", "/api/chat", chat_body())
    assert status == 200
    objects = [json.loads(line) for _, line in lines]
    assert "".join(o["message"]["content"] for o in objects) == WORDS and objects[-1]["done"] is True
    # Five lines written 0.25 s apart reach the client spread over about a second, not together.
    assert arrival_spread(lines) >= 3 * CHUNK_DELAY, lines


def test_nginx_with_buffering_on_delivers_the_stream_all_at_once(emulator: OllamaEmulator, tmp_path: Path) -> None:
    """Ollama's FAQ block (Host fixed, proxy_buffering at its default) holds the stream until the end."""
    with proxy("nginx", tmp_path, "buffered", emulator.port) as running:
        status, lines = https_lines(running, "POST", "/api/chat", chat_body())
    assert status == 200
    assert len(lines) == len(WORDS.split()) + 1
    assert lines[0][0] >= 3 * CHUNK_DELAY  # nothing arrived while Ollama was still writing
    assert arrival_spread(lines) < CHUNK_DELAY, lines


def test_nginx_read_timeout_outlasts_its_default() -> None:
    """A "stream": false reply is silent until done; the page's file waits longer than nginx's 60 s default."""
    found = re.search(r"^\s*proxy_read_timeout (\d+)s;", NGINX_CONF.read_text(encoding="utf-8"), re.MULTILINE)
    assert found is not None
    assert int(found.group(1)) >= 300


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_access_list_refuses_addresses_outside_it_with_a_page_not_the_guards_empty_403(
        kind: str, emulator: OllamaEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With loopback taken off the file's allowed list, this machine is an outsider: the proxy itself refuses,
    Ollama never sees the request, and the terminal checker does not mistake that for the Host guard."""
    with proxy(kind, tmp_path, "outsider", emulator.port) as running:
        status, lines = https_lines(running, "GET", "/api/version")
        code, data = run_terminal_checker(running, monkeypatch, capsys)
    assert status == 403 and lines  # a refusal with a body
    assert emulator.requests == []
    assert code == 1
    assert data["verdict"] == "not-ollama"
