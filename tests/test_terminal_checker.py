"""The downloadable terminal checker, docs/downloads/ollama_check.py.

Most tests run the script as a user would, in a subprocess, against the Ollama emulator on
127.0.0.1. Pure functions are tested by importing the file. Nothing leaves loopback: where a test
needs a host name, a DNS failure or a LAN address, it runs the script in-process with name lookup
or the connection replaced.
"""

from __future__ import annotations

import ast
import errno
import http.client
import importlib.util
import json
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import ROOT
from macros import origins as site_origins
from macros.config import load as load_config
from macros.terminal import expected_constants, publish_script, script_constants
from ollama_emulator import OllamaEmulator, default_origins

SCRIPT = ROOT / "docs" / "downloads" / "ollama_check.py"
EXPECTED_KEYS = {"verdict", "title", "url", "checks", "failure", "fix", "link", "ollama_origins", "version",
                 "models", "script"}
CHECK_IDS = ["url", "reach", "identity", "version", "cors", "models", "model"]
GUIDE = "changelogs/ollama/OLLAMA_TROUBLESHOOTING/"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ollama_check", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ollama_check"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


checker = _load()


def run(*args: str, python: str = sys.executable, script: Path = SCRIPT, timeout: float = 30,
        flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    return subprocess.run([python, *flags, str(script), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def run_json(*args: str, **kwargs: Any) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    proc = run(*args, "--json", **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, json.loads(proc.stdout)


def row(data: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(r for r in data["checks"] if r["id"] == check_id)


def free_port() -> int:
    """A port nothing listens on: bound once to learn a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def raw_server(behaviour: str) -> Iterator[int]:
    """A loopback server that reads the request, then closes (FIN), resets (RST) or talks SSH."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                conn.recv(65536)
                if behaviour == "reset":  # linger 0: close() sends RST instead of FIN
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif behaviour == "ssh":
                    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        listener.close()


# --- against the emulator -------------------------------------------------------------------------


def test_healthy_server_is_ok_with_the_documented_json_shape() -> None:
    with OllamaEmulator(models=["llama3.2:latest", "qwen2.5:7b"]) as emu:
        proc, data = run_json(emu.url)
        requests = emu.requests
    assert proc.returncode == 0
    assert set(data) >= EXPECTED_KEYS
    assert data["verdict"] == "ok"
    assert data["url"] == emu.url
    assert data["version"] == emu.config.version
    assert data["models"] == ["llama3.2:latest", "qwen2.5:7b"]
    assert data["failure"] is None and data["ollama_origins"] is None
    assert data["link"] == checker.DOCS_URL + GUIDE + "#ok"
    assert data["script"] == {"name": "ollama_check.py", "python": data["script"]["python"]}
    assert [r["id"] for r in data["checks"]] == CHECK_IDS
    assert {r["id"]: r["status"] for r in data["checks"]} == {
        "url": "pass", "reach": "pass", "identity": "pass", "version": "pass", "cors": "skip", "models": "pass",
        "model": "skip"}
    assert all(set(r) == {"id", "status", "ms", "detail"} for r in data["checks"])
    assert isinstance(row(data, "reach")["ms"], int)
    # Read-only, and the first request carries no Origin (it asks only whether Ollama answers).
    assert [(r.method, r.path) for r in requests] == [("GET", "/api/version"), ("GET", "/api/tags")]
    assert requests[0].header("Origin") is None


def test_healthy_server_text_output_without_colour() -> None:
    with OllamaEmulator() as emu:
        proc = run(emu.url)
    assert proc.returncode == 0
    assert "Verdict: ok - Ollama answers" in proc.stdout
    assert f"More:    {checker.DOCS_URL}{GUIDE}#ok" in proc.stdout
    assert f"{checker.DOCS_URL}diagnosis/" in proc.stdout
    assert re.search(r"^  PASS  models +\d+ ms  1 model: llama3\.2:latest$", proc.stdout, re.MULTILINE)
    assert "\x1b[" not in proc.stdout  # not a tty, and NO_COLOR is set
    assert proc.stderr == ""


def test_refused_port_is_unreachable_with_its_errno() -> None:
    proc, data = run_json(f"http://127.0.0.1:{free_port()}")
    assert proc.returncode == 1
    assert data["verdict"] == "unreachable"
    assert data["failure"] == {"class": "refused", "errno": errno.ECONNREFUSED, "errno_name": "ECONNREFUSED",
                               "curl_exit": 7}
    assert data["link"].endswith("#unreachable")
    assert "ollama serve" in data["fix"]  # loopback: Ollama is not running
    assert row(data, "reach")["status"] == "fail"
    assert all(row(data, c)["status"] == "skip" for c in CHECK_IDS[2:])


def test_server_that_never_answers_times_out_at_the_given_timeout() -> None:
    with OllamaEmulator(mode="hang") as emu:
        start = time.monotonic()
        proc, data = run_json(emu.url, "--timeout", "0.5")
        elapsed = time.monotonic() - start
        assert emu.connections >= 1  # the connection was accepted; only the reply never came
    assert proc.returncode == 1
    assert data["verdict"] == "timeout"
    assert data["failure"]["class"] == "timed-out" and data["failure"]["curl_exit"] == 28
    assert 450 <= row(data, "reach")["ms"] < 2000
    assert "0.5 s" in row(data, "reach")["detail"]
    assert elapsed < 3  # a sanity bound for the whole process, start-up included


def test_other_web_server_is_not_ollama() -> None:
    with OllamaEmulator(mode="not-ollama") as emu:
        proc, data = run_json(emu.url)
    assert proc.returncode == 1
    assert data["verdict"] == "not-ollama"
    assert "HTML" in row(data, "identity")["detail"]
    assert data["link"].endswith("#not-ollama")


def test_refused_origin_is_cors_blocked_with_the_exact_ollama_origins_value() -> None:
    with OllamaEmulator() as emu:
        proc, data = run_json(emu.url, "--origin", "http://docs.test:8000/checker/")
        text = run(emu.url, "--origin", "http://docs.test:8000")
        origins_sent = [r.header("Origin") for r in emu.requests]
    assert proc.returncode == 1 and text.returncode == 1
    assert data["verdict"] == "cors-blocked"
    assert data["ollama_origins"] == "http://docs.test:8000"
    assert "not in Ollama's default origins" in row(data, "cors")["detail"]
    assert data["link"].endswith("#cors-blocked")
    assert "OLLAMA_ORIGINS=http://docs.test:8000" in [line.strip() for line in text.stdout.splitlines()]
    assert "http://docs.test:8000" in origins_sent  # the normalised origin went to the server


def test_admitted_origin_passes() -> None:
    with OllamaEmulator() as emu:
        proc, data = run_json(emu.url, "--origin", "http://localhost:3000")
    assert proc.returncode == 0
    assert data["verdict"] == "ok"
    assert row(data, "cors")["status"] == "pass"
    assert "(in Ollama's default origins)" in row(data, "cors")["detail"]
    assert data["ollama_origins"] is None


def test_origin_admitted_by_ollama_origins_says_it_is_not_a_default() -> None:
    with OllamaEmulator(extra_origins=["http://docs.test:8000"]) as emu:
        proc, data = run_json(emu.url, "--origin", "http://docs.test:8000")
    assert proc.returncode == 0
    assert row(data, "cors")["status"] == "pass"
    assert "not in Ollama's default origins" in row(data, "cors")["detail"]


def test_host_header_guard_behind_a_name_ollama_does_not_know(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A 403 without Origin: the Host-header guard. The unknown name is mapped to 127.0.0.1 here."""
    real = socket.getaddrinfo

    def lookup(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        assert host == "ollama.example.test", f"unexpected name lookup: {host}"
        return real("127.0.0.1", port, *args, **kwargs)

    with OllamaEmulator() as emu:
        monkeypatch.setattr(socket, "getaddrinfo", lookup)
        code = checker.main([f"http://ollama.example.test:{emu.port}", "--json"])
        monkeypatch.undo()
        host_sent = emu.requests[0].header("Host")
    data = json.loads(capsys.readouterr().out)
    assert host_sent == f"ollama.example.test:{emu.port}"
    assert code == 1
    assert data["verdict"] == "not-ollama"
    assert data["link"] == checker.DOCS_URL + GUIDE + "#host-header-guard"
    assert "Host: localhost:11434" in data["fix"]
    assert "Host-header guard" in row(data, "identity")["detail"]


def test_old_version_is_too_old() -> None:
    with OllamaEmulator(version="0.1.30") as emu:
        proc, data = run_json(emu.url)
    assert proc.returncode == 1
    assert data["verdict"] == "version-too-old"
    assert row(data, "version")["detail"] == "0.1.30 is older than 0.1.45"


def test_version_compares_numerically_and_tolerates_suffixes() -> None:
    with OllamaEmulator(version="0.1.100-rc1") as emu:
        proc, data = run_json(emu.url)
    assert proc.returncode == 0, data  # 0.1.100 > 0.1.45 although "0.1.100" < "0.1.45" as text
    assert row(data, "version")["status"] == "pass"


def test_development_build_warns_but_passes() -> None:
    with OllamaEmulator(version="0.0.0") as emu:
        proc, data = run_json(emu.url)
    assert proc.returncode == 0
    assert row(data, "version")["status"] == "warn"


def test_zero_models_is_no_models() -> None:
    with OllamaEmulator(models=[]) as emu:
        proc, data = run_json(emu.url)
    assert proc.returncode == 1
    assert data["verdict"] == "no-models"
    assert data["models"] == []
    assert "ollama pull" in data["fix"]


def test_version_too_old_outranks_no_models() -> None:
    with OllamaEmulator(version="0.1.30", models=[]) as emu:
        _, data = run_json(emu.url)
    assert data["verdict"] == "version-too-old"
    assert row(data, "models")["status"] == "fail"  # still checked and shown


def test_missing_model_is_model_missing() -> None:
    with OllamaEmulator(models=["llama3.2:1b"]) as emu:
        proc, data = run_json(emu.url, "--model", "llama3.2")
    assert proc.returncode == 1
    assert data["verdict"] == "model-missing"
    assert "llama3.2:1b" in row(data, "model")["detail"]  # the tags that are there
    assert "ollama pull llama3.2" in data["fix"]


def test_model_without_tag_matches_latest() -> None:
    with OllamaEmulator(models=["llama3.2:latest"]) as emu:
        proc, data = run_json(emu.url, "--model", "llama3.2")
    assert proc.returncode == 0
    assert row(data, "model")["status"] == "pass"
    assert row(data, "model")["detail"] == "llama3.2 is installed"


def test_models_shown_are_capped_at_twenty() -> None:
    names = [f"model{i:02d}:latest" for i in range(25)]
    with OllamaEmulator(models=names) as emu:
        _, data = run_json(emu.url)
    detail = row(data, "models")["detail"]
    assert detail.startswith("25 models: ") and detail.endswith(" and 5 more")
    assert "model19:latest" in detail and "model20:latest" not in detail
    assert len(data["models"]) == 25  # the JSON keeps the full list


@pytest.mark.parametrize(
    ("behaviour", "verdict", "failure_class"),
    [("close", "unreachable", "empty-reply"), ("reset", "unreachable", "reset"), ("ssh", "not-ollama", None)],
)
def test_servers_that_close_reset_or_speak_another_protocol(behaviour: str, verdict: str,
                                                            failure_class: str | None) -> None:
    with raw_server(behaviour) as port:
        proc, data = run_json(f"http://127.0.0.1:{port}")
    assert proc.returncode == 1
    assert data["verdict"] == verdict
    assert (data["failure"] or {}).get("class") == failure_class
    if failure_class:
        assert data["failure"]["curl_exit"] == {"empty-reply": 52, "reset": 56}[failure_class]


def test_https_to_a_plain_http_port_is_a_tls_failure() -> None:
    with OllamaEmulator() as emu:
        proc, data = run_json(emu.url.replace("http://", "https://"))
    assert proc.returncode == 1
    assert data["verdict"] == "unreachable"
    assert data["failure"]["class"] is None  # none of curl's classes; the row and the fix say TLS
    assert row(data, "reach")["detail"].startswith("error: TLS")
    assert "use http://" in data["fix"]


def test_help_exits_0() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert "--origin" in proc.stdout and "--timeout" in proc.stdout and proc.stderr == ""


def test_name_that_does_not_resolve_is_dns(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    def lookup(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    code = checker.main(["http://ollama.invalid:11434", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["verdict"] == "unreachable"
    assert data["failure"] == {"class": "dns", "errno": socket.EAI_NONAME, "errno_name": "EAI_NONAME",
                               "curl_exit": 6}
    assert "ollama.invalid" in data["fix"]


def test_macos_no_route_to_a_lan_host_explains_local_network_privacy(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole path on Linux: the platform and the failed connect() are stand-ins, nothing is sent."""

    def no_route(target: Any, deadline: float) -> Any:
        failure = checker.classify(OSError(errno.EHOSTUNREACH, "No route to host"), "192.168.1.20")
        raise checker.RequestFailed(failure)

    monkeypatch.setattr(checker, "_connect", no_route)
    monkeypatch.setattr(checker.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(checker, "_macos_version", lambda: "15.3")
    monkeypatch.setattr(checker, "_same_subnet", lambda ip: True)
    for name in ("__CFBundleIdentifier", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM_PROGRAM", "vscode")
    code = checker.main(["192.168.1.20", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["verdict"] == "unreachable"
    assert data["failure"]["class"] == "no-route" and data["failure"]["errno_name"] == "EHOSTUNREACH"
    assert data["link"] == checker.DOCS_URL + GUIDE + "#local-network-privacy"
    assert "Privacy & Security > Local Network" in data["fix"] and "Visual Studio Code" in data["fix"]


# --- invalid addresses and bad arguments ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://x", "ftp:"),
        ("http://u:p@h", "user name or password"),
        ("http://", "no host"),
        ("http://h:99999", "out of range"),
        ("javascript:alert(1)", "javascript:"),
    ],
)
def test_invalid_url_exits_2_in_text_and_json(url: str, problem: str) -> None:
    text = run(url)
    proc, data = run_json(url)
    assert text.returncode == 2 and proc.returncode == 2
    assert "Verdict: invalid-url" in text.stdout and problem in text.stdout
    assert data["verdict"] == "invalid-url"
    assert data["url"] == url
    assert row(data, "url")["status"] == "fail" and problem in row(data, "url")["detail"]
    assert all(row(data, c)["status"] == "skip" for c in CHECK_IDS[1:])
    assert data["link"].endswith("#invalid-url")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "abc"], "'abc' is not a number of seconds"),
        (["--timeout", "-1"], "must be more than 0"),
        (["--timeout", "0"], "must be more than 0"),
        (["--timeout", "nan"], "must be more than 0"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["http://a:11434", "http://b:11434"], "give one URL, not 2"),
        (["--origin", "docs.test"], "is not an origin"),
        (["--model", " "], "--model needs a model name"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ollama_check.py: ") and message in lines[0], proc.stderr


def test_interrupt_exits_130_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(argv: Any = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(checker, "main", interrupted)
    with pytest.raises(SystemExit) as stopped:
        checker.entry()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == ""


def test_unexpected_error_is_one_line_unless_debugging(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    def broken(argv: Any = None) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(checker, "main", broken)
    monkeypatch.delenv("OLLAMA_CHECK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        checker.entry()
    err = capsys.readouterr().err
    assert stopped.value.code == 1
    assert err.count("\n") == 1 and "RuntimeError: boom" in err and "Traceback" not in err
    monkeypatch.setenv("OLLAMA_CHECK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        checker.entry()


# --- pure functions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "url", "port"),
    [
        ("localhost", "http://localhost:11434", 11434),
        ("  192.168.1.20  ", "http://192.168.1.20:11434", 11434),
        ("192.168.1.20:8080", "http://192.168.1.20:8080", 8080),
        ("localhost:11434/api/tags", "http://localhost:11434", 11434),
        ("ollama.lan", "http://ollama.lan:11434", 11434),
        ("http://localhost:11434/", "http://localhost:11434", 11434),
        ("http://localhost:11434/api/tags?x=1#top", "http://localhost:11434", 11434),
        ("HTTP://LocalHost:11434", "http://localhost:11434", 11434),
        ("http://example.com", "http://example.com", 80),  # a scheme without a port keeps the scheme's port
        ("https://ollama.example.com/", "https://ollama.example.com", 443),
        ("http://localhost:80", "http://localhost", 80),
        ("https://h:8443/x", "https://h:8443", 8443),
        ("[::1]", "http://[::1]:11434", 11434),
        ("http://[::1]:11434/api/version", "http://[::1]:11434", 11434),
        ("http://bücher.example:11434", "http://xn--bcher-kva.example:11434", 11434),
    ],
)
def test_url_normalisation(raw: str, url: str, port: int) -> None:
    target = checker.normalise_url(raw)
    assert (target.url, target.port) == (url, port)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("ftp://x", "ftp:"),
        ("file:///etc/passwd", "file:"),
        ("data:text/html,hi", "data:"),
        ("javascript:alert(1)", "javascript:"),
        ("http://u:p@h", "user name or password"),
        ("http://user@h:11434", "user name or password"),
        ("http://", "no host"),
        ("http://h:99999", "out of range"),
        ("http://h:0", "out of range"),
        ("http://h:abc", "not a number"),
        ("localhost:abc", "not a number"),
        ("http://[::1", "cannot read the host"),
        ("http://[zz::1]:11434", "IPv6"),
        ("http://exa mple.com", "not a valid host name"),
    ],
)
def test_invalid_urls_name_the_problem(raw: str, problem: str) -> None:
    with pytest.raises(checker.UrlError, match=re.escape(problem)):
        checker.normalise_url(raw)


@pytest.mark.parametrize(
    ("raw", "origin"),
    [
        ("http://docs.test:8000/checker/", "http://docs.test:8000"),
        ("HTTP://Docs.Test:80/", "http://docs.test"),
        ("https://example.com:443", "https://example.com"),
        ("http://[::1]:5173", "http://[::1]:5173"),
        ("app://obsidian.md", "app://obsidian.md"),
    ],
)
def test_origin_normalisation_matches_the_site(raw: str, origin: str) -> None:
    assert checker.normalise_origin(raw) == origin
    if raw.lower().startswith("http"):
        assert site_origins.normalise_origin(raw) == origin


@pytest.mark.parametrize(
    "origin",
    ["http://localhost", "http://localhost:3000", "https://127.0.0.1:8443", "http://0.0.0.0:5173",
     "app://obsidian.md", "vscode-webview://abc", "http://192.168.50.103:3000", "http://localhost.evil.test",
     "http://[::1]:5173", "null", "file:///index.html"],
)
def test_default_origin_matching_agrees_with_the_site_and_the_emulator(origin: str) -> None:
    expected = site_origins.is_admitted(origin, checker.DEFAULT_ORIGINS)
    assert checker.in_default_origins(origin) is expected
    assert OllamaEmulator().policy.admits(origin) is expected


def test_wildcard_rules() -> None:
    assert checker.origin_matches("anything", "*")
    assert checker.origin_matches("http://localhost:1", "http://localhost:*")
    assert not checker.origin_matches("http://localhost", "http://localhost:*")
    assert checker.origin_matches("chrome-extension://abc", "*://abc")
    assert not checker.origin_matches("http://a.test", "http://b.test")


def test_default_origins_are_ollamas_list_in_order() -> None:
    config = yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))
    assert list(checker.DEFAULT_ORIGINS) == config["ollama"]["default_origins"]
    assert list(checker.DEFAULT_ORIGINS) == default_origins()


def test_version_helpers() -> None:
    assert checker.parse_version("0.5.7-rc1") == (0, 5, 7)
    assert checker.parse_version("v0.3.0") == (0, 3, 0)
    assert checker.parse_version("dev") is None
    assert not checker.version_at_least((0, 1, 9), (0, 1, 45))
    assert checker.version_at_least((0, 1, 45), (0, 1, 45))
    assert checker.version_at_least((0, 2), (0, 1, 45))
    assert not checker.version_at_least((0, 1), (0, 1, 45))


def test_model_matching() -> None:
    installed = ["llama3.2:latest", "qwen2.5:7b"]
    assert checker.model_present("llama3.2", installed)
    assert checker.model_present("llama3.2:latest", installed)
    assert checker.model_present("Llama3.2", installed)  # Ollama compares names without case
    assert checker.model_present("qwen2.5:7b", installed)
    assert not checker.model_present("qwen2.5", installed)
    assert not checker.model_present("llama3.2:1b", installed)


@pytest.mark.parametrize(
    ("exc", "cls", "name"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "refused", "ECONNREFUSED"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "no-route", "EHOSTUNREACH"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "no-route", "ENETUNREACH"),
        (TimeoutError(errno.ETIMEDOUT, "Connection timed out"), "timed-out", "ETIMEDOUT"),
        (TimeoutError("timed out"), "timed-out", None),
        (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"), "reset", "ECONNRESET"),
        (http.client.RemoteDisconnected("Remote end closed connection without response"), "empty-reply", None),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "dns", "EAI_NONAME"),
    ],
)
def test_failure_classes(exc: BaseException, cls: str, name: str | None) -> None:
    failure = checker.classify(exc, "127.0.0.1")
    assert (failure.cls, failure.errno_name) == (cls, name)
    assert failure.as_json()["curl_exit"] == checker.CURL_EXIT[cls]


def test_network_failure_ids_match_the_site() -> None:
    config = yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))
    site = {item["id"]: item["curl_exit"] for item in config.get("network_failures", [])}
    assert site == checker.CURL_EXIT


def lnp(system: str = "Darwin", version: str = "15.1", err: int = errno.EHOSTUNREACH, ip: str = "192.168.1.20",
        same_subnet: bool = True, env: dict[str, str] | None = None) -> dict[str, str] | None:
    return checker.local_network_privacy(system, version, err, ip, same_subnet,
                                         {"TERM_PROGRAM": "vscode"} if env is None else env)


def test_local_network_privacy_on_macos_15_names_the_app_and_the_setting() -> None:
    found = lnp()
    assert found is not None
    assert found["app"] == "Visual Studio Code"
    assert "System Settings > Privacy & Security > Local Network" in found["fix"]
    assert "Visual Studio Code" in found["fix"] and "quit" in found["fix"]
    assert found["link"] == checker.DOCS_URL + GUIDE + "#local-network-privacy"
    assert lnp(version="26.0") is not None  # macOS Tahoe numbers its releases 26


@pytest.mark.parametrize(
    "case",
    [
        {"version": "14.6"},
        {"system": "Linux", "version": ""},
        {"system": "Windows", "version": ""},
        {"err": errno.ECONNREFUSED},
        {"err": errno.ENETUNREACH},
        {"same_subnet": False},
        {"ip": "127.0.0.1"},
        {"env": {"TERM_PROGRAM": "iTerm.app", "SSH_CONNECTION": "10.0.0.2 50000 10.0.0.3 22"}},
    ],
)
def test_local_network_privacy_does_not_apply(case: dict[str, Any]) -> None:
    assert lnp(**case) is None


@pytest.mark.parametrize(
    ("env", "app"),
    [
        ({"TERM_PROGRAM": "Apple_Terminal"}, "Terminal"),
        ({"TERM_PROGRAM": "iTerm.app"}, "iTerm2"),
        ({"TERM_PROGRAM": "WarpTerminal"}, "Warp"),
        ({"TERM_PROGRAM": "ghostty"}, "Ghostty"),
        ({"TERM_PROGRAM": "tmux"}, "the terminal app running tmux"),
        ({"TERM_PROGRAM": "tmux", "__CFBundleIdentifier": "com.googlecode.iterm2"},
         "the terminal app running tmux (iTerm2)"),
        ({"TERM_PROGRAM": "vscode", "__CFBundleIdentifier": "com.todesktop.230313mzl4w4u92"}, "Cursor"),
        ({"__CFBundleIdentifier": "org.example.Term"}, "the app org.example.Term"),
        ({}, "the app that started this terminal"),
    ],
)
def test_terminal_app_names(env: dict[str, str], app: str) -> None:
    assert checker.terminal_app(env) == app


def test_exit_status_per_verdict() -> None:
    assert {v: checker.exit_status(v) for v in checker.VERDICTS} == {
        v: 0 if v == "ok" else 2 if v == "invalid-url" else 1 for v in checker.VERDICTS}


def test_every_verdict_has_a_title_and_a_fix_and_a_place_in_the_precedence() -> None:
    assert set(checker.TITLES) == set(checker.FIXES) == set(checker.VERDICTS)
    assert set(checker.PRECEDENCE) == set(checker.VERDICTS) - {"mixed-content", "local-network-denied"}  # browser


def test_colour_only_on_a_tty_without_no_color() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    assert checker.use_colour(Tty(), {}) is True
    assert checker.use_colour(Tty(), {"NO_COLOR": "1"}) is False
    assert checker.use_colour(Tty(), {"TERM": "dumb"}) is False
    assert checker.use_colour(object(), {}) is False  # no isatty at all: a pipe or a file


# --- the file itself ------------------------------------------------------------------------------


def test_verdicts_equal_the_site_list() -> None:
    config = yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))
    assert tuple(v["id"] for v in config["verdicts"]) == checker.VERDICTS


def test_own_copies_equal_the_config() -> None:
    # The script must work once downloaded, so it carries copies; the build compares them too.
    found = script_constants(SCRIPT.read_text(encoding="utf-8"))
    for name, (_key, expected) in expected_constants(load_config(ROOT)).items():
        value = found[name]
        assert (tuple(value) if isinstance(value, list | tuple) else value) == expected, name
        assert getattr(checker, name) == value, name  # the literal is what the script runs with


def test_published_copy_links_to_the_site_it_came_from(tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shutil.copy(SCRIPT, downloads / SCRIPT.name)
    publish_script(tmp_path, "https://docs.example.org/markitup")
    proc, data = run_json("ftp://x", script=downloads / SCRIPT.name)
    assert data["link"] == "https://docs.example.org/markitup/" + GUIDE + "#invalid-url"
    assert proc.returncode == 2


def test_runs_isolated_with_the_standard_library_only() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    assert modules and modules <= set(sys.stdlib_module_names), modules - set(sys.stdlib_module_names)
    with OllamaEmulator() as emu:
        proc, data = run_json(emu.url, flags=("-I",))
    assert proc.returncode == 0 and data["verdict"] == "ok"


def test_source_is_python_3_9_syntax() -> None:
    ast.parse(SCRIPT.read_text(encoding="utf-8"), feature_version=(3, 9))
