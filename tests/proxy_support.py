"""Debian's nginx and Caddy on loopback, running the configurations that the "Reach Ollama over https" page shows.

The files in docs/downloads/proxies/ are used as they are, with only these swapped, each found exactly once:
the listening port (nginx `listen 443 ssl;`; Caddy gets its https port from a global options block, since the
reader's file has none), the certificate paths (a throwaway CA from trustme), and Ollama's port in the upstream
address (the emulator listens on a free port). The test variants ("passes the Host on", "buffering left on")
are further single, named edits of the same files. Everything binds 127.0.0.1; pid files, logs and Caddy's
storage live in a temporary directory, and Caddy's admin endpoint is off.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from project import ROOT

PROXIES = ROOT / "docs" / "downloads" / "proxies"
NGINX_CONF = PROXIES / "ollama-nginx.conf"
CADDYFILE = PROXIES / "Caddyfile"
NAME = "ollama.lan"  # the name the page uses; not one Ollama's Host guard admits

# What the page's files say, and what the tests swap it for.
NGINX_LISTEN = "listen 443 ssl;"
NGINX_CERT = "/etc/ssl/certs/ollama.lan.pem"
NGINX_KEY = "/etc/ssl/private/ollama.lan.key"
NGINX_UPSTREAM = "proxy_pass http://127.0.0.1:11434;"
NGINX_HOST_FIX = "proxy_set_header Host localhost:11434;"
NGINX_NO_BUFFERING = "        proxy_buffering off;\n"
CADDY_TLS = "tls /etc/caddy/ollama.lan.pem /etc/caddy/ollama.lan.key"
CADDY_UPSTREAM = "reverse_proxy 127.0.0.1:11434 {"
CADDY_HOST_FIX = "        header_up Host {upstream_hostport}\n"
NGINX_ALLOW_LOOPBACK = "    allow 127.0.0.0/8;\n"
CADDY_ALLOW_LOOPBACK = "not remote_ip 127.0.0.0/8 ::1\n"

# Variants: the documented file; one documented mistake made in it; or loopback taken off the allowed list, so
# that this machine stands for an address outside the LAN.
VARIANTS = ("documented", "passes-host", "buffered", "outsider")


def replace_once(text: str, old: str, new: str, source: Path) -> str:
    """Swap one marked string; a file that no longer has it exactly once fails the test, naming the string."""
    count = text.count(old)
    assert count == 1, f"{source.name}: expected {old!r} exactly once, found it {count} times"
    return text.replace(old, new)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Certificate:
    ca: Path  # PEM of the throwaway CA, for clients to trust
    chain: Path  # server certificate and chain, PEM
    key: Path

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))


def make_certificate(directory: Path) -> Certificate:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    leaf = ca.issue_cert(NAME, "localhost", "127.0.0.1")
    certificate = Certificate(directory / "ca.pem", directory / "chain.pem", directory / "key.pem")
    ca.cert_pem.write_to_path(str(certificate.ca))
    certificate.chain.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(str(certificate.key))
    return certificate


def nginx_site(variant: str, port: int, upstream: int, certificate: Certificate) -> str:
    text = NGINX_CONF.read_text(encoding="utf-8")
    text = replace_once(text, NGINX_LISTEN, f"listen 127.0.0.1:{port} ssl;", NGINX_CONF)
    text = replace_once(text, NGINX_CERT, str(certificate.chain), NGINX_CONF)
    text = replace_once(text, NGINX_KEY, str(certificate.key), NGINX_CONF)
    text = replace_once(text, NGINX_UPSTREAM, f"proxy_pass http://127.0.0.1:{upstream};", NGINX_CONF)
    if variant == "passes-host":
        text = replace_once(text, NGINX_HOST_FIX, "proxy_set_header Host $host;", NGINX_CONF)
    elif variant == "buffered":  # Ollama's FAQ block: the Host fix, buffering left at nginx's default
        text = replace_once(text, NGINX_NO_BUFFERING, "", NGINX_CONF)
    elif variant == "outsider":
        text = replace_once(text, NGINX_ALLOW_LOOPBACK, "", NGINX_CONF)
    return text


def caddy_site(variant: str, upstream: int, certificate: Certificate) -> str:
    text = CADDYFILE.read_text(encoding="utf-8")
    text = replace_once(text, CADDY_TLS, f"tls {certificate.chain} {certificate.key}", CADDYFILE)
    text = replace_once(text, CADDY_UPSTREAM, f"reverse_proxy 127.0.0.1:{upstream} {{", CADDYFILE)
    if variant == "passes-host":  # Caddy's default: the visitor's Host goes through
        text = replace_once(text, CADDY_HOST_FIX, "", CADDYFILE)
    elif variant == "buffered":
        raise ValueError("Caddy has no buffering setting in the page's file")
    elif variant == "outsider":
        text = replace_once(text, CADDY_ALLOW_LOOPBACK, "not remote_ip 203.0.113.0/24\n", CADDYFILE)
    return text


@dataclass(frozen=True)
class RunningProxy:
    kind: str
    port: int
    certificate: Certificate

    @property
    def url(self) -> str:
        return f"https://{NAME}:{self.port}"


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        from browser_support import unavailable  # here, so that pytest loads browser_support as a plugin first

        unavailable(f"{name} is not installed (scripts/test installs Debian's nginx-light and caddy)")
    assert found is not None
    return found


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"proxy exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"proxy did not listen on 127.0.0.1:{port} within {timeout} s:\n{log.read_text()}")


@contextlib.contextmanager
def _process(command: list[str], port: int, log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for_port(port, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def nginx(directory: Path, variant: str, upstream: int) -> Iterator[RunningProxy]:
    """nginx -p PREFIX -c CONF -e LOG -g 'daemon off;', the page's server block included from the http block."""
    binary = _binary("nginx")
    directory.mkdir(parents=True, exist_ok=True)
    certificate = make_certificate(directory)
    port = free_port()
    site = directory / "ollama-nginx.conf"
    site.write_text(nginx_site(variant, port, upstream, certificate), encoding="utf-8")
    temp = {name: directory / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    main = directory / "nginx.conf"
    main.write_text(
        f"pid {directory / 'nginx.pid'};\n"
        "worker_processes 1;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    access_log off;\n"
        f"    client_body_temp_path {temp['client_body']};\n"
        f"    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n"
        f"    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        f"    include {site};\n"
        "}\n",
        encoding="utf-8",
    )
    log = directory / "error.log"
    command = [binary, "-p", f"{directory}/", "-c", str(main), "-e", str(log), "-g", "daemon off;"]
    with _process(command, port, directory / "stdout.log"):
        yield RunningProxy("nginx", port, certificate)


@contextlib.contextmanager
def caddy(directory: Path, variant: str, upstream: int) -> Iterator[RunningProxy]:
    """caddy run --config X --adapter caddyfile: global options (admin off, loopback, free ports), then the page's
    file imported unchanged but for the certificate paths and the upstream port."""
    binary = _binary("caddy")
    directory.mkdir(parents=True, exist_ok=True)
    certificate = make_certificate(directory)
    port = free_port()
    site = directory / "Caddyfile.site"
    site.write_text(caddy_site(variant, upstream, certificate), encoding="utf-8")
    main = directory / "Caddyfile"
    main.write_text(
        "{\n"
        "\tadmin off\n"
        "\tdefault_bind 127.0.0.1\n"
        f"\thttp_port {free_port()}\n"
        f"\thttps_port {port}\n"
        "\tauto_https disable_redirects\n"
        "\tskip_install_trust\n"
        f"\tstorage file_system {directory / 'data'}\n"
        "}\n"
        f"import {site}\n",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(directory), "XDG_DATA_HOME": str(directory / "xdg-data"),
           "XDG_CONFIG_HOME": str(directory / "xdg-config")}
    command = [binary, "run", "--config", str(main), "--adapter", "caddyfile"]
    with _process(command, port, directory / "caddy.log", env):
        yield RunningProxy("caddy", port, certificate)


@contextlib.contextmanager
def proxy(kind: str, directory: Path, variant: str, upstream: int) -> Iterator[RunningProxy]:
    starter = {"nginx": nginx, "caddy": caddy}[kind]
    with starter(directory, variant, upstream) as running:
        yield running


def https_lines(running: RunningProxy, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 20) -> tuple[int, list[tuple[float, bytes]]]:
    """One request through the proxy as a client on the LAN would send it (Host: ollama.lan:PORT, TLS checked
    against the throwaway CA); returns the status and each body line with the seconds after the request when it
    arrived."""
    context = running.certificate.client_context()
    raw = socket.create_connection(("127.0.0.1", running.port), timeout=timeout)
    with raw, context.wrap_socket(raw, server_hostname=NAME) as sock:
        head = [f"{method} {path} HTTP/1.1", f"Host: {NAME}:{running.port}", "Connection: close"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        started = time.monotonic()
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
        reader = sock.makefile("rb")
        status = int(reader.readline().split()[1])
        chunked = False
        while (line := reader.readline()) not in (b"\r\n", b""):
            chunked = chunked or line.lower().replace(b" ", b"") == b"transfer-encoding:chunked\r\n"
        return status, list(_timed_lines(reader, chunked, started))


def _timed_lines(reader: object, chunked: bool, started: float) -> Iterator[tuple[float, bytes]]:
    """Body lines as they arrive, from a chunked or a close-delimited body."""
    buffer = b""
    while True:
        if chunked:
            size = int(reader.readline().split(b";")[0].strip() or b"0", 16)  # type: ignore[attr-defined]
            piece = reader.read(size) if size else b""  # type: ignore[attr-defined]
            if size:
                reader.readline()  # type: ignore[attr-defined]
        else:
            piece = reader.read1(65536)  # type: ignore[attr-defined]
        if not piece:
            break
        buffer += piece
        *lines, buffer = buffer.split(b"\n")
        now = time.monotonic() - started
        yield from ((now, line) for line in lines if line.strip())
    if buffer.strip():
        yield time.monotonic() - started, buffer
