"""The Ollama emulator itself, over real HTTP on loopback: CORS, Host guard, endpoints, streaming, modes."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ollama_emulator import (
    BAD_ORIGIN_MESSAGE,
    PREFLIGHT_HEADERS,
    PREFLIGHT_METHODS,
    EmulatorConfig,
    OllamaEmulator,
    OriginConfigError,
    OriginPolicy,
    default_origins,
    host_header_allowed,
    iter_ndjson,
    parse_origins_env,
)

EMULATOR_FILE = Path(__file__).with_name("ollama_emulator.py")


class Reply:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    payload: Any = None,
    timeout: float = 5,
) -> Reply:
    """One request through urllib; 4xx/5xx are returned, not raised."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def raw(port: int, request: bytes, timeout: float = 5) -> tuple[bytes, list[bytes]]:
    """Send bytes, read to EOF; return the head and, for a chunked reply, the chunks as sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    chunks: list[bytes] = []
    if b"transfer-encoding: chunked" in head.lower():
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            chunks.append(rest[:size])
            rest = rest[size + 2 :]
    else:
        chunks.append(rest)
    return head, chunks


def post_bytes(path: str, body: dict[str, Any], host: str = "127.0.0.1") -> bytes:
    data = json.dumps(body).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode() + data


@pytest.fixture
def emu() -> Iterator[OllamaEmulator]:
    with OllamaEmulator(chunk_delay=0.005) as emulator:
        yield emulator


# ------------------------------------------------------------------------------------------------
# Origins: parsing and validation


def test_default_origin_list_matches_ollama() -> None:
    assert default_origins() == [
        "http://localhost", "https://localhost", "http://localhost:*", "https://localhost:*",
        "http://127.0.0.1", "https://127.0.0.1", "http://127.0.0.1:*", "https://127.0.0.1:*",
        "http://0.0.0.0", "https://0.0.0.0", "http://0.0.0.0:*", "https://0.0.0.0:*",
        "app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*",
    ]


def test_origins_env_is_split_on_commas_without_trimming_the_pieces() -> None:
    assert parse_origins_env("") == []
    assert parse_origins_env("  'http://a.test,https://b.test'  ") == ["http://a.test", "https://b.test"]
    assert parse_origins_env("http://a.test, http://b.test") == ["http://a.test", " http://b.test"]
    assert parse_origins_env("http://a.test,") == ["http://a.test", ""]


@pytest.mark.parametrize("value", ["docs.test", "http://a.test, http://b.test", "http://a.test,", "null"])
def test_bad_origins_fail_at_startup_like_ollama(value: str) -> None:
    with pytest.raises(OriginConfigError) as caught:
        OllamaEmulator(extra_origins=parse_origins_env(value))
    assert str(caught.value) == BAD_ORIGIN_MESSAGE
    assert str(caught.value) == (
        "bad origin: origins must contain '*' or include "
        "http://,https://,chrome-extension://,safari-extension://,moz-extension://,ms-browser-extension://"
    )


def test_two_stars_in_one_origin_fail_at_startup() -> None:
    with pytest.raises(OriginConfigError, match=r"only one \* is allowed"):
        OriginPolicy(["http://*.example.test:*"])


def test_policy_decisions() -> None:
    policy = OriginPolicy()
    for admitted in ("http://localhost", "http://localhost:5173", "https://127.0.0.1:8443", "http://0.0.0.0:8000",
                     "app://x", "tauri://localhost", "vscode-webview://abc", "file://whatever"):
        assert policy.admits(admitted), admitted
    for refused in ("null", "http://docs.test:8000", "http://[::1]:5173", "http://localhost.evil.test",
                    "chrome-extension://abcdef", "https://example.org"):
        assert not policy.admits(refused), refused
    assert OriginPolicy(["https://*.example.org"]).admits("https://docs.example.org")
    assert OriginPolicy(["http://Docs.Test:8000 "]).admits("http://docs.test:8000")  # exact entries normalised
    with pytest.raises(OriginConfigError):
        OriginPolicy(["HTTP://docs.test:8000"])  # the scheme check is case-sensitive
    assert not OriginPolicy([" http://docs.test:*"]).admits("http://docs.test:8000")  # wildcards are not
    assert not OriginPolicy(["http://docs.test:8000/"]).admits("http://docs.test:8000")
    assert OriginPolicy(["*"]).admits("null")


# ------------------------------------------------------------------------------------------------
# CORS over HTTP


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:8000", "http://localhost",
                                    "https://0.0.0.0:1234"])
def test_admitted_origin_is_echoed(emu: OllamaEmulator, origin: str) -> None:
    reply = call(f"{emu.url}/api/version", headers={"Origin": origin})
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == origin
    assert reply.headers.get_all("Vary") == ["Origin"]


@pytest.mark.parametrize("path", ["/", "/api/version", "/api/tags", "/no/such/path"])
@pytest.mark.parametrize("origin", ["http://docs.test:8000", "null", "http://[::1]:5173"])
def test_refused_origin_gets_bare_403(emu: OllamaEmulator, path: str, origin: str) -> None:
    reply = call(f"{emu.url}{path}", headers={"Origin": origin})
    assert reply.status == 403
    assert reply.body == b""
    assert reply.headers["Content-Length"] == "0"
    assert not [name for name in reply.headers if name.lower().startswith("access-control-")]
    assert reply.headers.get("Vary") is None


def test_refused_post_gets_403_too(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "POST", {"Origin": "http://docs.test:8000"},
                 {"model": "llama3.2", "messages": []})
    assert (reply.status, reply.body) == (403, b"")


def test_request_without_origin_is_not_checked(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/version")
    assert reply.status == 200
    assert reply.headers.get("Access-Control-Allow-Origin") is None
    assert reply.headers.get("Vary") is None


def test_same_origin_as_host_is_not_checked() -> None:
    with OllamaEmulator(host_guard=False) as emu:
        reply = call(f"{emu.url}/api/version", headers={"Origin": "http://docs.test:8000", "Host": "docs.test:8000"})
    assert reply.status == 200
    assert reply.headers.get("Access-Control-Allow-Origin") is None


def test_preflight_admitted(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "OPTIONS", {
        "Origin": "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert reply.status == 204
    assert reply.body == b""
    assert reply.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert reply.headers["Access-Control-Allow-Methods"] == PREFLIGHT_METHODS
    assert reply.headers["Access-Control-Allow-Headers"] == PREFLIGHT_HEADERS
    assert "Content-Type" in reply.headers["Access-Control-Allow-Headers"].split(",")
    assert reply.headers["Access-Control-Max-Age"] == "43200"
    vary = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
    assert reply.headers.get_all("Vary") == vary
    assert emu.requests[-1].method == "OPTIONS"


def test_preflight_refused(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "OPTIONS", {
        "Origin": "http://docs.test:8000", "Access-Control-Request-Method": "POST",
    })
    assert (reply.status, reply.body) == (403, b"")
    assert reply.headers.get("Access-Control-Allow-Origin") is None


def test_extra_origins_extend_the_defaults() -> None:
    with OllamaEmulator(extra_origins=["http://docs.test:8000", "https://*.example.org"]) as emu:
        for origin in ("http://docs.test:8000", "https://docs.example.org", "http://localhost:5173"):
            reply = call(f"{emu.url}/api/tags", headers={"Origin": origin})
            assert reply.status == 200, origin
            assert reply.headers["Access-Control-Allow-Origin"] == origin
        assert call(f"{emu.url}/api/tags", headers={"Origin": "http://docs.test:9000"}).status == 403


def test_star_allows_every_origin_with_a_literal_star() -> None:
    with OllamaEmulator(extra_origins=["*"]) as emu:
        reply = call(f"{emu.url}/api/version", headers={"Origin": "null"})
        assert reply.status == 200
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        assert reply.headers.get("Vary") is None
        preflight = call(f"{emu.url}/api/chat", "OPTIONS", {"Origin": "http://any.test",
                                                             "Access-Control-Request-Method": "POST"})
        assert preflight.status == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == "*"


# ------------------------------------------------------------------------------------------------
# Host-header guard


@pytest.mark.parametrize("host", ["localhost:11434", "LOCALHOST", "127.0.0.1:11434", "[::1]:11434", "10.1.2.3",
                                  "192.168.1.20:11434", "0.0.0.0", "ollama.local", "box.internal:11434",
                                  "app.localhost", ""])
def test_host_guard_allows_local_names(host: str) -> None:
    assert host_header_allowed(host, "workstation")


@pytest.mark.parametrize("host", ["ollama.example.com", "8.8.8.8:11434", "[::1]", "docs.test:8000", "100.64.0.1"])
def test_host_guard_refuses_others(host: str) -> None:
    assert not host_header_allowed(host, "workstation")
    assert host_header_allowed("WorkStation:11434", "workstation")


def test_host_guard_over_http(emu: OllamaEmulator) -> None:
    refused = call(f"{emu.url}/api/version", headers={"Host": "ollama.example.com"})
    assert (refused.status, refused.body) == (403, b"")
    assert call(f"{emu.url}/api/version", headers={"Host": "localhost:11434"}).status == 200
    # An admitted Origin's headers are already set when the guard refuses (the guard runs after CORS).
    both = call(f"{emu.url}/api/version", headers={"Host": "ollama.example.com", "Origin": "http://localhost:3000"})
    assert both.status == 403
    assert both.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    # OPTIONS without Origin, allowed host name: the guard itself answers 204.
    assert call(f"{emu.url}/api/tags", "OPTIONS", {"Host": "localhost"}).status == 204


def test_host_guard_can_be_turned_off() -> None:
    with OllamaEmulator(host_guard=False) as emu:
        assert call(f"{emu.url}/api/version", headers={"Host": "ollama.example.com"}).status == 200


# ------------------------------------------------------------------------------------------------
# Endpoints


def test_root_get_and_head(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/")
    assert (reply.status, reply.body) == (200, b"Ollama is running")
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    head = call(f"{emu.url}/", "HEAD")
    assert (head.status, head.body) == (200, b"")
    assert head.headers["Content-Length"] == str(len("Ollama is running"))


def test_version() -> None:
    with OllamaEmulator(version="0.1.30") as emu:
        reply = call(f"{emu.url}/api/version")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply.json() == {"version": "0.1.30"}


def test_tags_shape() -> None:
    with OllamaEmulator(models=["llama3.2:latest", "qwen2.5:7b"]) as emu:
        models = call(f"{emu.url}/api/tags").json()["models"]
    assert [m["name"] for m in models] == ["llama3.2:latest", "qwen2.5:7b"]
    first = models[0]
    assert set(first) == {"name", "model", "modified_at", "size", "digest", "details"}
    assert first["model"] == first["name"]
    assert len(first["digest"]) == 64
    assert isinstance(first["size"], int)
    assert set(first["details"]) == {"parent_model", "format", "family", "families", "parameter_size",
                                     "quantization_level"}
    assert models[0]["modified_at"] > models[1]["modified_at"]  # newest first


def test_no_models_is_an_empty_list() -> None:
    with OllamaEmulator(models=[]) as emu:
        assert call(f"{emu.url}/api/tags").json() == {"models": []}


def test_huge_tags() -> None:
    with OllamaEmulator(huge_tags_bytes=2_000_000) as emu:
        reply = call(f"{emu.url}/api/tags")
    assert 2_000_000 <= len(reply.body) < 2_010_000
    models = reply.json()["models"]
    assert models[0]["name"] == "llama3.2:latest"
    assert len(models) > 1000


def test_unknown_path_and_wrong_method(emu: OllamaEmulator) -> None:
    missing = call(f"{emu.url}/api/nothing")
    assert (missing.status, missing.body) == (404, b"404 page not found")
    assert missing.headers["Content-Type"] == "text/plain"
    wrong = call(f"{emu.url}/api/chat")
    assert (wrong.status, wrong.body) == (405, b"405 method not allowed")
    assert wrong.headers["Allow"] == "POST"


def test_unclean_path_and_trailing_slash_redirect_without_cors(emu: OllamaEmulator) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    try:
        for path, status, location in (("//api/tags", 301, "/api/tags"), ("/api/tags/", 301, "/api/tags")):
            connection.request("GET", path, headers={"Origin": "http://localhost:5173"})
            response = connection.getresponse()
            response.read()
            assert (response.status, response.getheader("Location")) == (status, location)
            assert response.getheader("Access-Control-Allow-Origin") is None
        connection.request("POST", "/api/chat/", body=b"{}")
        response = connection.getresponse()
        response.read()
        assert (response.status, response.getheader("Location")) == (307, "/api/chat")
    finally:
        connection.close()


def test_chat_unknown_model(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "POST", payload={"model": "mistral", "messages": [{"role": "user",
                                                                                        "content": "hi"}]})
    assert reply.status == 404
    assert reply.json() == {"error": "model 'mistral' not found"}


def test_chat_request_errors(emu: OllamaEmulator) -> None:
    assert call(f"{emu.url}/api/chat", "POST", payload={"messages": []}).json() == {"error": "model is required"}
    empty = call(f"{emu.url}/api/chat", "POST", headers={"Content-Length": "0"}, payload=None)
    assert (empty.status, empty.json()) == (400, {"error": "missing request body"})


def test_chat_without_messages_loads_the_model(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "POST", payload={"model": "llama3.2", "messages": []})
    body = reply.json()
    assert (body["done"], body["done_reason"], body["message"]) == (True, "load", {"role": "assistant",
                                                                                  "content": ""})


def test_chat_not_streamed(emu: OllamaEmulator) -> None:
    reply = call(f"{emu.url}/api/chat", "POST", payload={
        "model": "LLAMA3.2", "stream": False, "messages": [{"role": "user", "content": "why is the sky blue?"}],
    })
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    body = reply.json()
    assert body["model"] == "LLAMA3.2"  # echoed as sent
    assert body["message"] == {"role": "assistant", "content": emu.config.reply}
    assert body["done"] is True and body["done_reason"] == "stop"
    assert body["eval_count"] == len(emu.config.reply.split())
    for key in ("total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_duration"):
        assert isinstance(body[key], int) and body[key] > 0, key
    assert body["created_at"].endswith("Z")


def test_chat_stream_splits_a_line_across_chunks(emu: OllamaEmulator) -> None:
    request = post_bytes("/api/chat", {"model": "llama3.2", "messages": [{"role": "user", "content": "hi"}]})
    head, chunks = raw(emu.port, request)
    assert head.startswith(b"HTTP/1.1 200")
    assert b"Content-Type: application/x-ndjson" in head
    assert chunks[0].count(b"\n") == 2  # two lines in the first write
    assert any(not chunk.endswith(b"\n") for chunk in chunks)  # a line cut across writes
    assert not any(b"\n" in chunk[:-1] for chunk in chunks[1:])
    objects = list(iter_ndjson(iter(chunks)))
    tokens = [o["message"]["content"] for o in objects if not o["done"]]
    assert "".join(tokens) == emu.config.reply
    assert len(tokens) == len(emu.config.reply.split())  # one word per line
    last = objects[-1]
    assert last["done"] is True and last["done_reason"] == "stop"
    assert last["eval_count"] == len(tokens)
    assert {"total_duration", "load_duration", "prompt_eval_count", "eval_duration"} <= set(last)
    with pytest.raises(json.JSONDecodeError):
        json.loads(chunks[-1])  # a client that parses each chunk on its own breaks here


def test_plain_chunking_is_one_line_per_write() -> None:
    with OllamaEmulator(chunking="plain", chunk_delay=0, reply="one two") as emu:
        _, chunks = raw(emu.port, post_bytes("/api/chat", {"model": "llama3.2", "messages": [{"content": "x"}]}))
    assert len(chunks) == 3
    assert all(chunk.endswith(b"\n") and chunk.count(b"\n") == 1 for chunk in chunks)


def test_stream_through_urllib_with_cors(emu: OllamaEmulator) -> None:
    request = urllib.request.Request(
        f"{emu.url}/api/chat",
        data=json.dumps({"model": "llama3.2:latest", "messages": [{"role": "user", "content": "hi"}]}).encode(),
        headers={"Origin": "http://localhost:8000", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
        objects = list(iter_ndjson(iter(lambda: response.read1(64), b"")))
    assert objects[-1]["done"] is True


def test_generate(emu: OllamaEmulator) -> None:
    _, chunks = raw(emu.port, post_bytes("/api/generate", {"model": "llama3.2", "prompt": "hello there"}))
    objects = list(iter_ndjson(iter(chunks)))
    assert "".join(o["response"] for o in objects) == emu.config.reply
    assert objects[-1]["done"] is True and objects[-1]["prompt_eval_count"] == 2
    assert isinstance(objects[-1]["context"], list)
    loaded = call(f"{emu.url}/api/generate", "POST", payload={"model": "llama3.2"}).json()
    assert loaded["done_reason"] == "load"


def test_show_and_pull(emu: OllamaEmulator) -> None:
    assert call(f"{emu.url}/api/show", "POST", payload={"model": "llama3.2"}).json()["details"]["format"] == "gguf"
    missing = call(f"{emu.url}/api/show", "POST", payload={"model": "phi3"})
    assert (missing.status, missing.json()) == (404, {"error": "model 'phi3' not found"})
    _, chunks = raw(emu.port, post_bytes("/api/pull", {"model": "phi3"}))
    statuses = [o["status"] for o in iter_ndjson(iter(chunks))]
    assert statuses[0] == "pulling manifest" and statuses[-1] == "success"
    assert call(f"{emu.url}/api/tags").json()["models"][0]["name"] == "phi3:latest"


def test_requests_are_recorded(emu: OllamaEmulator) -> None:
    call(f"{emu.url}/api/version", headers={"Origin": "http://localhost:5173", "X-Probe": "1"})
    call(f"{emu.url}/api/chat", "POST", payload={"model": "llama3.2", "messages": [], "stream": False})
    first, second = emu.requests
    assert (first.method, first.path, first.header("origin"), first.header("x-probe")) == (
        "GET", "/api/version", "http://localhost:5173", "1")
    assert (second.method, second.path, second.json()["model"]) == ("POST", "/api/chat", "llama3.2")
    emu.clear_requests()
    assert emu.requests == []


# ------------------------------------------------------------------------------------------------
# Modes, lifecycle, command line


def _emulator_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ollama-emulator-")]


def test_hang_mode_times_out_and_stops_cleanly() -> None:
    before = len(_emulator_threads())
    emu = OllamaEmulator(mode="hang").start()
    try:
        started = time.monotonic()
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            call(f"{emu.url}/api/version", timeout=0.5)
        assert 0.4 < time.monotonic() - started < 3
        assert emu.connections >= 1
        assert emu.requests == []
        # A client still waiting when the emulator stops gets its connection closed.
        sock = socket.create_connection(("127.0.0.1", emu.port), timeout=5)
        sock.sendall(b"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    finally:
        stopped_at = time.monotonic()
        emu.stop()
    assert time.monotonic() - stopped_at < 2
    assert sock.recv(1) == b""
    sock.close()
    assert len(_emulator_threads()) == before
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", emu.port), timeout=1).close()


def _threads_left(before: set[threading.Thread], wait: float = 2.0) -> list[threading.Thread]:
    deadline = time.monotonic() + wait
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.02)


def test_stop_closes_open_keepalive_connections() -> None:
    before = set(threading.enumerate())
    emu = OllamaEmulator().start()
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    connection.request("GET", "/api/version")
    assert connection.getresponse().read() == b'{"version":"' + emu.config.version.encode() + b'"}'
    emu.stop()  # the connection is still open (keep-alive) and its handler thread waits for a next request
    assert _threads_left(before) == []
    connection.close()


def test_stop_during_a_stream() -> None:
    before = set(threading.enumerate())
    emu = OllamaEmulator(chunk_delay=0.5, reply="a b c d e f g h").start()
    sock = socket.create_connection(("127.0.0.1", emu.port), timeout=5)
    sock.sendall(post_bytes("/api/chat", {"model": "llama3.2", "messages": [{"content": "x"}]}))
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    emu.stop()
    assert time.monotonic() - started < 2
    while sock.recv(65536):
        pass  # the stream ends early instead of hanging
    sock.close()
    assert _threads_left(before) == []


def test_not_ollama_mode() -> None:
    with OllamaEmulator(mode="not-ollama") as emu:
        for path in ("/", "/api/version", "/api/tags"):
            reply = call(f"{emu.url}{path}", headers={"Origin": "http://localhost:5173"})
            assert reply.status == 200
            assert reply.headers["Content-Type"].startswith("text/html")
            assert reply.body.lstrip().startswith(b"<!doctype html>")
            assert reply.headers.get("Access-Control-Allow-Origin") is None
            with pytest.raises(json.JSONDecodeError):
                reply.json()
    with OllamaEmulator(mode="not-ollama", not_ollama_cors=True) as emu:
        assert call(f"{emu.url}/api/version").headers["Access-Control-Allow-Origin"] == "*"


def test_config_object_and_overrides() -> None:
    config = EmulatorConfig(version="0.1.45", models=["a"])
    with OllamaEmulator(config, models=["b:1b"]) as emu:
        assert emu.url == f"http://127.0.0.1:{emu.port}"
        assert call(f"{emu.url}/api/version").json() == {"version": "0.1.45"}
        assert [m["name"] for m in call(f"{emu.url}/api/tags").json()["models"]] == ["b:1b"]
    assert config.models == ["a"]  # the caller's config is not changed


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.test"])
def test_only_loopback_can_be_bound(host: str) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        OllamaEmulator(host=host)


def test_ipv6_loopback() -> None:
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with OllamaEmulator(host="::1") as emu:
        assert emu.url.startswith("http://[::1]:")
        assert call(f"{emu.url}/api/version").status == 200


def test_command_line_runs_and_refuses_non_loopback() -> None:
    refused = subprocess.run([sys.executable, str(EMULATOR_FILE), "--host", "0.0.0.0"],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2
    assert "loopback only" in refused.stderr
    bad = subprocess.run([sys.executable, str(EMULATOR_FILE), "--port", "0", "--origins", "http://a.test, http://b"],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"panic: {BAD_ORIGIN_MESSAGE}"

    process = subprocess.Popen(
        [sys.executable, str(EMULATOR_FILE), "--port", "0", "--version", "0.1.30", "--models", "a,b",
         "--origins", "http://docs.test:8000", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), line
        url = line.split()[2]
        assert call(f"{url}/api/version").json() == {"version": "0.1.30"}
        assert [m["name"] for m in call(f"{url}/api/tags").json()["models"]] == ["a:latest", "b:latest"]
        admitted = call(f"{url}/api/tags", headers={"Origin": "http://docs.test:8000"})
        assert admitted.headers["Access-Control-Allow-Origin"] == "http://docs.test:8000"
    finally:
        process.terminate()  # SIGTERM: the emulator stops its server and exits 0
        returncode = process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert returncode == 0


# --- HTTP/1.0, as nginx's proxy_pass speaks to an upstream by default (Go net/http chunkWriter.writeHeader) ----


def post_bytes_http10(path: str, body: dict[str, Any], extra: str = "") -> bytes:
    data = json.dumps(body).encode()
    return (
        f"POST {path} HTTP/1.0\r\nHost: localhost:11434\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n{extra}\r\n"
    ).encode() + data


def timed_reads(port: int, request: bytes, timeout: float = 5) -> list[tuple[float, bytes]]:
    """Send bytes, then record when each piece arrives, until the server closes the connection."""
    arrivals: list[tuple[float, bytes]] = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        started = time.monotonic()
        while piece := sock.recv(65536):
            arrivals.append((time.monotonic() - started, piece))
    return arrivals


def test_http10_stream_is_unchunked_close_delimited_and_flushed_per_write() -> None:
    reply = "one two three four"
    with OllamaEmulator(chunking="plain", chunk_delay=0.15, reply=reply) as emu:
        request = post_bytes_http10("/api/chat", {"model": "llama3.2", "messages": [{"content": "x"}]})
        arrivals = timed_reads(emu.port, request)
    data = b"".join(piece for _, piece in arrivals)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.0 200 OK"
    names = {line.split(":", 1)[0].lower() for line in lines[1:]}
    assert "transfer-encoding" not in names and "content-length" not in names
    assert "connection" not in names  # Go deletes it and does not add "close" for a 1.0 request
    objects = [json.loads(line) for line in body.splitlines()]
    assert "".join(o["message"]["content"] for o in objects) == reply
    assert objects[-1]["done"] is True
    # Real time: the body came in several pieces spread over the stream, not in one piece at the end.
    body_times = [at for at, piece in arrivals if b"\"done\"" in piece]
    assert len(body_times) >= 4
    assert body_times[-1] - body_times[0] >= 0.4


def test_http10_reply_of_known_length_closes_unless_keep_alive() -> None:
    with OllamaEmulator() as emu:
        started = time.monotonic()
        head, chunks = raw(emu.port, b"GET /api/version HTTP/1.0\r\nHost: localhost\r\n\r\n")
        assert time.monotonic() - started < 2  # the server closed; raw() did not wait for its timeout
        assert head.startswith(b"HTTP/1.0 200 OK\r\n")
        assert b"content-length:" in head.lower() and b"connection:" not in head.lower()
        assert json.loads(chunks[0]) == {"version": emu.config.version}

        with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
            request = b"GET /api/version HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"
            for _ in range(2):  # the second request reuses the connection
                sock.sendall(request)
                reply = http.client.HTTPResponse(sock)
                reply.begin()
                assert reply.version == 10 and reply.status == 200
                assert reply.getheader("Connection") == "keep-alive"
                assert json.loads(reply.read()) == {"version": emu.config.version}


def test_http11_stream_stays_chunked() -> None:
    with OllamaEmulator(chunking="plain", chunk_delay=0) as emu:
        head, chunks = raw(emu.port, post_bytes("/api/chat", {"model": "llama3.2", "messages": [{"content": "x"}]}))
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    assert len(chunks) > 1
