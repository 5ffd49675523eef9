"""The two ways MarkItUp reaches Ollama, drawn at build time as HTML and CSS.

HTML rather than an image: it follows the colour scheme through Material's CSS variables,
reflows on a phone, and a screen reader reads each path as an ordered list of hops.
"""

from __future__ import annotations

from typing import Any

from .markdown import esc
from .tables import provider_name

Config = dict[str, Any]


def _path(label: str, hops: list[tuple[str, str]], features: list[str], kind: str) -> str:
    spoken = ", then ".join(name for name, _ in hops)
    items = "".join(
        f'<li class="route-hop"><span class="route-hop__name">{esc(name)}</span>'
        + (f'<span class="route-hop__detail">{esc(detail)}</span>' if detail else "")
        + "</li>"
        for name, detail in hops
    )
    used = ", ".join(esc(f) for f in features) if features else "none"
    return (
        f'<div class="route-path route-path--{kind}" data-path="{kind}">'
        f'<p class="route-path__label">{esc(label)}</p>'
        f'<ol class="route-path__hops" aria-label="{esc(label)}: {esc(spoken)}">{items}</ol>'
        f'<p class="route-path__features"><strong>Used by:</strong> {used}</p>'
        "</div>"
    )


def route_diagram(config: Config) -> str:
    ollama = next(p for p in config["providers"] if p["id"] == "ollama")
    features = config["features"]
    direct = [f["name"] for f in features if f["provider"] == "ollama" and f["side"] == "browser"]
    via_server = [
        f["name"] + (" (fallback)" if f["side"] != "server" else "")
        for f in features
        if f["provider"] == "ollama" and "server" in (f["side"], f.get("fallback"))
    ]
    cloud = [f["name"] for f in features if f["provider"] != "ollama"]
    ollama_hop = (ollama["name"], ollama["default_base_url"])
    paths = [
        _path("Browser-direct path", [("Your browser", "the page's origin"), ollama_hop], direct, "browser"),
        _path("Server path", [("Your browser", ""), ("Next.js server", "MarkItUp's API routes"), ollama_hop],
              via_server, "server"),
        _path("Cloud providers", [("Your browser", ""), ("Next.js server", "holds the API key"),
                                  (provider_name(config, "cloud"), "")], cloud, "cloud"),
    ]
    caption = (
        "Who opens the connection. On the browser-direct path the browser must be allowed to reach "
        "Ollama (network, CORS, mixed content); on the server path the Next.js process must be "
        "(network, the OS's permissions for the app that started it)."
    )
    return (
        '<figure class="route-diagram" data-diagram="routes">'
        + "".join(paths)
        + f"<figcaption>{esc(caption)}</figcaption></figure>"
    )
