"""Markdown tables from bench/results/pages-*.json, for docs/benchmarks.md.

python bench/report.py bench/results/pages-sqlite-before.json bench/results/pages-sqlite-after.json
"""

import json
import sys
from pathlib import Path


def load(path: str) -> dict:
    return json.loads(Path(path).read_text())


def fmt(value, suffix=""):
    return "—" if value is None else f"{value}{suffix}"


def main() -> None:
    runs = [(Path(p).stem.split("-", 2)[-1], load(p)) for p in sys.argv[1:]]
    names = [page["name"] for page in runs[-1][1]["pages"]]
    print(
        "| page | "
        + " | ".join(f"{label}: ours req/s (ceiling, Datasette) | vs ceiling | vs Datasette" for label, _ in runs)
        + " |"
    )
    print("| --- |" + " --- | --- | --- |" * len(runs))
    for name in names:
        cells = [name]
        for _, run in runs:
            page = next((p for p in run["pages"] if p["name"] == name), None)
            if page is None:
                cells += ["—", "—", "—"]
                continue
            others = ", ".join(f"{page[t]['rps']:.0f}" if t in page else "—" for t in ("ceiling", "datasette"))
            cells += [
                f"{page['app']['rps']:.1f} ({others})",
                fmt(page.get("ratio_to_ceiling"), "×"),
                fmt(page.get("ratio_to_datasette"), "×"),
            ]
        print("| " + " | ".join(cells) + " |")
    print()
    print(
        "| page | "
        + " | ".join(
            f"{label}: CPU ms per request, ours (ceiling, Datasette) | vs ceiling | vs Datasette" for label, _ in runs
        )
        + " |"
    )
    print("| --- |" + " --- | --- | --- |" * len(runs))
    for name in names:
        cells = [name]
        for _, run in runs:
            page = next((p for p in run["pages"] if p["name"] == name), None)
            if page is None or "cpu_ms_per_request" not in page["app"]:
                cells += ["—", "—", "—"]
                continue
            others = ", ".join(
                f"{page[t]['cpu_ms_per_request']:.0f}" if t in page else "—" for t in ("ceiling", "datasette")
            )
            cells += [
                f"{page['app']['cpu_ms_per_request']:.0f} ({others})",
                fmt(page.get("cpu_ratio_to_ceiling"), "×"),
                fmt(page.get("cpu_ratio_to_datasette"), "×"),
            ]
        print("| " + " | ".join(cells) + " |")
    print()
    print("| page | " + " | ".join(f"{label}: p50 / p95 / p99 ms" for label, _ in runs) + " |")
    print("| --- |" + " --- |" * len(runs))
    for name in names:
        cells = [name]
        for _, run in runs:
            page = next((p for p in run["pages"] if p["name"] == name), None)
            app = page["app"] if page else None
            cells.append(f"{app['p50_ms']:.0f} / {app['p95_ms']:.0f} / {app['p99_ms']:.0f}" if app else "—")
        print("| " + " | ".join(cells) + " |")
    print()
    for label, run in runs:
        csv = run.get("csv", {})
        if csv:
            print(f"- {label}: CSV of all commitments {json.dumps(csv)}")
        print(f"- {label}: machine {json.dumps(run['machine'])}")


if __name__ == "__main__":
    main()
