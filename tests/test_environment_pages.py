"""The pages for WSL2, Docker, remote development and a shell proxy, read from the built site.

A Windows reader whose `npm run dev` runs in WSL2 reaches the fix from the home page in one click,
each section has its tell, its fix and a way to verify it, the diagnosis page points at each, and
every link the terminal checker prints lands on a section that exists.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import ROOT, Build

GUIDE = "changelogs/ollama/OLLAMA_TROUBLESHOOTING/index.html"
SECTIONS = ("wsl2", "docker", "remote-development", "shell-proxy")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with this id up to the next heading of the same or a higher level."""
    match = re.search(rf'<h([23])[^>]*id="{re.escape(anchor)}"', html)
    assert match, f"no heading with id {anchor!r}"
    level = int(match.group(1))
    end = re.compile(rf"<h[2-{level}][\s>]").search(html, match.end())
    return html[match.start(): end.start() if end else len(html)]


def test_home_page_links_the_wsl_symptom_to_its_section(built_site: Build) -> None:
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    item = next((li for li in re.findall(r"<li>(.*?)</li>", home, re.S) if "#wsl2" in li), None)
    assert item is not None, "no list item on the home page links to #wsl2"
    assert 'href="changelogs/ollama/OLLAMA_TROUBLESHOOTING/#wsl2"' in item
    words = text_of(item)
    assert "Works in the browser, fails from npm run dev on Windows/WSL" in words


@pytest.mark.parametrize("anchor", SECTIONS)
def test_each_section_has_its_tell_fix_and_verify_step(built_site: Build, anchor: str) -> None:
    words = text_of(section((built_site.site / GUIDE).read_text(encoding="utf-8"), anchor))
    assert "The tell." in words
    assert "The fix" in words or "two ways out" in words
    assert "Verify it worked." in words


def test_wsl_section_names_both_ways_out_and_mirrored_limits(built_site: Build) -> None:
    words = text_of(section((built_site.site / GUIDE).read_text(encoding="utf-8"), "wsl2"))
    for needed in ("networkingMode=mirrored", "%USERPROFILE%\\.wslconfig", "Windows 11 22H2", "wsl --shutdown",
                   "::1", "hostAddressLoopback=true", "OLLAMA_HOST", "New-NetFirewallRule",
                   "ip route show | grep -i default", "wslinfo --networking-mode"):
        assert needed in words, needed


def test_diagnosis_page_points_at_each_section(built_site: Build) -> None:
    diagnosis = (built_site.site / "diagnosis/index.html").read_text(encoding="utf-8")
    for anchor in SECTIONS:
        assert f'href="../changelogs/ollama/OLLAMA_TROUBLESHOOTING/#{anchor}"' in diagnosis, anchor


def test_every_link_the_terminal_checker_prints_lands_on_a_section(built_site: Build) -> None:
    source = (ROOT / "docs" / "downloads" / "ollama_check.py").read_text(encoding="utf-8")
    anchors = set(re.findall(r"""link\(\s*["']([a-z0-9-]+)["']""", source))
    assert {"wsl2", "docker", "shell-proxy"} <= anchors
    guide = (built_site.site / GUIDE).read_text(encoding="utf-8")
    missing = sorted(a for a in anchors if f'id="{a}"' not in guide)
    assert not missing, f"the script links to sections the guide does not have: {missing}"
