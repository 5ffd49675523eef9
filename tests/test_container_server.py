"""The container's web server, without Docker: Debian's caddy, hosting/serve-site and hosting/Caddyfile on loopback.

The same files the Dockerfile copies serve a fresh build, as the container would: compressed text, the site's
Content-Security-Policy (equal to every page's <meta>) with nosniff and a referrer policy on every response,
the theme's 404 page, and the site working in Chromium through it with no policy violation.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from browser_support import assert_checker_streams_a_reply
from conftest import ROOT, run_build
from container_server import SERVE_SITE, ServerError, serve_site

pytest_plugins = ("browser_support",)

META = '<meta http-equiv="Content-Security-Policy" content="'


@dataclass(frozen=True)
class Served:
    base: str
    site: Path
    policy: str


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Any
    body: bytes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, gzip_ok: bool = False) -> Reply:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from browser_support import unavailable  # after pytest_plugins has loaded it, so pytest rewrites its asserts

    if shutil.which("caddy") is None:
        unavailable("no caddy: install Debian's caddy package (scripts/test does)")
    tmp = tmp_path_factory.mktemp("caddy")
    port = free_port()
    policy_file = tmp / "content-security-policy.txt"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_CSP_FILE", str(policy_file))
        # The real address, as the container's SITE_URL build argument gives it.
        build = run_build(ROOT, tmp / "site", site_url=f"http://127.0.0.1:{port}/")
    assert build.returncode == 0, build.output
    try:
        with serve_site(build.site, policy_file, port, tmp / "state") as base:
            yield Served(base, build.site, policy_file.read_text(encoding="utf-8").strip())
    except ServerError as error:
        pytest.fail(str(error))


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def largest(site: Path, folder: str) -> str:
    """The largest file in a folder of the site, as a site path."""
    return max((f for f in site_files(site) if f.startswith(folder)), key=lambda f: (site / f).stat().st_size)


def url_path(file: str) -> str:
    return file.removesuffix("index.html")


# -- over HTTP ---------------------------------------------------------------------------------------------


def test_text_is_gzip_compressed_for_clients_that_accept_it(served: Served) -> None:
    files = site_files(served.site)
    text = ["index.html", "checker/index.html", "search/search_index.json", "sitemap.xml",
            next(f for f in files if f.startswith("assets/stylesheets/main.") and f.endswith(".css")),
            next(f for f in files if f.startswith("assets/javascripts/bundle.") and f.endswith(".js")),
            "stylesheets/site.css",
            largest(served.site, "javascripts/checker/")]
    # Caddy leaves responses under 512 bytes uncompressed, as gzip would hardly shrink them.
    for file in text:
        original = (served.site / file).read_bytes()
        compressed = get(served.base + url_path(file), gzip_ok=True)
        assert compressed.status == 200, file
        assert compressed.headers["Content-Encoding"] == "gzip", file
        assert "Accept-Encoding" in compressed.headers.get("Vary", ""), file
        assert gzip.decompress(compressed.body) == original, file
        assert len(compressed.body) < len(original), file
        plain = get(served.base + url_path(file))
        assert plain.headers["Content-Encoding"] is None and plain.body == original, file


def test_every_response_carries_the_policy_and_security_headers(served: Served) -> None:
    files = site_files(served.site)
    assert len(files) > 30
    assert served.policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    for file in files:
        reply = get(served.base + url_path(file), gzip_ok=True)
        assert reply.status == 200, file
        assert reply.headers.get_all("Content-Security-Policy") == [served.policy], file
        assert reply.headers["X-Content-Type-Options"] == "nosniff", file
        assert reply.headers["Referrer-Policy"] == "no-referrer", file


def test_header_policy_is_the_meta_policy_of_every_page(served: Served) -> None:
    pages = [f for f in site_files(served.site) if f.endswith(".html")]
    assert len(pages) >= 11
    for file in pages:
        reply = get(served.base + url_path(file))
        html = reply.body.decode("utf-8")
        meta = html.split(META, 1)[1].split('"', 1)[0]
        assert meta == reply.headers["Content-Security-Policy"], file


def test_types_are_exact_because_nosniff_trusts_them(served: Served) -> None:
    """With nosniff a browser refuses a script or stylesheet served under another type."""
    expected = {"javascripts/checker/main.js": "text/javascript", "stylesheets/site.css": "text/css",
                "": "text/html", "search/search_index.json": "application/json", "assets/favicon.svg": "image/svg+xml"}
    for path, media_type in expected.items():
        assert get(served.base + path).headers["Content-Type"].split(";")[0] == media_type, path


def test_missing_page_is_the_themes_404_with_status_and_headers(served: Served) -> None:
    reply = get(served.base + "no/such/page/", gzip_ok=True)
    assert reply.status == 404
    assert gzip.decompress(reply.body) == (served.site / "404.html").read_bytes()
    assert reply.headers["Content-Security-Policy"] == served.policy
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "no-referrer"


def test_serve_site_refuses_to_start_without_a_policy(tmp_path: Path, served: Served) -> None:
    empty = tmp_path / "policy.txt"
    empty.write_text("", encoding="utf-8")
    result = subprocess.run([str(SERVE_SITE), str(served.site), str(empty), "127.0.0.1:1"],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert f"no Content-Security-Policy in {empty}" in result.stderr and "SITE_CSP_FILE" in result.stderr
    result = subprocess.run([str(SERVE_SITE), str(tmp_path)], capture_output=True, text=True, timeout=10)
    assert result.returncode == 2 and "usage:" in result.stderr


# -- in Chromium -------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_site_works_through_the_server_with_no_policy_violation(page: Any, served: Served) -> None:
    """Header and <meta> policies both in force: search (its worker is under the header policy too),
    instant navigation to the checker, and the checker's streamed reply test."""
    response = page.goto(served.base)
    assert response.headers["content-security-policy"] == served.policy
    assert response.headers["content-encoding"] == "gzip"
    page.click("input.md-search__input")
    page.keyboard.type("OLLAMA_ORIGINS")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    page.keyboard.press("Escape")
    page.evaluate("window.__sameDocument = true")
    page.locator("a[href$='checker/']:visible").first.click()
    page.wait_for_url(served.base + "checker/")
    page.wait_for_function("document.querySelector('[data-ollama-checker] input[name=url]')?.value")
    assert page.evaluate("window.__sameDocument") is True
    assert_checker_streams_a_reply(page)
