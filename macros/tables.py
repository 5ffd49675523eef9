"""Tables rendered from providers.yml. Each takes the loaded config and the current page path."""

from __future__ import annotations

from typing import Any

from .facts import origins_for
from .links import cite, relative
from .markdown import code, table

Config = dict[str, Any]

SIDE_LABEL = {"browser": "Browser", "server": "Next.js server"}


def provider_name(config: Config, provider_id: str) -> str:
    """A provider's name; "cloud" names every provider reached through the server, as providers.yml lists them."""
    if provider_id == "cloud":
        return ", ".join(p["name"] for p in config["providers"] if p["reached_from"] == "server")
    return next(p["name"] for p in config["providers"] if p["id"] == provider_id)


def hops(feature: dict, provider: str, side: str) -> str:
    """The path one request takes, e.g. 'Browser → Next.js `POST /api/ai` → Ollama'."""
    if side == "browser" and not feature.get("app_routes"):
        return f"Browser → {provider}"
    routes = ", ".join(code(r) for r in feature.get("app_routes", [])) or "route"
    return f"Browser → Next.js {routes} → {provider}"


def feature_path(config: Config, feature: dict) -> str:
    provider = provider_name(config, feature["provider"])
    first = hops(feature, provider, feature["side"])
    if feature.get("fallback") == "server" and feature["side"] == "browser":
        direct = f"Browser → {provider}"
        return f"{direct}; if that fails, {hops(feature, provider, 'server')}"
    return first


def works_when_only(feature: dict, side: str) -> str:
    """Whether a feature still works when only `side` (browser or server) can reach Ollama."""
    if feature["side"] == side:
        return "Yes"
    if feature.get("fallback") == side:
        return "Yes, through the fallback"
    return "No"


def provider_table(config: Config) -> str:
    rows = []
    for p in config["providers"]:
        reach = f"Browser → {p['name']}, directly" if p["reached_from"] == "browser" else \
            "Browser → Next.js route → provider"
        key = "Required, kept on the server" if p["api_key"] else "None"
        rows.append([p["name"], key, code(p["default_base_url"]), code(p["default_model"]), reach,
                     cite(p["source"], config["sources"])])
    return table(["Provider", "API key", "Default base URL", "Default model", "How the app reaches it", "Source"],
                 rows, 'data-table="providers"')


def feature_table(config: Config, provider: str | None = None) -> str:
    rows = []
    for f in config["features"]:
        if provider and f["provider"] != provider:
            continue
        endpoints = ", ".join(code(e) for e in f["endpoints"])
        rows.append([
            f["name"], provider_name(config, f["provider"]), SIDE_LABEL[f["side"]], feature_path(config, f),
            endpoints, works_when_only(f, "browser"), works_when_only(f, "server"),
            cite(f["source"], config["sources"]),
        ])
    return table(
        ["Feature", "Provider", "Connects to the provider", "Path", "Provider endpoints",
         "Works when only the browser reaches Ollama", "Works when only the server reaches Ollama", "Source"],
        rows, 'data-table="features"')


def feature_summary(config: Config, provider: str | None = None, side: str | None = None) -> str:
    """The feature table's rows a page needs (one provider, one side), in three columns; the full table is the
    API reference's."""
    rows = [[f["name"], SIDE_LABEL[f["side"]], feature_path(config, f)]
            for f in config["features"]
            if (provider is None or f["provider"] == provider)
            and (side is None or side in (f["side"], f.get("fallback")))]
    return table(["Feature", "Connects from", "Path"], rows, 'data-table="features-summary"')


def app_routes_table(config: Config) -> str:
    rows = [[code(r["route"]), r["purpose"], r["forwards_to"], cite(r["source"], config["sources"])]
            for r in config["app_routes"]]
    return table(["Route", "What it does", "Forwards to", "Source"], rows, 'data-table="app-routes"')


def endpoints_table(config: Config) -> str:
    rows = []
    for e in config["ollama"]["endpoints"]:
        used_by = [f["name"] for f in config["features"]
                   if f["provider"] == "ollama" and e["endpoint"] in f["endpoints"]]
        rows.append([code(e["endpoint"]), e["purpose"], ", ".join(used_by) or "The checkers",
                     cite(e["source"], config["sources"])])
    return table(["Endpoint", "What it is for", "Used by", "Source"], rows, 'data-table="endpoints"')


def settings_table(config: Config) -> str:
    settings = config["settings"]
    rows = [[code(f["name"]), f["type"], "—" if f.get("default") is None else code(f["default"]),
             f["meaning"] + (f" ({cite(f['source'], config['sources'])})" if f.get("source") else "")]
            for f in settings["fields"]]
    return table(["Field", "Type", "Default", "Meaning"], rows, 'data-table="settings"')


def verdict_table(config: Config, page: str, guide: str) -> str:
    rows = []
    for v in config["verdicts"]:
        seen = " and ".join(v["seen_by"])
        link = f"[{v['title']}]({relative(guide + '#' + v['anchor'], page)})"
        rows.append([code(v["id"]), link, v["cause"], seen])
    return table(["Verdict", "Section", "What it means", "Reported by"], rows, 'data-table="verdicts"')


def network_failures_table(config: Config) -> str:
    rows = []
    for f in config["network_failures"]:
        exit_code = "—" if f["curl_exit"] is None else str(f["curl_exit"])
        message = f.get("curl_message", "")
        rows.append([exit_code, message and code(message), f["title"], ", ".join(code(e) for e in f["errno"]) or "—",
                     f["meaning"]])
    return table(["curl exit", "curl says", "Failure", "errno", "What it means"], rows, 'data-table="curl-exit"')


def diagnosis_table(config: Config, page: str) -> str:
    titles = {v["id"]: v["title"] for v in config["verdicts"]}
    failures = {f["id"]: f["title"] for f in config["network_failures"]}
    titles |= failures
    rows = []
    for d in config["diagnosis"]:
        terminal = f"{code(d['terminal'])} ({titles[d['terminal']]})"
        if d["terminal"] in failures:  # the script's headline: "Verdict: unreachable (no-route) - No route to host"
            verdict = "timeout" if d["terminal"] == "timed-out" else "unreachable"
            terminal = f"{code(verdict)} ({code(d['terminal'])}: {titles[d['terminal']]})"
        if d.get("where"):
            terminal += f", on {d['where']}"
        browser = f"{code(d['browser'])} ({titles[d['browser']]})"
        if d.get("also"):
            browser += f"; {d['also']}"
        rows.append([browser, terminal, d["cause"], f"{d['fix']} [Details]({relative(d['link'], page)})"])
    return table(["Browser checker says", "Terminal says", "Cause", "Fix"], rows, 'data-table="diagnosis"')


def hosting_table(config: Config) -> str:
    """Where the site may be served, what its checker can then call (with the sources that say so), and the
    origin Ollama must admit. Three columns, so that they still sit side by side in the text column."""
    rows = []
    for place in config["hosting"]:
        sources = ", ".join(cite(source, config["sources"]) for source in place["sources"])
        admit = place["admit"]
        if place.get("example_origin"):
            admit += f", e.g. {origins_for(config, place['example_origin'])}"
        rows.append([place["served_from"], f"{place['can_call']} (sources: {sources})", admit])
    headers = ["Served from", "The checker can call", f"Origin to admit in {config['ollama']['origins_env']}"]
    return table(headers, rows, 'data-table="hosting"')
