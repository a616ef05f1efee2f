"""Benchmark: a generated 100-page PDF brought in with suggestions (issue 19).

Goals: at most 10 s and 200 MB of peak memory on this machine. The document is built from
the five source texts, repeated (with a running header and page numbers, and words split by
hyphens at line ends) until it fills 100 pages; `manage.py ingest_document --json` then runs
in a fresh process on a fresh SQLite database, so the time and peak resident memory are the
command's own, Django's start-up included. Each stage is also timed in this process.

    python bench/ingestion.py [--pages 100] [--runs 3]
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.documents import FILES, blocks_of, pdf_bytes  # noqa: E402  (after the path is set)

OUT = ROOT / "bench" / "results" / "ingestion.json"


def page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def document(pages: int) -> bytes:
    """A PDF of at least `pages` pages: the five sources over and over."""
    blocks = [block for number in sorted(FILES) for block in blocks_of(FILES[number])]
    one_copy = page_count(pdf_bytes(blocks)[0])
    copies = -(-pages // one_copy)
    while True:
        content, _pages = pdf_bytes(blocks * copies, header="A/71/1000 Generated benchmark document")
        if page_count(content) >= pages:
            return content
        copies += 1


def run_command(path: Path, env: dict[str, str]) -> tuple[float, float, float, dict]:
    """Wall time (s), CPU time (s) and peak resident memory (MB) of one ingest_document
    process. On a shared machine the wall time includes waiting for a core; the CPU time
    is the command's own work."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "ingest_document", str(path), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss of children is the largest child so far (KB on Linux): each run is measured
    # against the ones before it, so the largest is what is reported.
    return elapsed, cpu, max(peak, before) / 1024, json.loads(result.stdout)


def stages(content: bytes) -> dict[str, float]:
    import django

    django.setup()
    from commitments.services.ingestion.extract import extract
    from commitments.services.ingestion.suggestions import suggest

    started = time.process_time()
    _media_type, extracted = extract(name="bench.pdf", content=content)
    read = time.process_time() - started
    started = time.process_time()
    found = suggest(extracted.text, extracted.spans)
    return {
        "extract_cpu_s": round(read, 2),
        "suggest_cpu_s": round(time.process_time() - started, 2),
        "suggestions": len(found),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    content = document(options.pages)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.pdf"
        path.write_bytes(content)
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "MEDIA_ROOT": folder}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        # The seed's quotes: each sentence is compared with them ("possible restatement of …").
        subprocess.run([sys.executable, "manage.py", "load_seed"], cwd=ROOT, env=env, check=True, capture_output=True)
        runs = [run_command(path, env) for _ in range(options.runs)]
        os.environ.update({"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "tracker.settings"})
        breakdown = stages(content)
    report = {
        "pages": page_count(content),
        "bytes": len(content),
        "characters": runs[0][3]["characters"],
        "suggestions": len(runs[0][3]["suggestions"]),
        "seconds": [round(run[0], 2) for run in runs],
        "cpu_seconds": [round(run[1], 2) for run in runs],
        "peak_mb": round(max(run[2] for run in runs), 1),
        "load_average": [round(value, 1) for value in os.getloadavg()],
        "in_process": breakdown,
        "goal": "<= 10 s and <= 200 MB",
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
