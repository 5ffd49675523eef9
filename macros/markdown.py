"""Small helpers for writing Markdown and HTML safely from config values."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence


def cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks folded, so a value can never break the table."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def code(text: object) -> str:
    value = str(text)
    fence = "``" if "`" in value else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], attrs: str = "") -> str:
    """A Markdown table. `attrs` (e.g. 'data-table="features"') lands on a wrapping div."""
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    body = "\n".join(lines)
    if not attrs:
        return body
    # md_in_html keeps the table Markdown while the div carries a hook for tests and styles.
    return f'<div markdown="1" {attrs}>\n\n{body}\n\n</div>'


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)
