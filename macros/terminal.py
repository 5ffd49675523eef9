"""Keep the downloadable terminal checker in step with the site.

The script must work on its own once downloaded, so it carries its own copy of the verdict
list; the build fails if that copy drifts from providers.yml. After the build, the published
copy is pointed at the site it was downloaded from, so its links lead back to these pages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .config import CONFIG_NAME, ConfigError, ollama_port

SCRIPT = Path("downloads") / "ollama_check.py"
DOCS_URL_LINE = re.compile(r'^DOCS_URL = "[^"\n]*"$', re.MULTILINE)


def script_constants(source: str) -> dict[str, object]:
    """The literal values assigned at the script's top level (NAME = <literal>)."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # not a literal: computed at run time, nothing to compare
    return found


def expected_constants(config: dict) -> dict[str, tuple[str, object]]:
    """Script constant -> (config key path, the value the script must carry)."""
    checker, ollama = config["checker"], config["ollama"]
    return {
        "VERDICTS": ("verdicts[].id", tuple(v["id"] for v in config["verdicts"])),
        "TITLES": ("verdicts[].title", {v["id"]: v["title"] for v in config["verdicts"]}),
        "FIXES": ("verdicts[].terminal_fix (else .fix)",
                  {v["id"]: v.get("terminal_fix", v["fix"]) for v in config["verdicts"]}),
        "FAILURE_TITLES": ("network_failures[].title", {f["id"]: f["title"] for f in config["network_failures"]}),
        "DEFAULT_URL": ("checker.default_url", checker["default_url"]),
        "DEFAULT_TIMEOUT": ("checker.timeout_seconds", float(checker["timeout_seconds"])),
        "MAX_MODELS_SHOWN": ("checker.max_models_shown", checker["max_models_shown"]),
        "MIN_VERSION": ("ollama.min_version", ollama["min_version"]),
        "DEFAULT_PORT": ("ollama.default_bind", ollama_port(config)),
        "DEFAULT_ORIGINS": ("ollama.default_origins", tuple(ollama["default_origins"])),
    }


def check_script(docs_dir: Path, config: dict) -> None:
    """The script's own copies of the site's facts must equal providers.yml."""
    path = docs_dir / SCRIPT
    if not path.exists():
        raise ConfigError(f"{path}: missing (the site publishes it for download)")
    found = script_constants(path.read_text(encoding="utf-8"))
    for name, (key, expected) in expected_constants(config).items():
        value = found.get(name)
        if isinstance(value, (list, tuple)):
            value = tuple(value)
        if value != expected:
            raise ConfigError(
                f"{CONFIG_NAME}: {key}: differs from {name} in {path} ({expected!r} vs {value!r}); keep both the same"
            )


def publish_script(site_dir: Path, site_url: str) -> None:
    path = site_dir / SCRIPT
    if not path.exists() or not site_url:
        return
    text = path.read_text(encoding="utf-8")
    path.write_text(DOCS_URL_LINE.sub(f'DOCS_URL = "{site_url.rstrip("/")}/"', text, count=1), encoding="utf-8")
