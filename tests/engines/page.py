"""The engine-neutral page interface the matrix tests use: a few things a reader (or a test) does to a page."""

from __future__ import annotations

from typing import Any, Protocol


class EnginePage(Protocol):
    """One fresh page (and profile) in one engine."""

    engine: str

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""

    def fill(self, selector: str, text: str) -> None:
        """Replace a field's value as typing would (input events fire)."""

    def click(self, selector: str) -> None:
        """A real click, with the user activation a click gives (clipboard access needs it)."""

    def paste(self, selector: str) -> None:
        """Focus a field and press Ctrl+V, as a reader pastes (how a test reads what was copied)."""

    def wait_for(self, selector: str, timeout: float = 10.0) -> None:
        """Wait until an element matches `selector` (e.g. `[data-state=done]`); fail after `timeout` seconds."""

    def attribute(self, selector: str, name: str) -> str | None:
        """The first match's attribute, None when absent."""

    def text(self, selector: str) -> str:
        """The first match's textContent."""

    def run(self, body: str, *args: Any) -> Any:
        """Run `body` as the body of an async function with `args` in scope; return its JSON-able result."""

    def close(self) -> None:
        """Close the page and its profile."""


def async_function(body: str) -> str:
    """`body` wrapped as `async (args) => { ... }`, the same text for every engine."""
    return f"async (args) => {{ {body}\n}}"
