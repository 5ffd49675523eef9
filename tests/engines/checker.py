"""The checker page, driven through EnginePage: the same steps in every engine."""

from __future__ import annotations

from typing import Any

from engines.page import EnginePage

ROOT = "[data-ollama-checker]"
CHECKS = ("url", "context", "reach", "identity", "models", "model", "chat")

# Mounted: data-state="ready" once the script has set the form up (or, before that attribute, a prefilled URL).
_MOUNTED = """
const deadline = Date.now() + 10000;
while (Date.now() < deadline) {
  const root = document.querySelector(args[0]);
  if (root?.dataset.state === "ready" || (!root?.dataset.state && root?.querySelector("input[name=url]")?.value)) {
    return true;
  }
  await new Promise((resolve) => setTimeout(resolve, 25));
}
return false;
"""

_ROWS = """
const rows = {};
for (const row of document.querySelectorAll("[data-check]")) {
  rows[row.dataset.check] = [row.dataset.status ?? "", row.querySelector(".checker-detail")?.textContent ?? ""];
}
return rows;
"""


def open_checker(page: EnginePage, url: str) -> None:
    page.open(url)
    assert page.run(_MOUNTED, ROOT), f"the checker did not mount at {url} in {page.engine}"


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
    import json

    return json.loads(page.attribute(ROOT, "data-checker-config") or "{}")
