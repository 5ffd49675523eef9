"""Lighthouse audit of the home and checker pages, with Debian's Chromium, served as the container serves them.

Lighthouse comes from the npm registry (`npm i -E lighthouse@12.2.3` into bench/node_modules)
and runs on the machine's Node; CHROME_PATH points it at Chromium. The site is built with its
Content-Security-Policy written out (SITE_CSP_FILE) and served by Debian's caddy with the
container's own hosting/Caddyfile (gzip, the policy as a header), through hosting/serve-site.
A benchmark, not a gate.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, free_port, mkdocs_env

from container_server import serve_site

HERE = Path(__file__).resolve().parent
VERSION = "12.2.3"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


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


def build_for_server(site: Path, policy_file: Path, base: str) -> None:
    """A strict build for `base`, writing the policy the server sends as a header, as the container's build does."""
    env = {**mkdocs_env(), "SITE_URL": base, "SITE_CSP_FILE": str(policy_file)}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"build failed:\n{result.stdout}{result.stderr}")


def measure() -> dict:
    install()
    if shutil.which("caddy") is None:
        raise RuntimeError("no caddy: install Debian's caddy package (./scripts/test does)")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        site, policy_file = Path(tmp) / "site", Path(tmp) / "content-security-policy.txt"
        build_for_server(site, policy_file, f"http://127.0.0.1:{port}/")
        with serve_site(site, policy_file, port, Path(tmp) / "caddy") as base:
            results = {"home": audit(base), "checker": audit(base + "checker/")}
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
