"""The browser checker's time to a verdict in each emulator scenario, in Debian's Chromium.

Everything runs on loopback: the site on 127.0.0.1, the emulator on 127.0.0.1, and the name
docs.test mapped to 127.0.0.1 by Chromium's host resolver for the refused-origin case.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import ROOT, Stats, build

from ollama_emulator import OllamaEmulator

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu",
        "--no-first-run", "--disable-sync", "--host-resolver-rules=MAP *.test 127.0.0.1"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _site() -> Iterator[int]:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT, site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()


@contextmanager
def _closed_port() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


@contextmanager
def _emulator(**options: object) -> Iterator[str]:
    with OllamaEmulator(**options) as emulator:
        yield emulator.url


SCENARIOS: dict[str, tuple[str, Callable[[], object]]] = {
    # name: (page host, target factory)
    "healthy": ("127.0.0.1", partial(_emulator)),
    "refused": ("127.0.0.1", _closed_port),
    "hang (default timeout)": ("127.0.0.1", partial(_emulator, mode="hang")),
    "CORS-refused origin": ("docs.test", partial(_emulator)),
}


def measure(runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable:
        raise RuntimeError("no Chromium: install Debian's chromium or set CHROMIUM_PATH")
    results: dict[str, dict] = {}
    with _site() as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            for name, (host, target) in SCENARIOS.items():
                times, verdicts = [], set()
                with target() as url:  # type: ignore[attr-defined]
                    for _ in range(runs):
                        page = browser.new_page()
                        page.goto(f"http://{host}:{port}/checker/")
                        page.wait_for_selector("[data-ollama-checker][data-state=ready]")  # mounted
                        page.fill("[data-ollama-checker] input[name=url]", url)
                        start = time.perf_counter()
                        page.click("[data-ollama-checker] button[type=submit]")
                        page.wait_for_selector("[data-ollama-checker][data-state=done]", timeout=60_000)
                        times.append(time.perf_counter() - start)
                        verdicts.add(page.get_attribute("[data-ollama-checker]", "data-verdict"))
                        page.close()
                results[name] = {"runs_s": times, "verdicts": sorted(v or "" for v in verdicts)}
        finally:
            browser.close()
    summary = {
        f"Checker, {name} → {'/'.join(r['verdicts'])}": Stats(r["runs_s"]).fmt("ms", 1000, 0)
        for name, r in results.items()
    }
    return {"scenarios": results, "summary": summary}
