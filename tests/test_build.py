"""The strict build: every nav page is built, the config is read once, nothing third-party loads."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from conftest import ROOT, Build
from html_support import loaded_resources


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml uses !ENV and !!python tags; only the nav matters here."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_pages() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)

    def walk(items: list) -> list[str]:
        found: list[str] = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found += walk(value) if isinstance(value, list) else [value]
        return found

    return walk(config["nav"])


def built_path(site: Path, page: str) -> Path:
    stem = page.removesuffix(".md")
    return site / ("index.html" if stem == "index" else f"{stem}/index.html")


def test_every_nav_page_is_built(built_site: Build) -> None:
    pages = nav_pages()
    assert len(pages) >= 10
    for page in pages:
        assert built_path(built_site.site, page).is_file(), page


def test_every_markdown_file_is_in_the_nav() -> None:
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk == set(nav_pages())


def test_config_is_loaded_once_per_build(built_site: Build) -> None:
    assert built_site.output.count("providers.yml loaded and validated") == 1


def test_no_page_shows_a_macro_error_or_raw_template(built_site: Build) -> None:
    for page in built_site.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Macro Rendering Error" not in text, page
        assert "{{" not in re.sub(r"<(code|pre)[^>]*>.*?</\1>", "", text, flags=re.S), page


def test_no_page_loads_anything_from_another_host(built_site: Build) -> None:
    checked = 0
    for page in built_site.site.rglob("*.html"):
        for url in loaded_resources(page):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page}: loads {url}"
            checked += 1
    assert checked > 20  # the theme's own scripts and styles were found and checked


def test_no_stylesheet_imports_from_another_host(built_site: Build) -> None:
    for css in built_site.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?(https?:)?//", text):
            raise AssertionError(f"{css}: refers to a remote resource ({url})")


def test_published_script_points_back_at_the_site(build_copy) -> None:
    build = build_copy(lambda project: None, site_url="https://docs.example.test/ollama/")
    assert build.returncode == 0, build.output
    published = (build.site / "downloads" / "ollama_check.py").read_text(encoding="utf-8")
    source = (ROOT / "docs" / "downloads" / "ollama_check.py").read_text(encoding="utf-8")
    assert 'DOCS_URL = "https://docs.example.test/ollama/"' in published
    assert 'DOCS_URL = "https://docs.example.test/ollama/"' not in source
    assert len(published.splitlines()) == len(source.splitlines())


def test_container_recipe_copies_everything_a_build_reads() -> None:
    from project import PROJECT_PARTS

    copied = set()
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(part.rstrip("/").removeprefix("./") for part in line.split()[1:-1])
    assert set(PROJECT_PARTS) <= copied, f"Dockerfile misses {sorted(set(PROJECT_PARTS) - copied)}"
