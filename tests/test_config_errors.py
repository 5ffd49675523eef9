"""A broken providers.yml, or a page that misuses it, fails the build with one clear line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        file = project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def append(path: str, text: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        with (project / path).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


CASES = {
    "invalid YAML": (
        replace("providers.yml", "checker:\n  default_url:", "checker:\n default_url: [\n  default_url:"),
        ["providers.yml: invalid YAML at line"],
    ),
    "wrong type": (
        replace("providers.yml", "    api_key: false", '    api_key: "no"'),
        ["providers.yml: providers[3].api_key:", "is not of type 'boolean'"],
    ),
    "missing key": (
        replace("providers.yml", "  min_version: 0.1.45\n", ""),
        ["providers.yml: ollama:", "'min_version' is a required property"],
    ),
    "bad URL": (
        replace("providers.yml", "  default_url: http://localhost:11434", "  default_url: localhost:11434"),
        ["providers.yml: checker.default_url:", "does not match"],
    ),
    "unknown key": (
        replace("providers.yml", "  timeout_seconds: 5", "  timeout_seconds: 5\n  timout: 3"),
        ["providers.yml: checker:", "'timout' was unexpected"],
    ),
    "unknown provider": (
        replace("providers.yml", "  - id: chat\n    name: AI chat\n    provider: ollama",
                "  - id: chat\n    name: AI chat\n    provider: olama"),
        ["providers.yml: features[0].provider: unknown provider 'olama'"],
    ),
    "unknown barrier": (
        replace("providers.yml", "    barriers: [origins, mixed-content,", "    barriers: [origin, mixed-content,"),
        ["providers.yml: routes[0].barriers[0]: unknown barrier 'origin'"],
    ),
    "unknown placeholder in a barrier": (
        replace("providers.yml", "must let port {port} through", "must let port {ollama_port} through"),
        ["providers.yml: barriers[5].says: unknown placeholder {ollama_port}"],
    ),
    "hop with neither name nor provider": (
        replace("providers.yml", "      - {name: Your browser}\n      - {name: Next.js server, detail: \"MarkItUp's",
                "      - {detail: nobody}\n      - {name: Next.js server, detail: \"MarkItUp's"),
        ["providers.yml: routes[1].hops[0]:"],
    ),
    "duplicate id": (
        replace("providers.yml", "  - id: flashcards", "  - id: chat"),
        ["providers.yml: features[4].id: duplicate id 'chat' (already used by features[0])"],
    ),
    "duplicate key": (
        replace("providers.yml", "  timeout_seconds: 5", "  timeout_seconds: 5\n  timeout_seconds: 6"),
        ["providers.yml: invalid YAML at line", "key 'timeout_seconds' is given twice"],
    ),
    "unknown source": (
        replace("providers.yml", "source: markitup:src/lib/ai/providers/ollama.ts", "source: nowhere:ollama.ts"),
        ["providers.yml: providers[3].source: unknown source 'nowhere'"],
    ),
    "unknown source in hosting": (
        replace("providers.yml", "    sources: [chrome-lna, chrome-lna-blog, mdn-mixed-content]",
                "    sources: [chrome-lna, chrome-lan-blog, mdn-mixed-content]"),
        ["providers.yml: hosting[2].sources[1]: unknown source 'chrome-lan-blog'"],
    ),
    "unknown verdict in diagnosis": (
        replace("providers.yml", "    browser: cors-blocked", "    browser: cors-blockd"),
        ["providers.yml: diagnosis[1].browser: unknown verdict 'cors-blockd'"],
    ),
    "script vocabulary drift": (
        replace("docs/downloads/ollama_check.py", '"version-too-old")', '"too-old")'),
        ["providers.yml: verdicts[].id: differs from VERDICTS in"],
    ),
    "script copy drift": (
        replace("providers.yml", "  min_version: 0.1.45", "  min_version: 0.1.46"),
        ["providers.yml: ollama.min_version: differs from MIN_VERSION in"],
    ),
    "script fix drift": (
        replace("providers.yml", "    fix: Pull a model on the Ollama host, e.g. ollama pull llama3.2.",
                "    fix: Pull a model on the Ollama host first, e.g. ollama pull llama3.2."),
        ["providers.yml: verdicts[].terminal_fix (else .fix): differs from FIXES in"],
    ),
    "unknown placeholder in a verdict": (
        replace("providers.yml", "Check the port ({port} by default)", "Check the port ({prot} by default)"),
        ["providers.yml: verdicts[8].fix: unknown placeholder {prot}"],
    ),
    "proxy file drift": (
        replace("docs/downloads/proxies/Caddyfile", "reverse_proxy 127.0.0.1:11434 {",
                "reverse_proxy 127.0.0.1:11435 {"),
        ["providers.yml: ollama.default_bind:", "Caddyfile has no line 'reverse_proxy 127.0.0.1:11434 {'"],
    ),
    "undefined variable in a page": (
        append("docs/security.md", "\n{{ ollama_default_url }}\n"),
        ["docs/security.md: undefined variable 'ollama_default_url'"],
    ),
    "unknown fact in a page": (
        append("docs/security.md", '\n{{ fact("ollama.default_port") }}\n'),
        ["docs/security.md: fact('ollama.default_port'): providers.yml has no key 'ollama.default_port'"],
    ),
    "unknown verdict in a page": (
        append("docs/diagnosis.md", '\n{{ verdict_link("cors") }}\n'),
        ["docs/diagnosis.md: unknown verdict 'cors'"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_config_fails_the_build_cleanly(build_copy, case: str) -> None:
    edit, expected = CASES[case]
    build = build_copy(edit)
    assert build.returncode != 0, f"{case}: the build passed\n{build.output}"
    for fragment in expected:
        assert fragment in build.output, f"{case}: {fragment!r} not in\n{build.output}"
    assert "Traceback" not in build.output
    assert not (build.site / "index.html").exists() or case.endswith("page")
