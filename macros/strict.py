"""Turn writer mistakes in pages into one clean build error instead of a traceback.

mkdocs-macros wraps every rendering error in a report with a traceback. Undefined names and
misused macros are recorded here while a page renders and raised afterwards as a PluginError,
which MkDocs prints as a single line and which fails the build.
"""

from __future__ import annotations

from jinja2 import ChainableUndefined
from mkdocs.exceptions import PluginError

_problems: list[str] = []


def report(message: str) -> str:
    """Record a problem found while rendering the current page; render nothing in its place."""
    _problems.append(message)
    return ""


class RecordingUndefined(ChainableUndefined):
    """An undefined name renders as nothing and is recorded, so the page fails after rendering.

    `is defined` tests still work: only printing or iterating the value counts as a use.
    """

    def __str__(self) -> str:
        return report(f"undefined variable {self._undefined_name!r}")

    def __iter__(self):  # type: ignore[override]
        report(f"undefined variable {self._undefined_name!r}")
        return iter(())


def start_page() -> None:
    _problems.clear()


def finish_page(page_path: str) -> None:
    if _problems:
        found = "; ".join(dict.fromkeys(_problems))
        _problems.clear()
        raise PluginError(f"{page_path}: {found}")
