"""Shared fixtures: building the site (once per session, or a fresh copy with edits)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from project import ROOT, copy_project

# The browser tests import helpers from it before pytest loads it as a plugin; rewrite its asserts all the same.
pytest.register_assert_rewrite("browser_support")

__all__ = ["ROOT", "Build", "copy_project", "run_build"]


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    project: Path


def run_build(project: Path, site: Path, site_url: str | None = None) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    return Build(result.returncode, result.stdout + result.stderr, site, project)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real project, built strictly once for the whole session."""
    site = tmp_path_factory.mktemp("site")
    build = run_build(ROOT, site)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def build_copy(tmp_path: Path) -> Callable[..., Build]:
    """Build a copy of the project after `edit(project_dir)` has changed it."""

    def build(edit: Callable[[Path], None], site_url: str | None = None) -> Build:
        project = copy_project(tmp_path / "project")
        edit(project)
        return run_build(project, tmp_path / "site", site_url)

    return build
