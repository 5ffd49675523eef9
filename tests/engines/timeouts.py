"""Guarding browser starts: a driver without a display hangs silently, so every start gets a deadline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class EngineStartError(RuntimeError):
    """An engine did not start; the message says which and why."""


def within(seconds: float, what: str, start: Callable[[], T], on_timeout: Callable[[], None]) -> T:
    """Run `start()` in a thread; after `seconds`, call `on_timeout()` (kill what it started) and raise."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = start()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name=f"start {what}")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        on_timeout()
        raise EngineStartError(f"{what} did not start within {seconds:.0f} s (is a display there?)")
    if "error" in outcome:
        raise EngineStartError(f"{what} did not start: {outcome['error']}") from outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
