"""The pages about reverse proxies, as built: the configurations shown are the files the proxy tests run, and the
host-refused section names each proxy's setting."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from conftest import Build
from proxy_support import CADDYFILE, NGINX_CONF


class _Text(HTMLParser):
    """The text of a page, and the text of each <pre><code> block on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.blocks: list[str] = []
        self._depth = 0  # inside <pre>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._depth += 1
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._depth:
            self.blocks[-1] += data


def read(page_html: str) -> _Text:
    reader = _Text()
    reader.feed(page_html)
    return reader


def test_https_page_shows_exactly_the_files_the_proxy_tests_run(built_site: Build) -> None:
    page = read((built_site.site / "https-proxy" / "index.html").read_text(encoding="utf-8"))
    for source in (NGINX_CONF, CADDYFILE):
        text = source.read_text(encoding="utf-8")
        assert [block for block in page.blocks if block.strip() == text.strip()], f"{source.name} not shown whole"
        # The download link serves the same file.
        published = built_site.site / "downloads" / "proxies" / source.name
        assert published.read_text(encoding="utf-8") == text


def test_https_page_is_in_the_navigation(built_site: Build) -> None:
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="https-proxy/"[^>]*>\s*(<[^>]+>\s*)*Reach Ollama over https', home)


def test_host_refused_section_names_each_setting(built_site: Build) -> None:
    guide = (built_site.site / "changelogs" / "ollama" / "OLLAMA_TROUBLESHOOTING" / "index.html").read_text(
        encoding="utf-8")
    start = guide.index('id="host-refused"')
    end = guide.index("<h2", start)
    text = html.unescape("".join(read(guide[start:end]).parts))
    for setting in ("proxy_buffering off", "header_up Host", "--host-header", "--http-host-header",
                    "proxy_set_header Host localhost:11434", "passHostHeader: false", "OLLAMA_HOST=0.0.0.0"):
        assert setting in text, setting
