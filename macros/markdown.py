"""Small helpers for writing Markdown and HTML safely from config values."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

WIDE_COLUMNS = 6
# A short code value (a verdict id, an errno, "GET /api/tags") is kept on one line in a table
# cell: "mixed-content" must not break at its hyphen. Longer ones may still wrap, so that no
# value is wider than a phone's card.
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_SHORT_WORD = 24  # without spaces
_SHORT = 20  # with spaces


def _keep_short_code_whole(match: re.Match[str]) -> str:
    span, fence, value = match.group(0), match.group(1), match.group(2)
    followed_by_attrs = match.string.startswith("{", match.end())
    limit = _SHORT if any(c.isspace() for c in value) else _SHORT_WORD
    if fence != "`" or followed_by_attrs or len(value) > limit:
        return span
    return span + "{ .nowrap }"


def cell(text: object) -> str:
    """A table cell's Markdown on one line, so a value can never break the table."""
    one_line = str(text).replace("\n", " ").strip()
    return _CODE_SPAN.sub(_keep_short_code_whole, one_line)


def code(text: object) -> str:
    value = str(text)
    fence = "``" if "`" in value else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], attrs: str = "") -> str:
    """A table whose cells are Markdown; `attrs` (e.g. 'data-table="features"') lands on a wrapping div.

    Written as HTML so that every cell carries its column's name (data-label): on a phone
    each row shows as a card of labelled cells (docs/stylesheets/tables.css). md_in_html
    still renders each cell's Markdown, so links and code work as in a Markdown table.
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join(
        '<tr markdown="1">'
        + "".join(f'<td data-label="{esc(h)}" markdown="span">{cell(c)}</td>'
                  for h, c in zip(headers, row, strict=True))
        + "</tr>"
        for row in rows
    )
    html = (f'<table markdown="1">\n<thead><tr>{head}</tr></thead>\n'
            f'<tbody markdown="1">\n{body}\n</tbody>\n</table>')
    # Six columns or more cannot sit side by side in a text column: such a table shows as cards
    # at every width (docs/stylesheets/tables.css), the others only in a narrow column.
    wide = " data-wide" if len(headers) >= WIDE_COLUMNS else ""
    return f'<div markdown="1" {attrs}{wide}>\n{html}\n</div>' if attrs else html


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)
