"""The macros module, called directly: origins, links, tables, strict rendering, config loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT
from macros import config as config_module
from macros import links, markdown, origins, strict, tables


@pytest.fixture(scope="module")
def config() -> dict:
    return config_module.load(ROOT)


@pytest.mark.parametrize(
    ("origin", "admitted"),
    [
        ("http://localhost", True),
        ("http://localhost:3000", True),
        ("https://127.0.0.1:8443", True),
        ("http://0.0.0.0:5173", True),
        ("app://obsidian.md", True),
        ("http://192.168.50.103:3000", False),
        ("http://localhost.evil.test", False),  # a prefix match alone is not enough
        ("http://docs.test:8000", False),
        ("null", False),  # what a file:// page sends
    ],
)
def test_default_origins(config: dict, origin: str, admitted: bool) -> None:
    assert origins.is_admitted(origin, config["ollama"]["default_origins"]) is admitted


def test_wildcard_needs_prefix_and_suffix() -> None:
    assert origins.origin_matches("http://a.example:1", "http://*.example:1")
    assert not origins.origin_matches("http://:1", "http://*:1:1")
    assert origins.origin_matches("anything", "*")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("http://192.168.50.103:3000/notes/today", "http://192.168.50.103:3000"),
        ("https://docs.example.test:443/", "https://docs.example.test"),
        ("HTTP://Docs.Test:80", "http://docs.test"),
        ("http://[fe80::1]:3000", "http://[fe80::1]:3000"),
    ],
)
def test_origins_value_for(config: dict, page: str, expected: str) -> None:
    assert origins.origins_value_for(page, config["ollama"]["default_origins"]) == expected


def test_origins_value_for_admitted_origin_is_none(config: dict) -> None:
    assert origins.origins_value_for("http://localhost:3000/x", config["ollama"]["default_origins"]) is None


@pytest.mark.parametrize("bad", ["ftp://x", "localhost:3000", "http://", "javascript:alert(1)"])
def test_normalise_origin_refuses_non_http(bad: str) -> None:
    with pytest.raises(ValueError, match=r"not an http|no host"):
        origins.normalise_origin(bad)


def test_relative_links() -> None:
    assert links.relative("changelogs/ollama/X.md#a", "checker.md") == "changelogs/ollama/X.md#a"
    assert links.relative("diagnosis.md", "changelogs/ollama/X.md") == "../../diagnosis.md"
    assert links.relative("changelogs/ollama/X.md#b", "changelogs/ollama/Y.md") == "X.md#b"


def test_cite_pins_paths_to_the_source(config: dict) -> None:
    text = links.cite("ollama:envconfig/config.go", config["sources"])
    assert text.startswith("[`envconfig/config.go`](https://github.com/ollama/ollama/blob/")
    assert text.endswith("/envconfig/config.go)")


def test_cells_cannot_break_a_table() -> None:
    import markdown as python_markdown

    rendered = markdown.table(["a", "b"], [["x | y", "line\nbreak `mixed-content`"]], 'data-table="t"')
    html = python_markdown.markdown(rendered, extensions=["md_in_html", "attr_list"])
    assert '<td data-label="a">x | y</td>' in html
    assert '<td data-label="b">line break <code class="nowrap">mixed-content</code></td>' in html
    assert html.count("<tr>") == 2


def test_feature_paths(config: dict) -> None:
    by_id = {f["id"]: f for f in config["features"]}
    assert tables.feature_path(config, by_id["chat"]) == "Browser → Ollama"
    assert "if that fails, Browser → Next.js `POST /api/ai/ollama-proxy` → Ollama" in tables.feature_path(
        config, by_id["settings"])
    assert tables.works_when_only(by_id["settings"], "server") == "Yes, through the fallback"
    assert tables.works_when_only(by_id["chat"], "server") == "No"


def test_undefined_names_are_collected_then_raised() -> None:
    strict.start_page()
    assert str(strict.RecordingUndefined(name="missing")) == ""
    with pytest.raises(PluginError, match=r"docs/x\.md: undefined variable 'missing'"):
        strict.finish_page("docs/x.md")
    strict.finish_page("docs/x.md")  # the next page starts clean


def test_load_names_file_and_key(tmp_path: Path) -> None:
    for name in ("providers.yml", "providers.schema.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    path = tmp_path / "providers.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  max_models_shown: 20", "  max_models_shown: 0"))
    with pytest.raises(config_module.ConfigError, match=r"^providers\.yml: checker\.max_models_shown: 0 is less than"):
        config_module.load(tmp_path)


def test_load_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(config_module.ConfigError, match=r"^providers\.yml: cannot be read"):
        config_module.load(tmp_path)


def test_key_path() -> None:
    assert config_module.key_path(["features", 3, "provider"]) == "features[3].provider"
    assert config_module.key_path([]) == "(top level)"
