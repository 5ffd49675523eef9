"""The lock: every requirement pinned and hashed, matching the edited .in files, installed with --require-hashes."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

LOCKS = {"requirements.txt": "requirements.in", "requirements-test.txt": "requirements-test.in"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(file: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes), from a requirements file with continuation lines joined."""
    text = (ROOT / file).read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{file}: not an exact pin: {line.strip()[:80]}"
        found[normalise(match[1])] = (match[2], len(re.findall(r"--hash=sha256:[0-9a-f]{64}\b", line)))
    return found


def chosen(file: str) -> dict[str, str]:
    """The pins a person wrote in a .in file (its -r/-c lines name other files)."""
    pins = {}
    for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[normalise(match[1])] = match[2]
    return pins


@pytest.mark.parametrize("file", sorted(LOCKS))
def test_every_requirement_is_pinned_and_hashed(file: str) -> None:
    packages = locked(file)
    assert len(packages) > 30
    unhashed = sorted(name for name, (_, hashes) in packages.items() if hashes == 0)
    assert not unhashed, f"{file}: no hash for {unhashed}"
    # Hashes for every file on PyPI, not just this machine's: a compiled package has many wheels.
    assert packages["pyyaml"][1] > 10 and packages["markupsafe"][1] > 10


@pytest.mark.parametrize(("file", "source"), sorted(LOCKS.items()))
def test_lock_follows_the_edited_input(file: str, source: str) -> None:
    packages = locked(file)
    wanted = chosen(source)
    if source == "requirements-test.in":
        wanted |= chosen("requirements.in")
    assert wanted, source
    for name, version in wanted.items():
        assert packages.get(name, ("missing",))[0] == version, f"{file} has {name} {packages.get(name)}, " \
                                                               f"{source} wants {version}: run ./scripts/lock"


def test_test_lock_keeps_the_sites_versions() -> None:
    site, test = locked("requirements.txt"), locked("requirements-test.txt")
    assert {name: test[name][0] for name in site} == {name: version for name, (version, _) in site.items()}


def test_installers_require_hashes() -> None:
    for file in ("scripts/setup", "Dockerfile", ".github/workflows/pages.yml"):
        installs = [line for line in (ROOT / file).read_text(encoding="utf-8").splitlines()
                    if "pip install" in line and "-r " in line]
        assert installs and all("--require-hashes" in line for line in installs), file
