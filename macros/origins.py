"""Which page origins Ollama admits, and the OLLAMA_ORIGINS value that admits one more.

Matching follows gin-contrib/cors as Ollama configures it (AllowWildcard): a pattern with one
'*' admits an origin that starts with the text before the star and ends with the text after it;
any other pattern must equal the origin. A lone '*' admits every origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def origin_matches(origin: str, pattern: str) -> bool:
    if pattern == "*":
        return True
    if "*" in pattern:
        prefix, _, suffix = pattern.partition("*")
        return len(origin) >= len(prefix) + len(suffix) and origin.startswith(prefix) and origin.endswith(suffix)
    return origin == pattern


def is_admitted(origin: str, patterns: Iterable[str]) -> bool:
    return any(origin_matches(origin, pattern) for pattern in patterns)


def normalise_origin(value: str) -> str:
    """Reduce a page address to the origin a browser sends ('scheme://host[:port]', no path).

    Raises ValueError naming the problem when the value is not an http(s) address.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{value!r} is not an http:// or https:// address")
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host")
    host = parts.hostname
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    port = "" if parts.port in (None, default_port) else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}"


def origins_value_for(origin: str, defaults: Iterable[str]) -> str | None:
    """The OLLAMA_ORIGINS value that admits `origin`, or None when Ollama admits it already."""
    clean = normalise_origin(origin)
    if is_admitted(clean, defaults):
        return None
    # The exact origin, not a wildcard: admit this one page and nothing else.
    return clean
