"""MkDocs hook: a Content-Security-Policy and a no-referrer policy in a <meta> on every built page.

GitHub Pages cannot send headers, so the policy travels in the page. Scripts run only from the site itself and
from the theme's inline scripts, allowed by their sha256 hashes, which this hook computes from the built HTML:
nothing is copied by hand, and a Material upgrade that changes its inline scripts changes the hashes with it.

One policy for the whole site, computed after every page is written (on_post_build), because:
- Material's inline scripts differ per page (the first one embeds the page's relative base URL);
- instant navigation re-creates the new page's inline scripts under the policy of the first page loaded (a
  <meta> policy, once in force, cannot be lifted), and appends to <head> any head element it has not seen;
  a policy that differed per page would be added on top and narrow the first one.

`mkdocs serve` injects a live-reload script with a timestamp in it, which no hash can allow; there the policy
allows inline scripts instead of listing hashes, and says so in a comment on the page. Built sites list hashes.

Set SITE_CSP_FILE to a path to also get the policy as one line of text, for a server that sends it as a
header (the container's Caddyfile reads it from the environment).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

# Directive -> sources, before the script hashes are added. Only what the site and the theme need:
# Material draws its icons from data: SVGs in its stylesheet (img-src data:); styles come from files only;
# the search index loads through a same-origin Web Worker (worker-src 'self'); the checker reaches
# whatever Ollama address the reader types (connect-src http: https:).
DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'", "http:", "https:"),
    "worker-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}

# A <script> element and its text, as a browser's tokenizer reads it (the text ends at the first "</script").
_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<body>.*?)</script", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?(?P<type>[^"'\s>]*)""", re.I)
# Script types a browser executes (HTML's "JavaScript MIME type essence match", plus modules).
_EXECUTED_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                   "text/ecmascript", "application/x-javascript", "text/jscript"}
# Our own tags, removed before inserting so a rebuild (mkdocs serve --dirty) never doubles them.
_OURS = re.compile(
    r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>|\s*<meta name="referrer"[^>]*>'
    r"|\s*<!-- mkdocs serve: [^>]*-->",
    re.I,
)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>(?:\s*<meta charset=[^>]*>)?", re.I)
_SERVE_NOTE = "<!-- mkdocs serve: inline scripts allowed for live reload; a built site lists their hashes -->"

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def executed_inline_scripts(html: str) -> list[str]:
    """The text of each inline script the browser runs (no src, a JavaScript type); JSON data blocks are not."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes = match["attributes"]
        declared = _TYPE.search(attributes)
        script_type = declared["type"].strip().lower() if declared else ""
        if not _SRC.search(attributes) and script_type in _EXECUTED_TYPES:
            found.append(match["body"])
    return found


def script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(hashes: list[str], serving: bool = False) -> str:
    directives = dict(DIRECTIVES)
    extra = ("'unsafe-inline'",) if serving else tuple(hashes)
    directives["script-src"] = directives["script-src"] + extra
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())


def with_policy(html: str, site_policy: str, serving: bool = False) -> str:
    """The page with the policy and referrer <meta> first in <head>, before any script they must govern."""
    html = _OURS.sub("", html)
    head = _HEAD.search(html)
    if head is None:
        return html  # a fragment, not a page
    tags = f'\n    <meta http-equiv="Content-Security-Policy" content="{site_policy}">' \
           '\n    <meta name="referrer" content="no-referrer">'
    if serving:
        tags += "\n    " + _SERVE_NOTE
    return html[: head.end()] + tags + html[head.end():]


def on_post_build(config) -> None:
    pages = {path: path.read_text(encoding="utf-8") for path in sorted(Path(config["site_dir"]).rglob("*.html"))}
    hashes = sorted({script_hash(text) for html in pages.values() for text in executed_inline_scripts(html)})
    site_policy = policy(hashes, _serving)
    for path, html in pages.items():
        updated = with_policy(html, site_policy, _serving)
        if updated != html:
            path.write_text(updated, encoding="utf-8")
    target = os.environ.get("SITE_CSP_FILE")
    if target:
        Path(target).write_text(site_policy + "\n", encoding="utf-8")
