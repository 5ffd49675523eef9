"""Reading built pages: tables by their data-table hook, links, and resources a page loads."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _TableReader(HTMLParser):
    """Collects the rows of the first <table> inside the element with data-table=NAME."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.depth = 0  # >0 while inside the wrapper
        self.in_cell = False
        self.rows: list[list[str]] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if self.depth == 0 and dict(attrs).get("data-table") == self.name:
            self.depth = 1
            return
        if self.depth:
            self.depth += 1
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.in_cell = True
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or self.done:
            return
        self.depth -= 1
        if tag in ("td", "th"):
            self.in_cell = False
        if self.depth == 0:
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.in_cell and self.rows:
            self.rows[-1][-1] += data


def read_table(page: Path, name: str) -> list[dict[str, str]]:
    """Rows of the table tagged data-table=NAME, as dicts keyed by header text."""
    reader = _TableReader(name)
    reader.feed(page.read_text(encoding="utf-8"))
    if not reader.rows:
        raise AssertionError(f"{page}: no table with data-table={name!r}")
    header, *body = [[" ".join(c.split()) for c in row] for row in reader.rows]
    return [dict(zip(header, row, strict=True)) for row in body]


class _Resources(HTMLParser):
    """Every URL a page would load by itself (not links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and set(a.get("rel", "").split()) & {
            "stylesheet", "icon", "preload", "prefetch", "preconnect", "dns-prefetch", "manifest", "modulepreload",
        }:
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def loaded_resources(page: Path) -> list[str]:
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls
