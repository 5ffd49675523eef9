"""Run every benchmark and print the figures; --readme writes them into README.md.

    .venv/bin/python bench/run.py [--runs 5] [--skip NAME ...] [--readme]

Sections: build (strict build time vs. no macros), reload (providers.yml save to served page),
weight (bytes per page), checker (time to verdict per scenario), lighthouse (home and checker).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ROOT  # noqa: E402

SECTIONS = ("build", "reload", "weight", "checker", "lighthouse")
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def run(section: str, runs: int) -> dict:
    if section == "build":
        import build_time
        return build_time.measure(runs)
    if section == "reload":
        import reload_time
        return reload_time.measure(runs)
    if section == "weight":
        import page_weight
        return page_weight.measure()
    if section == "checker":
        import checker_time
        return checker_time.measure(runs)
    import lighthouse
    return lighthouse.measure()


def render(results: dict, runs: int) -> str:
    lines = [
        f"Measured {date.today().isoformat()} on {platform.machine()} Linux, Python {platform.python_version()}, "
        f"{runs} runs each where timed; median (± half the spread).",
        "",
        "| Measure | Result |",
        "|---|---|",
    ]
    for section in results.values():
        lines += [f"| {name} | {value} |" for name, value in section.get("summary", {}).items()]
    if "weight" in results:
        lines += ["", "Bytes per page (first visit, before compression unless noted):", "", results["weight"]["table"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], choices=SECTIONS)
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md")
    args = parser.parse_args()
    results = {}
    for section in SECTIONS:
        if section in args.skip:
            continue
        started = time.perf_counter()
        print(f"[bench] {section}...", file=sys.stderr, flush=True)
        results[section] = run(section, args.runs)
        print(f"[bench] {section} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    text = render(results, args.runs)
    print(text)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    if args.readme:
        readme = ROOT / "README.md"
        current = readme.read_text(encoding="utf-8")
        if START not in current:
            raise SystemExit(f"README.md has no {START} ... {END} block")
        block = f"{START}\n{text}\n{END}"
        readme.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, current, flags=re.S))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
