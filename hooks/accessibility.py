"""MkDocs hook: give the theme's dialog and progress bar the accessible names it leaves out.

Material 9.8 renders its search overlay as role="dialog" and its instant-navigation progress
bar as role="progressbar", both without a name, which screen readers announce as an unnamed
dialog or bar (axe: aria-dialog-name, aria-progressbar-name). Naming them in the built HTML
keeps the theme's templates untouched.
"""

from __future__ import annotations

import re

NAMES = {
    # element marker (unique in the theme's output) -> accessible name
    'data-md-component="search" role="dialog"': "Search",
    'data-md-component="progress" role="progressbar"': "Loading page",
}


def on_post_page(output: str, page, config) -> str:
    for marker, name in NAMES.items():
        output = re.sub(re.escape(marker) + r'(?![^>]*aria-label)', f'{marker} aria-label="{name}"', output, count=1)
    return output
