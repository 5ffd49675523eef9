"""Links and citations, written relative to the page being rendered so MkDocs can validate them."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import Any


def relative(target: str, from_page: str) -> str:
    """A docs-relative path such as 'security.md#x', rewritten relative to the page `from_page`."""
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_page) or ".") if path else ""
    return rel + (f"#{anchor}" if anchor else "")


def source_url(ref: str, sources: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """('title', 'url') for a citation such as 'markitup:src/app/page.tsx' or 'tn3179'."""
    source_id, _, path = ref.partition(":")
    source = next(s for s in sources if s["id"] == source_id)
    if not path:
        return source["title"], source["url"]
    base = source["url"] if source["url"].endswith("/") else source["url"] + "/"
    return path, base + path


def cite(ref: str, sources: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown link for a citation; a path in a repository shows as code."""
    title, url = source_url(ref, sources)
    label = f"`{title}`" if ":" in ref else title
    return f"[{label}]({url})"
