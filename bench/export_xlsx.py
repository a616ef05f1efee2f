"""Benchmark: /updates/export.xlsx against /updates/export.csv over 100,000 status updates.

Goals (issue 22): the XLSX within 3x the CSV's time and at most 50 MB of extra memory.
Both are streamed through the real view, on the same data, in the same run.

    python bench/export_xlsx.py --database sqlite
    python bench/export_xlsx.py --database postgres --url postgres://USER:PASS@127.0.0.1/DB

It builds its own data set (bench/export_updates.py's) in a separate database.
"""

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.export_updates import OUT, arguments, best_of, build  # noqa: E402  (after the path is set)


def stream(file_format: str) -> int:
    """Stream the status updates' export through the real view; return its size in bytes."""
    from django.test import RequestFactory

    from commitments import listings
    from commitments.views.lists import ListingExportView

    request = RequestFactory().get(f"/updates/export.{file_format}")
    view = ListingExportView.as_view(listing=listings.STATUS_UPDATES, file_format=file_format)
    return sum(len(chunk) for chunk in view(request).streaming_content)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    build(args.updates, per_commitment=100)

    stream("csv")  # warm caches and connections once
    csv_seconds, csv_bytes = best_of(args.runs, lambda: stream("csv"))
    rss_after_csv = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    xlsx_seconds, xlsx_bytes = best_of(args.runs, lambda: stream("xlsx"))
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_after_csv

    tracemalloc.start()
    stream("xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "database": args.database,
        "rows": args.updates,
        "csv_bytes": csv_bytes,
        "xlsx_bytes": xlsx_bytes,
        "csv_seconds": round(csv_seconds, 3),
        "xlsx_seconds": round(xlsx_seconds, 3),
        "ratio_to_csv": round(xlsx_seconds / csv_seconds, 2),
        "xlsx_peak_python_allocations_mb": round(peak / 2**20, 2),
        "xlsx_peak_rss_growth_over_csv_mb": round(rss_growth / 1024, 2),
        "goal_ratio_to_csv": 3.0,
        "goal_extra_memory_mb": 50.0,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(json.dumps(result, indent=2))
    (OUT / f"export-xlsx-{args.database}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
