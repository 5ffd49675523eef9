"""Lighthouse audit of the home and checker pages, with Debian's Chromium.

Lighthouse comes from the npm registry (`npm i -E lighthouse@12.2.3` into bench/node_modules)
and runs on the machine's Node; CHROME_PATH points it at Chromium. A benchmark, not a gate.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import ROOT, build

HERE = Path(__file__).resolve().parent
VERSION = "12.2.3"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class _Gzip(SimpleHTTPRequestHandler):
    """A static server that compresses text as GitHub Pages, nginx or any CDN would.

    Python's own http.server sends everything uncompressed, which no real host does and which
    Lighthouse's throttled network would charge in full.
    """

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in self.TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)


def install() -> None:
    if not CLI.exists():
        subprocess.run(["npm", "i", "-E", "--no-audit", "--no-fund", "--prefix", str(HERE), f"lighthouse@{VERSION}"],
                       check=True, capture_output=True)


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("no Chromium: install Debian's chromium or set CHROMIUM_PATH")
    return path


def audit(url: str) -> dict[str, int]:
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    result = subprocess.run(
        ["node", str(CLI), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": chromium()}, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failed = [
        audit["title"] for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    metrics = {key: report["audits"][key]["displayValue"] for key in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    return {**scores, "failed_audits": failed, "metrics": metrics}


def measure() -> dict:
    install()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT, site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Gzip, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            results = {"home": audit(base), "checker": audit(base + "checker/")}
        finally:
            server.shutdown()
    summary = {}
    for page, scores in results.items():
        parts = [f"{name} {scores[name]}" + ("" if scores[name] >= TARGETS[name] else f" (target {TARGETS[name]})")
                 for name in CATEGORIES]
        metrics = scores["metrics"]
        summary[f"Lighthouse, {page}"] = ", ".join(parts) + (
            f"; FCP {metrics['first-contentful-paint']}, LCP {metrics['largest-contentful-paint']}, "
            f"TBT {metrics['total-blocking-time']}, CLS {metrics['cumulative-layout-shift']}"
        )
    return {"scores": results, "summary": summary}
