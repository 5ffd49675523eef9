"""Inline facts and small blocks from providers.yml: URLs, origins, verdicts, platform steps."""

from __future__ import annotations

from typing import Any

from .links import cite, relative
from .markdown import code
from .origins import origins_value_for
from .strict import report

Config = dict[str, Any]

GUIDE = "changelogs/ollama/OLLAMA_TROUBLESHOOTING.md"


def verdict(config: Config, verdict_id: str) -> dict | None:
    found = next((v for v in config["verdicts"] if v["id"] == verdict_id), None)
    if found is None:
        report(f"unknown verdict {verdict_id!r} (known: {', '.join(v['id'] for v in config['verdicts'])})")
    return found


def verdict_heading(config: Config, verdict_id: str, level: int = 2) -> str:
    """The guide's section heading for a verdict, carrying the stable anchor the checkers link to."""
    v = verdict(config, verdict_id)
    if v is None:
        return ""
    heading = f"{'#' * level} {v['title']} ({code(v['id'])}) {{ #{v['anchor']} }}"
    return f"{heading}\n\n**Cause:** {v['cause']}\n\n**Fix:** {v['fix']}"


def verdict_link(config: Config, verdict_id: str, page: str) -> str:
    v = verdict(config, verdict_id)
    if v is None:
        return ""
    return f"[{code(v['id'])}]({relative(GUIDE + '#' + v['anchor'], page)})"


def verdict_list(config: Config, page: str) -> str:
    return ", ".join(verdict_link(config, v["id"], page) for v in config["verdicts"])


def default_origins(config: Config) -> str:
    return "\n".join(f"- {code(o)}" for o in config["ollama"]["default_origins"])


def origins_for(config: Config, origin: str) -> str:
    """`OLLAMA_ORIGINS=...` for a page origin, or a sentence saying none is needed."""
    try:
        value = origins_value_for(origin, config["ollama"]["default_origins"])
    except ValueError as exc:
        return report(f"origins_for: {exc}")
    if value is None:
        return f"nothing: Ollama admits {code(origin)} by default"
    # One line, never broken inside the port (site.css: code.one-line).
    return code(f"{config['ollama']['origins_env']}={value}") + "{ .one-line }"


def platform_steps(config: Config, name: str, value: str) -> str:
    """Content tabs, one per platform, that set an Ollama environment variable and restart it.

    Where a platform already sets the variable (the ollama/ollama image sets OLLAMA_HOST), its tab
    shows what matters there instead, with the source that says so.
    """
    blocks = []
    for p in config["platforms"]:
        preset = p.get("already_set", {}).get(name)
        steps = preset["instead"] if preset else p["set_env"].replace("{name}", name).replace("{value}", value)
        body = steps.rstrip()
        lang = p.get("lang", "bash")
        note = f"\n\n    {p['note']}" if p.get("note") else ""
        if preset:
            note += f"\n\n    Source: {cite(preset['source'], config['sources'])}."
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
        blocks.append(f'=== "{p["name"]}"\n\n    ``` {lang}\n{indented}\n    ```{note}\n')
    return "\n".join(blocks)


def tested_engines(config: Config) -> str:
    """"Chromium 156, Firefox ESR 153 and ...": the engines the checker's tests drive, as providers.yml lists them."""
    engines = [f"{e['name']} {e['version']}" for e in config["checker"].get("tested_engines", [])]
    if not engines:
        return report("tested_engines(): providers.yml has no checker.tested_engines")
    return ", ".join(engines[:-1]) + (" and " if len(engines) > 1 else "") + engines[-1]
