"""Shared bits for the benchmarks: project copies, builds, timing statistics."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from project import ROOT, copy_project

__all__ = ["ROOT", "Stats", "build", "copy_project", "free_port", "mkdocs_env"]


def mkdocs_env() -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    return env


def build(project: Path, site: Path, strict: bool = True) -> float:
    """Build once; return the wall-clock seconds of the whole `mkdocs build` process."""
    args = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    if strict:
        args.insert(4, "--strict")
    start = time.perf_counter()
    result = subprocess.run(args, cwd=project, env=mkdocs_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"build failed in {project}:\n{result.stdout}{result.stderr}")
    return elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stats:
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        """Max minus min: with a handful of runs, the honest measure of how much they vary."""
        return max(self.runs) - min(self.runs)

    def fmt(self, unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
        return f"{self.median * scale:.{digits}f} {unit} (±{self.spread * scale / 2:.{digits}f}, n={len(self.runs)})"
