"""Where Debian puts each engine. Override with CHROMIUM_PATH, FIREFOX_PATH, WEBKIT_DRIVER_PATH, MINIBROWSER_PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# The Debian packages that bring each engine, as scripts/test installs them.
PACKAGES = {"chromium": "chromium", "firefox": "firefox-esr", "webkit": "webkit2gtk-driver"}


def _executable(*candidates: str | None) -> str | None:
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


def chromium() -> str | None:
    return _executable(os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium")


def firefox() -> str | None:
    return _executable(os.environ.get("FIREFOX_PATH"), shutil.which("firefox-esr"), "/usr/bin/firefox-esr")


def webkit_driver() -> str | None:
    return _executable(os.environ.get("WEBKIT_DRIVER_PATH"), shutil.which("WebKitWebDriver"))


def _package_files(package: str) -> list[str]:
    try:
        listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return listed.stdout.splitlines() if listed.returncode == 0 else []


def minibrowser() -> str | None:
    """MiniBrowser ships in libwebkit2gtk-4.1-0 under the multiarch library directory, not on PATH."""
    listed = [f for package in ("libwebkit2gtk-4.1-0", "webkit2gtk-driver") for f in _package_files(package)]
    found = [f for f in listed if Path(f).name == "MiniBrowser"]
    usual = [str(p) for p in Path("/usr/lib").glob("*/webkit2gtk-4.*/MiniBrowser")]
    return _executable(os.environ.get("MINIBROWSER_PATH"), *found, *usual)
