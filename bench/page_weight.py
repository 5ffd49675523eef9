"""Bytes each built page transfers: HTML, CSS and JS apart, raw and gzip-compressed.

Counts what a first visit loads: the page, the stylesheets and scripts it links, and the ES
modules those scripts import. Material's search index is fetched when the search box is used
and is reported on its own line.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT, build

from html_support import loaded_resources

STATIC_IMPORT = re.compile(r"""(?:import|export)\s[^"']*?from\s*["'](\.{1,2}/[^"']+)["']""")
# The checker's entry imports the rest only on a page that has the checker.
DYNAMIC_IMPORT = re.compile(r"""import\(\s*["'](\.{1,2}/[^"']+)["']""")
CHECKER_JS = ROOT / "docs" / "javascripts" / "checker"
# The budget for all checker modules, each gzip-compressed on its own as a host serves it, summed.
CHECKER_JS_GZIP_BUDGET = 10 * 1024


def checker_js_sizes() -> tuple[int, int, int]:
    """(modules, raw bytes, gzip bytes) of docs/javascripts/checker/*.js, each module compressed on its own."""
    modules = [path.read_bytes() for path in sorted(CHECKER_JS.glob("*.js"))]
    return len(modules), sum(map(len, modules)), sum(len(gzip.compress(data, 9)) for data in modules)


def _local(site: Path, page: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return (page.parent / parts.path).resolve()


def _module_graph(entry: Path, seen: set[Path], dynamic: bool) -> None:
    if entry in seen or not entry.exists():
        return
    seen.add(entry)
    text = entry.read_text(encoding="utf-8")
    targets = [m.group(1) for m in STATIC_IMPORT.finditer(text)]
    if dynamic:
        targets += [m.group(1) for m in DYNAMIC_IMPORT.finditer(text)]
    for target in targets:
        _module_graph((entry.parent / target).resolve(), seen, dynamic)


def _kind(path: Path) -> str:
    return {".css": "css", ".js": "js", ".mjs": "js"}.get(path.suffix, "other")


def weigh(site: Path) -> dict[str, dict[str, int]]:
    pages: dict[str, dict[str, int]] = {}
    for page in sorted(site.rglob("index.html")):
        name = posixpath.dirname(page.relative_to(site).as_posix()) or "/"
        files: set[Path] = set()
        has_checker = "data-ollama-checker" in page.read_text(encoding="utf-8")
        for url in loaded_resources(page):
            path = _local(site, page, url)
            if path is None:
                continue
            if path.suffix == ".js":
                _module_graph(path, files, has_checker)
            else:
                files.add(path)
        sizes = {"html": page.stat().st_size, "css": 0, "js": 0, "other": 0, "gzip": 0, "own": 0}
        sizes["gzip"] = len(gzip.compress(page.read_bytes(), 9))
        for path in files:
            data = path.read_bytes()
            sizes[_kind(path)] += len(data)
            sizes["gzip"] += len(gzip.compress(data, 9))
            # The site's own additions on top of the theme: its stylesheets and the checker.
            if "/assets/" not in path.as_posix():
                sizes["own"] += len(data)
        pages[name] = sizes
    return pages


def measure() -> dict:
    modules, checker_js, checker_gzip = checker_js_sizes()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT, site)
        pages = weigh(site)
        index = site / "search" / "search_index.json"
        search_index = index.stat().st_size if index.exists() else 0
    rows = [
        f"| `{name}` | {s['html'] / 1024:.1f} | {s['css'] / 1024:.1f} | {s['js'] / 1024:.1f} | "
        f"{(s['html'] + s['css'] + s['js'] + s['other']) / 1024:.1f} | {s['gzip'] / 1024:.1f} | {s['own'] / 1024:.1f} |"
        for name, s in pages.items()
    ]
    header = "| Page | HTML KB | CSS KB | JS KB | Total KB | Gzip KB | Site's own CSS+JS KB |"
    table = "\n".join([header, "|---|---|---|---|---|---|---|", *rows])
    return {
        "pages": pages,
        "checker_js_bytes": checker_js,
        "checker_js_gzip_bytes": checker_gzip,
        "search_index_bytes": search_index,
        "table": table,
        "summary": {
            "Checker JavaScript, gzip (all modules, each compressed)": (
                f"{checker_gzip / 1024:.1f} KB in {modules} modules, {checker_js / 1024:.1f} KB raw "
                f"({'within' if checker_gzip <= CHECKER_JS_GZIP_BUDGET else 'OVER'} the 10 KB gzip budget)"
            ),
            "Search index (fetched when search is used)": f"{search_index / 1024:.1f} KB",
        },
    }
