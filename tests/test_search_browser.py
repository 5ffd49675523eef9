"""Material's search, typed as a reader types it: the symptoms people paste lead to their fix first."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytest_plugins = ("browser_support",)
pytestmark = pytest.mark.browser

GUIDE = "/changelogs/ollama/OLLAMA_TROUBLESHOOTING/"
RECORD = "/changelogs/ollama/OLLAMA_NETWORK_INVESTIGATION/"

# What a reader types -> the pages and sections that may come first (path, allowed anchors; None: the page itself).
EXPECTED = {
    "No route to host": {GUIDE: {"local-network-privacy"}, RECORD: {None, "update-the-root-cause"}},
    "EHOSTUNREACH": {GUIDE: {"local-network-privacy"}, RECORD: {None, "update-the-root-cause"}},
    "Failed to fetch": {GUIDE: {"failed-to-fetch"}},
    "OLLAMA_ORIGINS": {GUIDE: {"set-ollama-origins", "cors-blocked"}},
}


def first_match(page: Any, query: str) -> tuple[str, list[list[str]]]:
    """Type into Material's search box; return the first matching document and the groups shown.

    Material groups results by page: a group opens with the page's own link, which carries no
    highlight terms (`?h=`) when only its sections matched, then the matching sections.
    """
    page.click("input.md-search__input")
    page.keyboard.type(query)  # Material reacts to key events, not to a value set by script
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=10_000)
    page.wait_for_timeout(300)  # the list settles once the worker has answered the last key
    groups = page.eval_on_selector_all(
        ".md-search-result__item",
        "items => items.map(item => [...item.querySelectorAll('a.md-search-result__link')].map(a => a.href))")
    assert groups and groups[0], f"{query!r}: no results"
    matching = [href for href in groups[0] if parse_qs(urlsplit(href).query).get("h")]
    return (matching or groups[0])[0], groups


@pytest.mark.parametrize("query", list(EXPECTED))
def test_a_pasted_symptom_finds_its_section_first(page: Any, site: Any, query: str) -> None:
    page.goto(site.url(""))
    first, groups = first_match(page, query)
    where = urlsplit(first)
    anchors = EXPECTED[query].get(where.path)
    shown = [group[:3] for group in groups[:3]]
    assert anchors is not None, f"{query!r}: first result is {first}; shown: {shown}"
    assert (where.fragment or None) in anchors, f"{query!r}: first result is {first}; shown: {shown}"
