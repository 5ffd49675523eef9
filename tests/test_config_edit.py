"""Editing providers.yml changes every page that shows the fact: no page repeats one by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Build

# Facts that pages show, with a new value that appears nowhere else. The checker's default
# URL and MarkItUp's default Ollama URL are distinct facts with the same value: both move.
EDITS = {
    "ollama.min_version": "0.9.87",
    "ollama.default_bind": "127.0.0.9:11434",
    "checker.default_url": "http://ollama.lan.test:11434",
    "providers.3.default_base_url": "http://ollama.lan.test:11434",
    "settings.fields.3.default": "http://ollama.lan.test:11434",
    "checker.timeout_seconds": 7,
}


def get(config: dict, dotted: str) -> object:
    value: object = config
    for key in dotted.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]  # type: ignore[index]
    return value


def put(config: dict, dotted: str, new: object) -> None:
    *parents, last = dotted.split(".")
    target = get(config, ".".join(parents)) if parents else config
    if isinstance(target, list):
        target[int(last)] = new
    else:
        target[last] = new  # type: ignore[index]


def pages_with(site: Path, text: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if text in p.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Build:
    from conftest import copy_project, run_build

    project = copy_project(tmp_path_factory.mktemp("edited") / "project")
    config = yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))
    for key, value in EDITS.items():
        put(config, key, value)
    config["providers"][3]["default_model"] = "granite-test-model"
    next(v for v in config["verdicts"] if v["id"] == "cors-blocked")["title"] = "Ollama turns this page away"
    text = "# yaml-language-server: $schema=./providers.schema.json\n" + yaml.safe_dump(config, sort_keys=False)
    (project / "providers.yml").write_text(text, encoding="utf-8")
    # The terminal checker carries its own copies, and the build insists they match: move them too.
    script = project / "docs" / "downloads" / "ollama_check.py"
    source = script.read_text(encoding="utf-8")
    for old, new in (('MIN_VERSION = "0.1.45"', 'MIN_VERSION = "0.9.87"'),
                     ('DEFAULT_URL = "http://localhost:11434"', 'DEFAULT_URL = "http://ollama.lan.test:11434"'),
                     ("DEFAULT_TIMEOUT = 5.0", "DEFAULT_TIMEOUT = 7.0"),
                     ('"cors-blocked": "The server does not let this origin read its replies"',
                      '"cors-blocked": "Ollama turns this page away"')):
        assert old in source, old
        source = source.replace(old, new)
    script.write_text(source, encoding="utf-8")
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    return build


@pytest.mark.parametrize("key", list(EDITS))
def test_edit_reaches_every_page_that_showed_it(built_site: Build, edited: Build, key: str) -> None:
    original = yaml.safe_load((ROOT / "providers.yml").read_text(encoding="utf-8"))
    old, new = str(get(original, key)), str(EDITS[key])
    before = pages_with(built_site.site, old)
    assert before, f"no page shows {key}; pick a fact the site shows"
    after_new = pages_with(edited.site, new)
    assert before <= after_new, f"{key}: pages kept the old value: {sorted(before - after_new)}"


def test_min_version_and_bind_are_never_written_by_hand(edited: Build) -> None:
    # Distinctive values: once edited, nothing may still show the originals.
    for old in ("0.1.45", "127.0.0.1:11434"):
        assert not pages_with(edited.site, old), f"{old} is still on {sorted(pages_with(edited.site, old))}"


def test_model_and_verdict_title_follow_the_config(edited: Build) -> None:
    assert "granite-test-model" in (edited.site / "reference/api/index.html").read_text(encoding="utf-8")
    guide = (edited.site / "changelogs/ollama/OLLAMA_TROUBLESHOOTING/index.html").read_text(encoding="utf-8")
    assert "Ollama turns this page away" in guide
    assert "The server does not let this origin read its replies" not in guide
