"""Load providers.yml, validate it against its JSON Schema, and check what a schema cannot.

Every failure is a ConfigError whose message names the file and the key path at fault, so a
writer sees one line they can act on instead of a traceback.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CONFIG_NAME = "providers.yml"
SCHEMA_NAME = "providers.schema.json"


class ConfigError(Exception):
    """providers.yml (or its schema) cannot be used; the message says where and why."""


def key_path(parts: Iterable[str | int]) -> str:
    """Render a JSON path such as ('features', 3, 'provider') as 'features[3].provider'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping key given twice (YAML would keep the last silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice (first at line {seen[key].line + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path.name}: invalid YAML{where}: {problem}") from None


def _read_schema(path: Path) -> dict:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _schema_errors(data: Any, schema: dict, name: str) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return
    # The deepest, most specific error first tells the writer exactly which key to fix.
    best = jsonschema.exceptions.best_match(errors)
    lines = [f"{name}: {key_path(best.absolute_path)}: {best.message}"]
    others = [e for e in errors if e is not best]
    for extra in others[:4]:
        lines.append(f"  also {key_path(extra.absolute_path)}: {extra.message}")
    if len(others) > 4:
        lines.append(f"  ... and {len(others) - 4} more")
    raise ConfigError("\n".join(lines))


def _unique(items: list[Mapping[str, Any]], field: str, where: str, name: str) -> set[str]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        value = item[field]
        if value in seen:
            raise ConfigError(
                f"{name}: {where}[{index}].{field}: duplicate id {value!r} (already used by {where}[{seen[value]}])"
            )
        seen[value] = index
    return set(seen)


def _check_ref(value: str, known: set[str], path: str, what: str, name: str) -> None:
    if value not in known:
        raise ConfigError(f"{name}: {path}: unknown {what} {value!r} (known: {', '.join(sorted(known))})")


def _cross_check(data: dict, name: str) -> None:
    """Rules that span keys: unique ids, and every reference pointing at something that exists."""
    sources = _unique(data["sources"], "id", "sources", name)
    providers = _unique(data["providers"], "id", "providers", name)
    _unique(data["features"], "id", "features", name)
    verdicts = _unique(data["verdicts"], "id", "verdicts", name)
    _unique(data["verdicts"], "anchor", "verdicts", name)
    failures = _unique(data["network_failures"], "id", "network_failures", name)
    _unique(data["ollama"]["endpoints"], "id", "ollama.endpoints", name)
    _unique(data["diagnosis"], "id", "diagnosis", name)
    _unique(data["platforms"], "id", "platforms", name)

    def check_source(value: str, path: str) -> None:
        _check_ref(value.split(":", 1)[0], sources, path, "source", name)

    for index, item in enumerate(data["providers"]):
        check_source(item["source"], f"providers[{index}].source")
    for index, item in enumerate(data["features"]):
        _check_ref(item["provider"], providers | {"cloud"}, f"features[{index}].provider", "provider", name)
        check_source(item["source"], f"features[{index}].source")
    for index, item in enumerate(data["app_routes"]):
        check_source(item["source"], f"app_routes[{index}].source")
    for index, item in enumerate(data["ollama"]["endpoints"]):
        check_source(item["source"], f"ollama.endpoints[{index}].source")
    check_source(data["ollama"]["source"], "ollama.source")
    check_source(data["checker"]["app_default_source"], "checker.app_default_source")
    if "settings" in data:
        check_source(data["settings"]["source"], "settings.source")
    for index, platform in enumerate(data["platforms"]):
        for env_name, preset in platform.get("already_set", {}).items():
            check_source(preset["source"], f"platforms[{index}].already_set.{env_name}.source")
    for index, field in enumerate(data.get("settings", {}).get("fields", [])):
        if "source" in field:
            check_source(field["source"], f"settings.fields[{index}].source")
    _check_placeholders(data, name)
    for index, item in enumerate(data["diagnosis"]):
        _check_ref(item["browser"], verdicts, f"diagnosis[{index}].browser", "verdict", name)
        _check_ref(item["terminal"], verdicts | failures, f"diagnosis[{index}].terminal", "verdict or failure", name)
    barriers = _unique(data["barriers"], "id", "barriers", name)
    _unique(data["routes"], "id", "routes", name)
    for index, item in enumerate(data["barriers"]):
        check_source(item["source"], f"barriers[{index}].source")
    for index, place in enumerate(data["hosting"]):
        for source_index, source in enumerate(place["sources"]):
            check_source(source, f"hosting[{index}].sources[{source_index}]")
    for index, route in enumerate(data["routes"]):
        for hop_index, hop in enumerate(route["hops"]):
            if "provider" in hop:
                _check_ref(hop["provider"], providers | {"cloud"}, f"routes[{index}].hops[{hop_index}].provider",
                           "provider", name)
        for barrier_index, barrier in enumerate(route["barriers"]):
            _check_ref(barrier, barriers, f"routes[{index}].barriers[{barrier_index}]", "barrier", name)
    if "ollama" not in providers:
        raise ConfigError(f"{name}: providers: no provider with id 'ollama' (the site is about it)")


# Reader-facing texts that may name a setting as {name}; with_placeholders() fills them in. The terminal
# checker carries the verdict, diagnosis and failure texts too, and fills in only {port}.
PORT_ONLY = frozenset({"port"})
SETTINGS = frozenset({"default_bind", "port", "host_env", "origins_env"})
PLACEHOLDER_TEXTS = {
    "verdicts": (("title", "cause", "fix", "terminal_fix"), PORT_ONLY),
    "diagnosis": (("cause", "fix"), PORT_ONLY),
    "network_failures": (("meaning",), PORT_ONLY),
    "barriers": (("says",), SETTINGS),
}
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def _check_placeholders(data: dict, name: str) -> None:
    """A typo such as {prot} would reach readers as text: only the names a text's section knows may appear."""
    for section, (fields, known) in PLACEHOLDER_TEXTS.items():
        for index, item in enumerate(data[section]):
            for field in fields:
                for found in PLACEHOLDER.findall(item.get(field, "")):
                    if found not in known:
                        raise ConfigError(f"{name}: {section}[{index}].{field}: unknown placeholder {{{found}}} "
                                          f"(known: {', '.join('{' + k + '}' for k in sorted(known))})")


def placeholder_values(config: dict) -> dict[str, str]:
    ollama = config["ollama"]
    return {"default_bind": ollama["default_bind"], "port": str(ollama_port(config)),
            "host_env": ollama["host_env"], "origins_env": ollama["origins_env"]}


def with_placeholders(config: dict) -> dict:
    """A copy of the config whose reader-facing texts carry the settings' values instead of {names}."""
    values = placeholder_values(config)
    port = values["port"]
    filled = copy.deepcopy(config)
    for section, (fields, _) in PLACEHOLDER_TEXTS.items():
        for item in filled[section]:
            for field in fields:
                if field in item:
                    item[field] = PLACEHOLDER.sub(lambda match: values[match.group(1)], item[field])
    # A platform's steps also hold {name} and {value}, which the checker and the macros fill per use.
    for platform in filled["platforms"]:
        platform["set_env"] = platform["set_env"].replace("{port}", port)
        for preset in platform.get("already_set", {}).values():
            preset["value"] = preset["value"].replace("{port}", port)
            preset["instead"] = preset["instead"].replace("{port}", port)
    return filled


def load(root: Path) -> dict:
    """Read, validate and cross-check root/providers.yml; return the data, or raise ConfigError."""
    data = _read_yaml(root / CONFIG_NAME)
    schema = _read_schema(root / SCHEMA_NAME)
    _schema_errors(data, schema, CONFIG_NAME)
    _cross_check(data, CONFIG_NAME)
    return data


def ollama_port(config: dict) -> int:
    """Ollama's default port, read from its default bind address (schema: host:port)."""
    return int(config["ollama"]["default_bind"].rpartition(":")[2])
