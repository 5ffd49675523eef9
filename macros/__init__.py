"""mkdocs-macros module: load providers.yml once per build and give pages its tables and facts.

mkdocs-macros calls define_env() once per build. `mkdocs serve` keeps one Python process alive
across rebuilds, so the submodules are dropped from the import cache here first: an edit under
macros/ then takes effect on the next rebuild, just as an edit to providers.yml does.
"""

from __future__ import annotations

import sys


def _fresh_submodules() -> None:
    package = sys.modules[__name__]
    for name in [n for n in sys.modules if n.startswith(__name__ + ".")]:
        del sys.modules[name]
        # `from . import x` would otherwise find the old module as an attribute of the package.
        short = name.rpartition(".")[2]
        if hasattr(package, short):
            delattr(package, short)


def define_env(env) -> None:
    _fresh_submodules()
    from .site import setup

    setup(env)


def on_pre_page_macros(env) -> None:
    from .site import before_page

    before_page(env)


def on_post_page_macros(env) -> None:
    from .site import after_page

    after_page(env)


def on_post_build(env) -> None:
    from .site import after_build

    after_build(env)
