"""Strict build time of the whole site, and the same pages built without the macros plugin."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from common import Stats, build, copy_project


def without_macros(project: Path) -> None:
    """Drop the macros plugin from mkdocs.yml; pages then keep their raw {{ ... }} text."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"\n  - macros:\n(?:      .*\n)+", "\n", text)
    if count != 1:
        raise RuntimeError("could not find the macros plugin block in mkdocs.yml")
    config.write_text(text, encoding="utf-8")


def measure(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        with_macros = copy_project(Path(tmp) / "with")
        plain = copy_project(Path(tmp) / "plain")
        without_macros(plain)
        build(with_macros, Path(tmp) / "warm")  # first build pays for imports and caches
        full = Stats([build(with_macros, Path(tmp) / f"a{i}") for i in range(runs)])
        # Without macros the pages keep links to anchors the macros would have made: not strict.
        bare = Stats([build(plain, Path(tmp) / f"b{i}", strict=False) for i in range(runs)])
    return {
        "strict_build_s": full.runs,
        "no_macros_build_s": bare.runs,
        "summary": {
            "Strict build, whole site": full.fmt(),
            "Same pages, macros plugin removed": bare.fmt(),
            "Cost of the macros (ratio of medians)": f"{full.median / bare.median:.2f}×",
        },
    }
