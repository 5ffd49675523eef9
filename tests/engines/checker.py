"""The checker page, driven through EnginePage: the same steps in every engine."""

from __future__ import annotations

import json
from typing import Any

from engines.page import EnginePage

ROOT = "[data-ollama-checker]"
CHECKS = ("url", "context", "reach", "identity", "models", "model", "chat")

_ROWS = """
const rows = {};
for (const row of document.querySelectorAll("[data-check]")) {
  rows[row.dataset.check] = [row.dataset.status ?? "", row.querySelector(".checker-detail")?.textContent ?? ""];
}
return rows;
"""


def open_checker(page: EnginePage, url: str) -> None:
    """Load the page and wait until the script has mounted (data-state="ready", the button enabled)."""
    page.open(url)
    page.wait_for(f"{ROOT}[data-state=ready]")


def check(page: EnginePage, url: str, model: str = "", timeout: str = "", wait: float = 15.0) -> str:
    """Fill the form as a reader would, press the button, and return the verdict."""
    page.fill("input[name=url]", url)
    page.fill("input[name=model]", model)
    page.fill("input[name=timeout]", timeout)
    page.click(f"{ROOT} button[type=submit]")
    page.wait_for(f"{ROOT}[data-state=done]", wait)
    return page.attribute(ROOT, "data-verdict") or ""


def rows(page: EnginePage) -> dict[str, tuple[str, str]]:
    """check id -> (data-status, detail text)."""
    return {key: (status, detail) for key, (status, detail) in page.run(_ROWS).items()}


def config(page: EnginePage) -> dict[str, Any]:
    return json.loads(page.attribute(ROOT, "data-checker-config") or "{}")
