"""The terminal checker knows where it runs: WSL, a container, a proxy variable in the shell.

Each test builds the place in a temporary directory (the script reads its files under
OLLAMA_CHECK_ROOT), puts a fake `wslinfo` on PATH where WSL would have one, sets the variables,
and runs the script as a user would, against a refused loopback port or the Ollama emulator.
No real WSL or container is needed, and nothing leaves loopback.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from browser_support import unavailable
from conftest import ROOT
from ollama_emulator import OllamaEmulator

SCRIPT = ROOT / "docs" / "downloads" / "ollama_check.py"


def _load() -> ModuleType:
    # Its own module name, so this file and test_terminal_checker.py never share patched state.
    spec = importlib.util.spec_from_file_location("ollama_check_environment", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


checker = _load()


def free_port() -> int:
    """A loopback port nothing listens on: bound once to learn a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

WSL2_KERNEL = "5.15.167.4-microsoft-standard-WSL2"
# /proc/net/route with a default route via 172.30.96.1 (little-endian hex, as the kernel writes it).
ROUTES = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01601EAC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t00601EAC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty file system root; tests add the files that give a place away."""
    place = tmp_path / "root"
    place.mkdir()
    return place


def write(root: Path, path: str, text: str) -> None:
    file = root / path.lstrip("/")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def fake_wslinfo(tmp_path: Path, output: str, status: int = 0) -> str:
    """A directory for PATH holding a `wslinfo` that answers --networking-mode like WSL's."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    program = folder / "wslinfo"
    program.write_text(
        "#!/bin/sh\n"
        '[ "$1" = "--networking-mode" ] || { echo "unexpected: $*" >&2; exit 64; }\n'
        f"printf '%s' '{output}'\nexit {status}\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    return str(folder)


def run(*args: str, root: Path, env: dict[str, str] | None = None, path: str = "") -> tuple[str, dict[str, Any]]:
    """The script's text output and its --json report, run the same way twice."""
    base = {"PATH": os.pathsep.join(p for p in (path, "/usr/bin:/bin") if p), "NO_COLOR": "1",
            "OLLAMA_CHECK_ROOT": str(root), **(env or {})}
    text = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=30,
                          env=base, check=False)
    data = subprocess.run([sys.executable, str(SCRIPT), *args, "--json"], capture_output=True, text=True,
                          timeout=30, env=base, check=False)
    assert "Traceback" not in text.stderr + data.stderr, text.stderr + data.stderr
    return text.stdout, json.loads(data.stdout)


def refused_url(host: str = "127.0.0.1") -> str:
    return f"http://{host}:{free_port()}"


# --- WSL ----------------------------------------------------------------------------------------------


def test_wsl_distro_variable_alone_names_wsl2_and_both_ways_out(root: Path) -> None:
    text, data = run(refused_url("localhost"), root=root, env={"WSL_DISTRO_NAME": "Ubuntu"})
    assert data["verdict"] == "unreachable"
    assert data["failure"]["class"] == "refused"
    assert data["environment"]["wsl"] == {"evidence": ["WSL_DISTRO_NAME=Ubuntu"], "distro": "Ubuntu",
                                          "networking_mode": None, "host_address": None}
    assert data["link"].endswith("#wsl2")
    fix = data["fix"]
    assert "inside WSL2" in fix and "is the Linux VM, not Windows" in fix
    # Way out 1: mirrored networking, where it is set, on which Windows, and the restart.
    assert "networkingMode=mirrored" in fix and "[wsl2]" in fix and "%USERPROFILE%\\.wslconfig" in fix
    assert "Windows 11 22H2" in fix and "wsl --shutdown" in fix
    # Way out 2: NAT mode with Ollama listening beyond loopback, the firewall, and Windows' address.
    assert "OLLAMA_HOST=0.0.0.0:11434" in fix and "firewall" in fix and "ip route show" in fix
    # Without wslinfo the mode is not guessed, and the text says so.
    assert "networking mode not reported" in fix
    assert "Where:   WSL (WSL_DISTRO_NAME=Ubuntu); networking mode not reported (no wslinfo)" in text
    assert f"Fix:     {fix}" in text


def test_wsl_kernel_release_alone_is_enough(root: Path) -> None:
    write(root, "/proc/sys/kernel/osrelease", WSL2_KERNEL + "\n")
    _text, data = run(refused_url(), root=root)
    assert data["environment"]["wsl"]["evidence"] == [f"kernel {WSL2_KERNEL}"]
    assert data["environment"]["wsl"]["distro"] is None
    assert data["link"].endswith("#wsl2")


def test_an_ordinary_linux_kernel_is_not_wsl(root: Path) -> None:
    write(root, "/proc/sys/kernel/osrelease", "6.1.0-28-amd64\n")
    text, data = run(refused_url(), root=root)
    assert data["environment"] == {"wsl": None, "container": None, "proxy": None}
    assert data["link"].endswith("#unreachable")
    assert data["fix"].startswith("Nothing listens on port")
    assert "Where:" not in text and "Proxy:" not in text


def test_nat_mode_from_wslinfo_gives_windows_address_from_the_routes(root: Path, tmp_path: Path) -> None:
    write(root, "/proc/net/route", ROUTES)
    path = fake_wslinfo(tmp_path, "nat")
    text, data = run(refused_url("localhost"), root=root, env={"WSL_DISTRO_NAME": "Debian"}, path=path)
    wsl = data["environment"]["wsl"]
    assert wsl["networking_mode"] == "nat"
    assert wsl["host_address"] == "172.30.96.1"
    assert "networking mode nat, from wslinfo" in data["fix"]
    assert "http://172.30.96.1:11434" in data["fix"]
    assert "networking mode nat" in text


def test_mirrored_mode_says_nothing_listens_on_either_side(root: Path, tmp_path: Path) -> None:
    path = fake_wslinfo(tmp_path, "mirrored")
    url = refused_url()
    _text, data = run(url, root=root, env={"WSL_DISTRO_NAME": "Ubuntu"}, path=path)
    assert data["environment"]["wsl"]["networking_mode"] == "mirrored"
    assert "mirrored networking" in data["fix"] and "start Ollama" in data["fix"]
    assert f"http://127.0.0.1:{url.rsplit(':', 1)[1]}" in data["fix"]
    assert "wsl --shutdown" not in data["fix"]  # already mirrored: no need to switch
    assert data["link"].endswith("#wsl2")


def test_wsl1_shares_windows_network_so_no_wsl2_fix(root: Path, tmp_path: Path) -> None:
    path = fake_wslinfo(tmp_path, "wsl1")
    _text, data = run(refused_url(), root=root, env={"WSL_DISTRO_NAME": "Ubuntu"}, path=path)
    assert data["environment"]["wsl"]["networking_mode"] == "wsl1"
    assert data["link"].endswith("#unreachable")
    assert "WSL2" not in data["fix"]


@pytest.mark.parametrize(("output", "status"), [("", 1), ("something else", 0)])
def test_a_wslinfo_that_does_not_answer_leaves_the_mode_unguessed(root: Path, tmp_path: Path, output: str,
                                                                  status: int) -> None:
    path = fake_wslinfo(tmp_path, output, status)
    _text, data = run(refused_url(), root=root, env={"WSL_DISTRO_NAME": "Ubuntu"}, path=path)
    assert data["environment"]["wsl"]["networking_mode"] is None
    assert "networking mode not reported" in data["fix"]


def test_refused_at_windows_address_names_ollama_host_and_firewall(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # In-process with the connection replaced: 172.30.96.1 must not be dialled for real.
    write(root, "/proc/net/route", ROUTES)
    monkeypatch.setenv("OLLAMA_CHECK_ROOT", str(root))
    monkeypatch.setenv("WSL_DISTRO_NAME", "Ubuntu")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)

    def refused(target: Any, deadline: float) -> Any:
        raise checker.RequestFailed(checker.classify(ConnectionRefusedError(111, "Connection refused"), target.host))

    monkeypatch.setattr(checker, "_connect", refused)
    code = checker.main(["http://172.30.96.1:11434", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["link"].endswith("#wsl2")
    assert data["fix"].startswith("172.30.96.1 is Windows as seen from WSL")
    assert "OLLAMA_HOST=0.0.0.0:11434" in data["fix"] and "firewall" in data["fix"]


# --- containers ---------------------------------------------------------------------------------------


def test_dockerenv_makes_localhost_the_container(root: Path) -> None:
    write(root, "/.dockerenv", "")
    text, data = run(refused_url("localhost"), root=root)
    assert data["environment"]["container"] == {"evidence": "/.dockerenv"}
    assert data["link"].endswith("#docker")
    assert "localhost is the container itself" in data["fix"]
    assert "host.docker.internal" in data["fix"] and "--add-host=host.docker.internal:host-gateway" in data["fix"]
    assert "Where:   a container (/.dockerenv)" in text


def test_cgroup_of_process_one_gives_a_container_away(root: Path) -> None:
    write(root, "/proc/1/cgroup", "12:memory:/docker/0123abcd\n11:cpu:/docker/0123abcd\n")
    _text, data = run(refused_url(), root=root)
    assert data["environment"]["container"] == {"evidence": "/proc/1/cgroup (docker)"}
    assert data["link"].endswith("#docker")


def test_cgroup_v2_root_alone_is_not_a_container(root: Path) -> None:
    write(root, "/proc/1/cgroup", "0::/init.scope\n")
    _text, data = run(refused_url(), root=root)
    assert data["environment"]["container"] is None
    assert data["link"].endswith("#unreachable")


def test_container_inside_wsl_names_the_container_first(root: Path) -> None:
    write(root, "/.dockerenv", "")
    write(root, "/proc/sys/kernel/osrelease", WSL2_KERNEL)
    _text, data = run(refused_url(), root=root)
    assert data["environment"]["wsl"] is not None and data["environment"]["container"] is not None
    assert data["link"].endswith("#docker")


def test_a_container_does_not_change_a_healthy_answer(root: Path) -> None:
    write(root, "/.dockerenv", "")
    with OllamaEmulator() as emulator:
        _text, data = run(emulator.url, root=root)
    assert data["verdict"] == "ok"
    assert data["link"].endswith("#ok")


# --- a proxy in the shell -----------------------------------------------------------------------------


class _Counting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # a proxy would be asked for the absolute URL
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP proxy that records what it was asked for and answers 502."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Counting)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_a_proxy_variable_is_reported_and_not_used(root: Path) -> None:
    with recording_proxy() as (proxy, asked), OllamaEmulator() as emulator:
        text, data = run(emulator.url, root=root, env={"HTTP_PROXY": proxy})
        served = len(emulator.requests)
    assert data["verdict"] == "ok"
    assert asked == []  # the script went straight to Ollama, as Node's fetch does by default
    assert served == 4  # /api/version and /api/tags, once per run
    assert data["environment"]["proxy"] == {"variable": "HTTP_PROXY", "value": proxy, "applies": True,
                                            "exempted_by": None, "used_by_this_script": False,
                                            "node_use_env_proxy": False}
    line = next(line for line in text.splitlines() if line.startswith("Proxy:"))
    assert f"HTTP_PROXY={proxy} applies to this address" in line
    assert "connected directly" in line and "NODE_USE_ENV_PROXY=1" in line


def test_lower_case_proxy_variable_wins(root: Path) -> None:
    with OllamaEmulator() as emulator:
        _text, data = run(emulator.url, root=root,
                          env={"HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:8"})
    assert data["environment"]["proxy"]["variable"] == "http_proxy"
    assert data["environment"]["proxy"]["value"] == "http://127.0.0.1:8"


def test_no_proxy_exempts_the_address(root: Path) -> None:
    with OllamaEmulator() as emulator:
        text, data = run(emulator.url, root=root,
                         env={"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "localhost, 127.0.0.1"})
    proxy = data["environment"]["proxy"]
    assert proxy["applies"] is False and proxy["exempted_by"] == "127.0.0.1"
    assert "the NO_PROXY entry '127.0.0.1' exempts this address" in text


@pytest.mark.parametrize("switch", [{"NODE_USE_ENV_PROXY": "1"},
                                    {"NODE_OPTIONS": "--max-old-space-size=512 --use-env-proxy"}])
def test_node_use_env_proxy_warns_that_the_server_goes_another_way(root: Path, switch: dict[str, str]) -> None:
    with OllamaEmulator() as emulator:
        text, data = run(emulator.url, root=root, env={"HTTP_PROXY": "http://127.0.0.1:9", **switch})
    assert data["verdict"] == "ok"
    assert data["environment"]["proxy"]["node_use_env_proxy"] is True
    line = next(line for line in text.splitlines() if line.startswith("Proxy:"))
    assert "NODE_USE_ENV_PROXY is on" in line and "through that proxy" in line and line.endswith("#shell-proxy).")


def test_a_proxy_password_never_reaches_the_output(root: Path) -> None:
    with OllamaEmulator() as emulator:
        text, data = run(emulator.url, root=root, env={"HTTP_PROXY": "http://me:s3cret@127.0.0.1:9"})
    assert "s3cret" not in text and "s3cret" not in json.dumps(data)
    assert data["environment"]["proxy"]["value"] == "http://me:***@127.0.0.1:9"


def test_the_target_scheme_picks_the_variable() -> None:
    env = {"HTTP_PROXY": "http://127.0.0.1:8", "HTTPS_PROXY": "http://127.0.0.1:9"}
    secure = checker.proxy_for(checker.normalise_url("https://ollama.example.test"), env)
    plain = checker.proxy_for(checker.normalise_url("http://ollama.example.test"), env)
    assert secure is not None and secure.variable == "HTTPS_PROXY"
    assert plain is not None and plain.variable == "HTTP_PROXY"
    assert checker.proxy_for(checker.normalise_url("http://ollama.example.test"), {"HTTPS_PROXY": "x"}) is None


@pytest.mark.parametrize(("no_proxy", "host", "port", "entry"), [
    ("*", "anything.test", 80, "*"),
    ("example.test", "example.test", 11434, "example.test"),
    ("example.test", "sub.example.test", 11434, None),  # an exact name matches only itself
    (".example.test", "sub.example.test", 11434, ".example.test"),
    ("*.example.test", "sub.example.test", 11434, "*.example.test"),
    ("ollama.test:11434", "ollama.test", 11434, "ollama.test:11434"),
    ("ollama.test:8080", "ollama.test", 11434, None),
    ("127.0.0.1-127.0.0.9", "127.0.0.5", 11434, "127.0.0.1-127.0.0.9"),
    ("127.0.0.1-127.0.0.9", "127.0.0.10", 11434, None),
    ("[::1]:11434", "::1", 11434, "[::1]:11434"),
    ("LOCALHOST", "localhost", 11434, "LOCALHOST"),
    ("", "localhost", 11434, None),
])
def test_no_proxy_entries_follow_nodes_documented_forms(no_proxy: str, host: str, port: int,
                                                        entry: str | None) -> None:
    assert checker.no_proxy_entry(host, port, no_proxy) == entry


# --- what the page says about Node's fetch and Python's urllib, measured here -------------------------


def _node_version(node: str) -> tuple[int, ...]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    return tuple(int(n) for n in re.findall(r"\d+", out)[:3])


def _honours_env_proxy(version: tuple[int, ...]) -> bool:
    """Node's docs: fetch reads the proxy variables under NODE_USE_ENV_PROXY=1 from 24.0.0 and 22.21.0."""
    return version >= (24, 0, 0) or (22, 21, 0) <= version < (23, 0, 0)


def _fetch_via(command: list[str], url: str, proxy: str, extra: dict[str, str] | None = None) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HTTP_PROXY": proxy, **(extra or {})}
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=60, env=env, check=False)
    return result.stdout.strip() or result.stderr.strip()


def test_node_fetch_and_python_urllib_read_proxy_variables_as_documented() -> None:
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed (scripts/test installs Debian's nodejs)")
    fetch = [node, "-e", "fetch(process.argv[1]).then(r => r.text()).then(t => console.log(t))"]
    urllib = [sys.executable, "-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read()"
              ".decode() or 'empty')"]
    with recording_proxy() as (proxy, asked), OllamaEmulator() as emulator:
        url = emulator.url + "/api/version"
        plain = _fetch_via(fetch, url, proxy)
        switched = _fetch_via(fetch, url, proxy, {"NODE_USE_ENV_PROXY": "1"})
        through_python = _fetch_via(urllib, url, proxy)
    assert '"version"' in plain  # Node's fetch never uses HTTP_PROXY on its own
    if _honours_env_proxy(_node_version(node)):
        assert '"version"' not in switched
    else:
        assert '"version"' in switched  # this Node predates NODE_USE_ENV_PROXY
    assert '"version"' not in through_python  # urllib asked the proxy, which answered 502
    assert any(request.startswith(emulator.url) for request in asked)
