"""Time from saving providers.yml to the rebuilt page being served by `mkdocs serve`."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import Stats, copy_project, free_port, mkdocs_env


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait(url: str, text: str, limit: float = 60.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            if text in _get(url):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} never showed {text!r}")


def measure(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            page = f"http://127.0.0.1:{port}/reference/api/"
            _wait(page, "llama3.2")
            config = project / "providers.yml"
            original = config.read_text(encoding="utf-8")
            times = []
            for i in range(runs):
                marker = f"bench-model-{i}"
                time.sleep(1.0)  # let the watcher settle after the previous rebuild
                config.write_text(original.replace("default_model: llama3.2", f"default_model: {marker}"))
                times.append(_wait(page, marker))
        finally:
            server.terminate()
            server.wait(timeout=10)
    stats = Stats(times)
    return {"reload_s": times, "summary": {"Save providers.yml → rebuilt page served": stats.fmt()}}
