"""Running the container's web server without Docker: hosting/serve-site with Debian's caddy, on loopback.

Used by tests/test_container_server.py and bench/lighthouse.py, so both measure what the container serves.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from project import ROOT

SERVE_SITE = ROOT / "hosting" / "serve-site"


class ServerError(RuntimeError):
    pass


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextmanager
def serve_site(site: Path, policy_file: Path, port: int, state: Path) -> Iterator[str]:
    """Caddy serving `site` on 127.0.0.1:`port` as the container does; yields the base URL.

    Caddy keeps a little state (autosave.json) under XDG_CONFIG_HOME: `state` holds it, not the user's home.
    """
    state.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(state), "XDG_CONFIG_HOME": str(state), "XDG_DATA_HOME": str(state)}
    log = state / "caddy.log"
    with log.open("wb") as output:
        process = subprocess.Popen([str(SERVE_SITE), str(site), str(policy_file), f"127.0.0.1:{port}"],
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while not answers(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"caddy did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
