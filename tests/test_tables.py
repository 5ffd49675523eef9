"""Rendered tables equal providers.yml: parse the built HTML and compare it with the YAML."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Build
from html_support import read_table


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))


def page(build: Build, path: str) -> Path:
    return build.site / path / "index.html"


def test_provider_table_matches_config(built_site: Build, config: dict) -> None:
    rows = read_table(page(built_site, "reference/api"), "providers")
    assert [r["Provider"] for r in rows] == [p["name"] for p in config["providers"]]
    for row, provider in zip(rows, config["providers"], strict=True):
        assert row["Default base URL"] == provider["default_base_url"]
        assert row["Default model"] == provider["default_model"]
        assert row["API key"].startswith("Required") == provider["api_key"]
        assert ("directly" in row["How the app reaches it"]) == (provider["reached_from"] == "browser")


def test_feature_table_matches_config(built_site: Build, config: dict) -> None:
    rows = read_table(page(built_site, "reference/api"), "features")
    assert [r["Feature"] for r in rows] == [f["name"] for f in config["features"]]
    for row, feature in zip(rows, config["features"], strict=True):
        assert row["Connects to the provider"] == {"browser": "Browser", "server": "Next.js server"}[feature["side"]]
        for endpoint in feature["endpoints"]:
            assert endpoint in row["Provider endpoints"]
        for route in feature.get("app_routes", []):
            assert route in row["Path"]
        only_browser = row["Works when only the browser reaches Ollama"]
        only_server = row["Works when only the server reaches Ollama"]
        assert only_browser.startswith("Yes") == ("browser" in (feature["side"], feature.get("fallback")))
        assert only_server.startswith("Yes") == ("server" in (feature["side"], feature.get("fallback")))


def test_investigation_shows_only_the_ollama_features_that_use_the_server(built_site: Build, config: dict) -> None:
    rows = read_table(page(built_site, "changelogs/ollama/OLLAMA_NETWORK_INVESTIGATION"), "features-summary")
    assert [r["Feature"] for r in rows] == [f["name"] for f in config["features"] if f["provider"] == "ollama"
                                            and "server" in (f["side"], f.get("fallback"))]


def test_the_full_feature_table_stands_on_one_page(built_site: Build) -> None:
    """Other pages show a short variant and link to it, so the eight columns are kept in one place."""
    pages = {p.parent.relative_to(built_site.site).as_posix() for p in built_site.site.rglob("index.html")
             if 'data-table="features"' in p.read_text(encoding="utf-8")}
    assert pages == {"reference/api"}


def test_verdict_table_links_each_verdict_to_its_section(built_site: Build, config: dict) -> None:
    guide = page(built_site, "changelogs/ollama/OLLAMA_TROUBLESHOOTING")
    rows = read_table(guide, "verdicts")
    assert [r["Verdict"] for r in rows] == [v["id"] for v in config["verdicts"]]
    html = guide.read_text(encoding="utf-8")
    for verdict in config["verdicts"]:
        assert re.search(rf'<h2 id="{verdict["anchor"]}"', html), verdict["id"]


def test_diagnosis_table_matches_config(built_site: Build, config: dict) -> None:
    rows = read_table(page(built_site, "diagnosis"), "diagnosis")
    assert len(rows) == len(config["diagnosis"])
    for row, item in zip(rows, config["diagnosis"], strict=True):
        assert row["Browser checker says"].startswith(item["browser"])
        failures = {f["id"] for f in config["network_failures"]}
        if item["terminal"] in failures:  # named as the terminal checker's headline names it
            terminal = row["Terminal says"]
            assert re.match(rf"(unreachable|timeout) \({item['terminal']}: ", terminal), terminal
        else:
            assert row["Terminal says"].startswith(item["terminal"])
        assert item["fix"].replace("{port}", "11434") in row["Fix"]


def test_hosting_table_matches_config(built_site: Build, config: dict) -> None:
    """One row per place the site may be served, each with its sources linked and Markdown rendered."""
    path = page(built_site, "hosting")
    rows = read_table(path, "hosting")
    assert [r["Served from"] for r in rows] == [plain(place["served_from"]) for place in config["hosting"]]
    titles = {source["id"]: source["title"] for source in config["sources"]}
    for row, place in zip(rows, config["hosting"], strict=True):
        answer, _, sources = row["The checker can call"].partition(" (sources: ")
        assert answer == plain(" ".join(place["can_call"].split()))
        for source in place["sources"]:
            assert (titles[source] if ":" not in source else source.split(":", 1)[1]) in sources
        if place.get("example_origin"):
            assert row["Origin to admit in OLLAMA_ORIGINS"].endswith(f"OLLAMA_ORIGINS={place['example_origin']}")
    html = path.read_text(encoding="utf-8")
    assert "<strong>Local Network Access</strong>" in html and "**" not in html


def plain(markdown: str) -> str:
    """Markdown's inline code and bold marks dropped, as the rendered cell's text reads."""
    return re.sub(r"\*\*|`", "", markdown)


def test_curl_exit_codes_match_config(built_site: Build, config: dict) -> None:
    rows = read_table(page(built_site, "changelogs/ollama/OLLAMA_TROUBLESHOOTING"), "curl-exit")
    expected = [str(f["curl_exit"]) if f["curl_exit"] is not None else "—" for f in config["network_failures"]]
    assert [r["curl exit"] for r in rows] == expected
    assert {"6", "7", "28", "52", "56"} <= set(expected)


def test_checker_page_carries_config_settings(built_site: Build, config: dict) -> None:
    html = page(built_site, "checker").read_text(encoding="utf-8")
    match = re.search(r'data-checker-config="([^"]*)"', html)
    assert match, "checker settings missing"
    settings = json.loads(unescape(match.group(1)))
    assert settings["defaultUrl"] == config["checker"]["default_url"]
    assert settings["timeoutMs"] == config["checker"]["timeout_seconds"] * 1000
    assert settings["minVersion"] == config["ollama"]["min_version"]
    assert settings["defaultOrigins"] == config["ollama"]["default_origins"]
    assert list(settings["verdicts"]) == [v["id"] for v in config["verdicts"]]


def test_route_diagram_draws_every_route_and_barrier_from_config(built_site: Build, config: dict) -> None:
    html = unescape((built_site.site / "index.html").read_text(encoding="utf-8"))
    diagram = html[html.index("data-route-diagram"):]
    diagram = diagram[: diagram.index("</details>")]
    picture, words = diagram.split('<details class="rd-words">')
    paths = re.findall(r'<rd-path data-path="([^"]+)"[^>]*>(.*?)</rd-path>', picture)
    assert [p for p, _ in paths] == [r["id"] for r in config["routes"]]
    barriers = {b["id"]: b for b in config["barriers"]}
    for (_, drawn), route in zip(paths, config["routes"], strict=True):
        assert drawn.count("<rd-hop data-hop>") == len(route["hops"])
        assert re.findall(r"<rd-barrier>(.*?)</rd-barrier>", drawn) == [barriers[b]["name"] for b in route["barriers"]]
        assert f"<strong>{route['name']}:</strong>" in words
    for barrier_id in {b for r in config["routes"] for b in r["barriers"]}:
        assert f">{barriers[barrier_id]['name']}</a>:" in words, barrier_id
    for feature in config["features"]:
        assert feature["name"] in picture and feature["name"] in words, feature["id"]
    # The placeholders are filled in from the ollama: values.
    assert "{" not in words and config["ollama"]["default_bind"] in words
