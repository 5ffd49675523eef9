"""The project as a build sees it: its root, and a copy that tests and benchmarks may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Everything `mkdocs build` reads.
PROJECT_PARTS = ("mkdocs.yml", "providers.yml", "providers.schema.json", "macros", "hooks", "docs", "overrides")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest
