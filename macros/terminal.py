"""Keep the downloadable terminal checker in step with the site.

The script must work on its own once downloaded, so it carries its own copy of the verdict
list; the build fails if that copy drifts from providers.yml. After the build, the published
copy is pointed at the site it was downloaded from, so its links lead back to these pages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .config import CONFIG_NAME, ConfigError

SCRIPT = Path("downloads") / "ollama_check.py"
DOCS_URL_LINE = re.compile(r'^DOCS_URL = "[^"\n]*"$', re.MULTILINE)


def script_verdicts(source: str) -> tuple[str, ...] | None:
    """The string constants assigned to VERDICTS at the script's top level, or None."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "VERDICTS" for t in node.targets):
            value = ast.literal_eval(node.value)
            return tuple(value)
    return None


def check_script(docs_dir: Path, config: dict) -> None:
    path = docs_dir / SCRIPT
    if not path.exists():
        raise ConfigError(f"{path}: missing (the site publishes it for download)")
    found = script_verdicts(path.read_text(encoding="utf-8"))
    expected = tuple(v["id"] for v in config["verdicts"])
    if found != expected:
        raise ConfigError(
            f"{CONFIG_NAME}: verdicts: the list differs from VERDICTS in {path} "
            f"({', '.join(expected)} vs {', '.join(found or ())}); keep both the same"
        )


def publish_script(site_dir: Path, site_url: str) -> None:
    path = site_dir / SCRIPT
    if not path.exists() or not site_url:
        return
    text = path.read_text(encoding="utf-8")
    path.write_text(DOCS_URL_LINE.sub(f'DOCS_URL = "{site_url.rstrip("/")}/"', text, count=1), encoding="utf-8")
