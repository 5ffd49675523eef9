"""Layout in a real Chromium, at a phone's width and a desktop's, in both colour schemes.

No page scrolls sideways as a whole; every generated table ([data-table]) fits its column on a
phone; the route diagram's hops run in flow order (left to right on a desktop, top to bottom on
a phone) inside the viewport; a heading's permalink never takes a line of its own; values that
must be copied whole stay on one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest

from conftest import Build

pytest_plugins = ("browser_support",)

PHONE, DESKTOP = 390, 1280
# At this width and wider the diagram runs left to right (its column is 30rem or more there).
LEFT_TO_RIGHT_FROM = 1024
SCHEMES = {"light": "default", "dark": "slate"}


def page_paths(build: Build) -> list[str]:
    return sorted(
        "" if p.parent == build.site else p.parent.relative_to(build.site).as_posix() + "/"
        for p in build.site.rglob("index.html")
        if p.parent.name != "404"
    )


@pytest.fixture(params=[(w, s) for w in (PHONE, DESKTOP) for s in SCHEMES], ids=lambda p: f"{p[0]}px-{p[1]}")
def sized_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.width, page.scheme = width, scheme
    yield page
    context.close()


def open_page(page: Any, site: Any, path: str) -> None:
    page.goto(site.url(path))
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[page.scheme]
    # Material wraps tables and sets up the page in its own script: wait until it has.
    page.wait_for_function("document.querySelector('.md-content') !== null")
    page.evaluate("document.fonts.ready")


# Sideways overflow of the document, and of each generated table against its own column.
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const tables = [...document.querySelectorAll('[data-table]')].map((wrapper) => {
    const table = wrapper.querySelector('table');
    const scroller = wrapper.querySelector('.md-typeset__scrollwrap') || wrapper;
    return {
      name: wrapper.dataset.table,
      column: wrapper.getBoundingClientRect().width,
      table: table.getBoundingClientRect().width,
      tableRight: table.getBoundingClientRect().right,
      columnRight: wrapper.getBoundingClientRect().right,
      scrolls: scroller.scrollWidth > scroller.clientWidth + 1 || table.scrollWidth > table.clientWidth + 1,
    };
  });
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, tables};
}"""


@pytest.mark.browser
def test_no_page_scrolls_sideways_and_tables_fit(sized_page: Any, site: Any, built_site: Build) -> None:
    problems = []
    tables_seen = 0
    for path in page_paths(built_site):
        open_page(sized_page, site, path)
        found = sized_page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["clientWidth"]:
            problems.append(f"/{path}: the page is {found['scrollWidth']} px wide in {found['clientWidth']} px")
        if sized_page.width == PHONE:
            for table in found["tables"]:
                tables_seen += 1
                if table["scrolls"] or table["tableRight"] > table["columnRight"] + 1:
                    problems.append(f"/{path}: table {table['name']} is {table['table']:.0f} px wide "
                                    f"in a {table['column']:.0f} px column, or scrolls")
    assert not problems, "\n".join(problems)
    if sized_page.width == PHONE:
        assert tables_seen >= 10, "fewer generated tables than the site has: did [data-table] go?"


HOPS = """() => [...document.querySelectorAll('[data-route-diagram] [data-path]')].map((path) => ({
  path: path.dataset.path,
  hops: [...path.querySelectorAll('[data-hop]')].map((hop) => {
    const r = hop.getBoundingClientRect();
    return {name: hop.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }),
}))"""


def diagram_problems(paths: list[dict], width: int) -> list[str]:
    problems = []
    for path in paths:
        hops = path["hops"]
        if len(hops) < 2:
            problems.append(f"{path['path']}: {len(hops)} hops")
        for hop in hops:
            if hop["left"] < 0 or hop["right"] > width:
                problems.append(f"{path['path']}: {hop['name']!r} leaves the viewport ({hop['left']}..{hop['right']})")
        for before, after in pairwise(hops):
            if width >= LEFT_TO_RIGHT_FROM:
                in_order = after["left"] >= before["right"] and after["top"] < before["bottom"]
                way = "left to right"
            else:
                in_order = after["top"] >= before["bottom"]
                way = "top to bottom"
            if not in_order:
                problems.append(f"{path['path']}: {before['name']!r} then {after['name']!r} do not run {way}")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "reference/api/"])
def test_route_diagram_runs_in_flow_order_inside_the_viewport(sized_page: Any, site: Any, path: str) -> None:
    open_page(sized_page, site, path)
    paths = sized_page.evaluate(HOPS)
    assert [p["path"] for p in paths] == ["browser", "server", "cloud"]
    assert [len(p["hops"]) for p in paths] == [2, 3, 3]
    problems = diagram_problems(paths, sized_page.width)
    assert not problems, "\n".join(problems)


def test_flow_order_check_catches_a_reversed_or_stacked_diagram() -> None:
    """The check above fails for a diagram that runs the wrong way or leaves the viewport."""
    row = [{"name": "a", "left": 0, "right": 100, "top": 0, "bottom": 50},
           {"name": "b", "left": 200, "right": 300, "top": 0, "bottom": 50}]
    column = [{"name": "a", "left": 0, "right": 300, "top": 0, "bottom": 50},
              {"name": "b", "left": 0, "right": 300, "top": 80, "bottom": 130}]
    assert not diagram_problems([{"path": "p", "hops": row}], 1280)
    assert not diagram_problems([{"path": "p", "hops": column}], 390)
    assert diagram_problems([{"path": "p", "hops": column}], 1280)
    assert diagram_problems([{"path": "p", "hops": row[::-1]}], 1280)
    assert diagram_problems([{"path": "p", "hops": row}], 390)
    assert diagram_problems([{"path": "p", "hops": row}], 250)


# For each heading: the bottom of its text's last line box, and of its permalink.
HEADINGS = """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3) > .headerlink')].map((link) => {
  const heading = link.parentElement;
  const range = document.createRange();
  range.setStartBefore(heading.firstChild);
  range.setEndBefore(link);
  const lines = [...range.getClientRects()];
  return {
    text: heading.textContent.replace('¶', '').trim(),
    textBottom: Math.max(...lines.map((r) => r.bottom)),
    linkBottom: link.getBoundingClientRect().bottom,
  };
})"""


@pytest.mark.browser
def test_no_heading_has_a_line_for_its_permalink_alone(sized_page: Any, site: Any, built_site: Build) -> None:
    """A ¶ that wraps alone leaves an empty-looking line under the title (it shows only on hover)."""
    problems = []
    for path in page_paths(built_site):
        open_page(sized_page, site, path)
        for heading in sized_page.evaluate(HEADINGS):
            if heading["linkBottom"] > heading["textBottom"] + 2:
                problems.append(f"/{path}: the permalink of {heading['text']!r} sits on a line of its own")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_origins_values_stay_on_one_line(sized_page: Any, site: Any) -> None:
    """OLLAMA_ORIGINS=… in a page and in the checker's answer: one line, never split in a port."""
    open_page(sized_page, site, "security/")
    values = sized_page.evaluate(
        "[...document.querySelectorAll('code.one-line')].map((c) => [c.textContent, c.getClientRects().length])")
    assert values, "no OLLAMA_ORIGINS value rendered by origins_for() on the Security page"
    assert all(text.startswith("OLLAMA_ORIGINS=") and lines == 1 for text, lines in values), values

    # The checker fills this element in when Ollama refuses the page's origin; a long value
    # (the origin of a page served from a LAN name with a port) is put there the same way.
    open_page(sized_page, site, "checker/")
    lines = sized_page.evaluate("""() => {
      const code = document.querySelector(
        '[data-ollama-checker] code[data-checker-origins], [data-ollama-checker] [data-checker-origins] code');
      for (let e = code; e; e = e.parentElement) { e.hidden = false; }
      code.textContent = 'OLLAMA_ORIGINS=http://markitup-docs.example.test:8765';
      const box = code.getBoundingClientRect();
      return {lines: code.getClientRects().length, right: box.right, width: innerWidth};
    }""")
    assert lines["lines"] == 1, lines
    assert lines["right"] <= lines["width"], lines
    assert sized_page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


class _Cells(HTMLParser):
    """Each generated table's header texts and, per body cell, its data-label."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.open = False  # inside a generated table
        self.in_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-table" in found:
            self.tables.append({"name": found["data-table"], "headers": [], "rows": []})
            self.open = True
        if not self.open:
            return
        table = self.tables[-1]
        if tag == "th":
            self.in_header = True
            table["headers"].append("")
        elif tag == "tr" and table["headers"]:
            table["rows"].append([])
        elif tag == "td":
            table["rows"][-1].append(found.get("data-label"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self.in_header = False
        elif tag == "table":
            self.open = False

    def handle_data(self, data: str) -> None:
        if self.in_header:
            self.tables[-1]["headers"][-1] += data


def test_every_generated_cell_is_labelled_with_its_column(built_site: Build) -> None:
    checked = 0
    for page in built_site.site.rglob("index.html"):
        parser = _Cells()
        parser.feed(page.read_text(encoding="utf-8"))
        for table in parser.tables:
            headers = [re.sub(r"\s+", " ", h).strip() for h in table["headers"]]
            assert headers, f"{page}: table {table['name']} has no header row"
            for row in table["rows"]:
                assert row == headers, f"{page}: table {table['name']}: cell labels {row} are not {headers}"
                checked += 1
    assert checked > 40
