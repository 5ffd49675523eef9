"""`mkdocs serve` rebuilds when providers.yml or macros/ change, as a writer would see on reload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in fetch(url):
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base, "MarkItUp"), "mkdocs serve did not come up"
        yield project, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_config_edit_reaches_the_served_page(served: tuple[Path, str]) -> None:
    project, base = served
    page = base + "reference/api/"
    assert "granite-served-model" not in fetch(page)
    config = project / "providers.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("default_model: llama3.2", "default_model: granite-served-model"))
    assert wait_for(page, "granite-served-model"), "the page did not change after providers.yml was saved"


def test_macro_edit_reaches_the_served_page(served: tuple[Path, str]) -> None:
    project, base = served
    page = base + "reference/api/"
    module = project / "macros" / "tables.py"
    module.write_text(module.read_text(encoding="utf-8").replace('"Default base URL"', '"Default base address"'))
    assert wait_for(page, "Default base address"), "the page did not change after macros/ was edited"


def test_served_pages_let_the_live_reload_script_run(served: tuple[Path, str]) -> None:
    """mkdocs serve injects an inline script with a timestamp, which no hash can allow: there the policy allows
    inline scripts (a built site lists hashes instead; see test_content_security_policy.py)."""
    _, base = served
    html = fetch(base)
    assert "livereload(" in html  # the injected script is there...
    policy = html.split('<meta http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    script_sources = next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "script-src")
    assert script_sources == ["'self'", "'unsafe-inline'"]  # ...and allowed
    assert "'unsafe-eval'" not in policy and "object-src 'none'" in policy
