"""Wires providers.yml into the build: validation, the page macros, and the checker's settings."""

from __future__ import annotations

import json
import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import diagram, facts, strict, tables
from .config import CONFIG_NAME, ConfigError, load, ollama_port, with_placeholders
from .links import cite, relative
from .proxies import check_proxy_files
from .terminal import check_script, publish_script

log = logging.getLogger("mkdocs.plugins.macros.providers")

CHECKER_PAGE = "checker.md"


def _page_path(env) -> str:
    page = getattr(env, "page", None)
    return page.file.src_uri if page is not None else "index.md"


def fact(config: dict, key: str) -> Any:
    """A value by dotted path, e.g. 'ollama.min_version' or 'checker.timeout_seconds'."""
    value: Any = config
    for part in key.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return strict.report(f"fact({key!r}): {CONFIG_NAME} has no key {key!r}")
    return value


def checker_settings(config: dict) -> dict:
    """What the browser checker needs, read from the config so the JavaScript holds no copy."""
    ollama, checker = config["ollama"], config["checker"]
    guide = relative(facts.GUIDE, CHECKER_PAGE).removesuffix(".md") + "/"
    return {
        "defaultUrl": checker["default_url"],
        "timeoutMs": round(checker["timeout_seconds"] * 1000),
        "minVersion": ollama["min_version"],
        "defaultPort": ollama_port(config),
        "defaultOrigins": ollama["default_origins"],
        "originsEnv": ollama["origins_env"],
        "maxModelsShown": checker["max_models_shown"],
        "chatPrompt": checker["chat_prompt"],
        "chatNumPredict": checker["chat_num_predict"],
        "appDefaultOrigin": checker["app_default_origin"],
        "buffering": {
            "minGenerationMs": checker["buffering"]["min_generation_ms"],
            "maxSpreadRatio": checker["buffering"]["max_spread_ratio"],
        },
        "verdicts": {
            v["id"]: {
                "title": v["title"], "cause": v["cause"], "fix": v["fix"], "fixes": v.get("fixes", {}),
                "href": f"../{guide}#{v['anchor']}",
            }
            for v in config["verdicts"]
        },
        "platforms": [{"name": p["name"], "setEnv": p["set_env"], "lang": p.get("lang", "bash")}
                      for p in config["platforms"]],
        "diagnosisHref": "../diagnosis/",
        "scriptHref": "../downloads/ollama_check.py",
    }


def setup(env) -> None:
    root = Path(env.conf["config_file_path"]).parent
    try:
        raw = load(root)
        check_script(root / env.conf["docs_dir"], raw)
        check_proxy_files(root / env.conf["docs_dir"], raw)
    except ConfigError as exc:
        raise PluginError(str(exc)) from None
    config = with_placeholders(raw)
    log.info(
        "%s loaded and validated: %d providers, %d features, %d verdicts",
        CONFIG_NAME, len(config["providers"]), len(config["features"]), len(config["verdicts"]),
    )
    env.variables["providers_config"] = config
    # The checker's partial puts this JSON, HTML-escaped, in an attribute of its root element.
    env.conf["extra"]["checker"] = json.dumps(checker_settings(config), separators=(",", ":"))
    env.conf["extra"]["checker_default_url"] = config["checker"]["default_url"]
    env.conf["extra"]["checker_app_default"] = config["checker"]["app_default_origin"]

    page = partial(_page_path, env)
    macros = {
        "provider_table": lambda: tables.provider_table(config),
        "feature_table": lambda provider=None: tables.feature_table(config, provider),
        "feature_summary": lambda provider=None, side=None: tables.feature_summary(config, provider, side),
        "app_routes_table": lambda: tables.app_routes_table(config),
        "endpoints_table": lambda: tables.endpoints_table(config),
        "settings_table": lambda: tables.settings_table(config),
        "verdict_table": lambda: tables.verdict_table(config, page(), facts.GUIDE),
        "network_failures_table": lambda: tables.network_failures_table(config),
        "diagnosis_table": lambda: tables.diagnosis_table(config, page()),
        "hosting_table": lambda: tables.hosting_table(config),
        "route_diagram": lambda: diagram.route_diagram(config, page()),
        "default_origins": lambda: facts.default_origins(config),
        "origins_for": lambda origin: facts.origins_for(config, origin),
        "verdict_heading": lambda verdict_id, level=2: facts.verdict_heading(config, verdict_id, level),
        "verdict_link": lambda verdict_id: facts.verdict_link(config, verdict_id, page()),
        "verdict_list": lambda: facts.verdict_list(config, page()),
        "platform_steps": lambda name, value: facts.platform_steps(config, name, value),
        "tested_engines": lambda: facts.tested_engines(config),
        "fact": lambda key: fact(config, key),
        "cite": lambda ref: _cite(config, ref),
        "provider": lambda provider_id: _provider(config, provider_id),
        "port": lambda: ollama_port(config),
    }
    for name, func in macros.items():
        env.macro(func, name)


def _cite(config: dict, ref: str) -> str:
    known = {s["id"] for s in config["sources"]}
    if ref.partition(":")[0] not in known:
        return strict.report(f"cite({ref!r}): no such source in {CONFIG_NAME} (known: {', '.join(sorted(known))})")
    return cite(ref, config["sources"])


def _provider(config: dict, provider_id: str) -> dict:
    found = next((p for p in config["providers"] if p["id"] == provider_id), None)
    if found is None:
        strict.report(f"provider({provider_id!r}): no such entry in {CONFIG_NAME} providers")
        return {}
    return found


def before_page(env) -> None:
    # Installed here because mkdocs-macros builds its Jinja environment after define_env().
    env.env.undefined = strict.RecordingUndefined
    strict.start_page()


def after_page(env) -> None:
    strict.finish_page(f"docs/{_page_path(env)}")


def after_build(env) -> None:
    # Only an address given on purpose: mkdocs.yml falls back to loopback, which the reader may never have served.
    publish_script(Path(env.conf["site_dir"]), os.environ.get("SITE_URL", ""))
