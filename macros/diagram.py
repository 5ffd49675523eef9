"""The paths from MarkItUp to its AI providers, drawn at build time from providers.yml `routes`.

The picture is HTML in elements of its own (rd-*), which no Material rule can reach: it follows
the colour scheme through Material's CSS variables and turns from left-to-right into
top-to-bottom when its column is narrow (docs/stylesheets/diagram.css). The picture is hidden
from screen readers; the "in words" block under it says the same, with links and sources.

Contract for tests and styles: root [data-route-diagram], each path [data-path], each hop
[data-hop], in flow order.
"""

from __future__ import annotations

from typing import Any

from .links import cite, relative
from .markdown import code, esc
from .tables import provider_name

Config = dict[str, Any]


def _hop(config: Config, hop: dict) -> tuple[str, str]:
    """(name, detail) of one hop; a provider hop takes its name from `providers`."""
    if "name" in hop:
        return hop["name"], hop.get("detail", "")
    name = provider_name(config, hop["provider"])
    default = f"listens on {config['ollama']['default_bind']}" if hop["provider"] == "ollama" else ""
    return name, hop.get("detail", default)


def _used_by(config: Config, route_id: str) -> list[str]:
    """Which features take this path (the settings panel takes the server path as a fallback)."""
    features = config["features"]
    if route_id == "cloud":
        return [f["name"] for f in features if f["provider"] != "ollama"]
    ollama = [f for f in features if f["provider"] == "ollama"]
    if route_id == "browser":
        return [f["name"] for f in ollama if f["side"] == "browser"]
    return [f["name"] + (" (fallback)" if f["side"] != "server" else "")
            for f in ollama if "server" in (f["side"], f.get("fallback"))]


def _picture_path(config: Config, route: dict, barriers: dict[str, dict]) -> str:
    hops = [_hop(config, h) for h in route["hops"]]
    parts = []
    for index, (name, detail) in enumerate(hops):
        if index:
            last_leg = index == len(hops) - 1
            chips = "".join(f"<rd-barrier>{esc(barriers[b]['name'])}</rd-barrier>"
                            for b in route["barriers"]) if last_leg else ""
            barriers_html = f"<rd-barriers><rd-note>Can be stopped by:</rd-note>{chips}</rd-barriers>" if chips else ""
            parts.append(f"<rd-leg><rd-arrow></rd-arrow>{barriers_html}</rd-leg>")
        detail_html = f"<rd-detail>{esc(detail)}</rd-detail>" if detail else ""
        parts.append(f"<rd-hop data-hop><rd-name>{esc(name)}</rd-name>{detail_html}</rd-hop>")
    used = ", ".join(_used_by(config, route["id"])) or "none"
    return (
        f'<rd-path data-path="{esc(route["id"])}" data-hops="{len(hops)}">'
        f"<rd-label>{esc(route['name'])}</rd-label>"
        f"<rd-flow>{''.join(parts)}</rd-flow>"
        f"<rd-used><rd-strong>Used by:</rd-strong> {esc(used)}</rd-used>"
        "</rd-path>"
    )


def _words(config: Config, route: dict, barriers: dict[str, dict], page: str) -> str:
    """One list item per path, saying what the picture shows, as Markdown (links are checked)."""
    hops = []
    for name, detail in (_hop(config, h) for h in route["hops"]):
        hops.append(f"{name} ({detail})" if detail else name)
    lines = [f"- **{route['name']}:** {', then '.join(hops)}. Used by: "
             f"{', '.join(_used_by(config, route['id'])) or 'none'}."]
    if route["barriers"]:
        lines += ["", f"    What can stop the last leg, into {_hop(config, route['hops'][-1])[0]}:", ""]
    for barrier_id in route["barriers"]:
        barrier = barriers[barrier_id]
        link = relative(barrier["link"], page)
        source = cite(barrier["source"], config["sources"])
        lines.append(f"    - [{barrier['name']}]({link}): {barrier['says']} ({source})")
    return "\n".join(lines)


def route_diagram(config: Config, page: str) -> str:
    barriers = {b["id"]: b for b in config["barriers"]}
    routes = config["routes"]
    picture = "".join(_picture_path(config, r, barriers) for r in routes)
    words = "\n\n".join(_words(config, r, barriers, page) for r in routes)
    note = (f"Whichever path is taken, Ollama on another machine must listen beyond loopback: "
            f"{code(config['ollama']['host_env'])}.")
    return (
        '<div class="rd" data-route-diagram markdown="1">\n'
        f'<div class="rd-picture" aria-hidden="true"><rd-paths>{picture}</rd-paths></div>\n\n'
        '<details class="rd-words" markdown="1">\n<summary>The diagram in words</summary>\n\n'
        f"{words}\n\n{note}\n\n</details>\n\n</div>"
    )
