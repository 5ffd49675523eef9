"""Keep the reverse-proxy files that the https page shows (docs/downloads/proxies/) in step with providers.yml.

They are plain configuration files that readers download and the tests run, so they cannot use the macros;
instead the build fails if they no longer send requests to Ollama's address, or no longer give nginx a Host
header with Ollama's port.
"""

from __future__ import annotations

from pathlib import Path

from .config import CONFIG_NAME, ConfigError, ollama_port

PROXIES = Path("downloads") / "proxies"


def expected_lines(config: dict) -> dict[str, list[tuple[str, str]]]:
    """File name -> (config key, text the file must contain)."""
    bind, port = config["ollama"]["default_bind"], ollama_port(config)
    return {
        "ollama-nginx.conf": [("ollama.default_bind", f"proxy_pass http://{bind};"),
                              ("ollama.default_bind", f"proxy_set_header Host localhost:{port};")],
        "Caddyfile": [("ollama.default_bind", f"reverse_proxy {bind} {{")],
    }


def check_proxy_files(docs_dir: Path, config: dict) -> None:
    for name, lines in expected_lines(config).items():
        path = docs_dir / PROXIES / name
        if not path.exists():
            raise ConfigError(f"{path}: missing (the https page shows it and the tests run it)")
        text = path.read_text(encoding="utf-8")
        for key, line in lines:
            if line not in text:
                raise ConfigError(f"{CONFIG_NAME}: {key}: {path} has no line {line!r}; keep both the same")
