"""Benchmark: stream /updates/export.csv over 100,000 status updates.

Goals (issue 6): at most 5 s and 20 MB of extra peak memory on SQLite and on PostgreSQL,
and within 3x of PostgreSQL's own COPY ... TO STDOUT of the same rows. Every figure is
measured in the same run, on the same data, so the ratios hold on any machine.

    python bench/export_updates.py --database sqlite
    python bench/export_updates.py --database postgres --url postgres://USER:PASS@127.0.0.1/DB

It builds its own data set in a separate database (never the site's).
"""

import argparse
import datetime
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def configure(database: str, url: str | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        url = f"sqlite:///{OUT / 'export-bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ["CACHE_MAX_ITEM_BYTES"] = "0"  # each request writes its page or file: no repeat from memory
    import django

    django.setup()


def build(updates: int, per_commitment: int) -> None:
    from django.core.management import call_command

    from commitments.models import Commitment, StatusUpdate

    call_command("migrate", verbosity=0)
    if StatusUpdate.objects.count() == updates:
        return
    StatusUpdate.objects.all().delete()
    Commitment.objects.all().delete()
    commitments = Commitment.objects.bulk_create(
        Commitment(
            slug=f"bench-{i}",
            title=f"Benchmark commitment {i}",
            summary="Synthetic.",
            theme="peacekeeping",
            pillar="react",
            made_on=datetime.date(2000, 1, 1),
            made_by="Bench",
            is_published=True,
            target_value=1000,
            target_unit="troops",
        )
        for i in range(updates // per_commitment)
    )
    start = datetime.date(2001, 1, 1)
    StatusUpdate.objects.bulk_create(
        (
            StatusUpdate(
                commitment=commitment,
                status="in_progress",
                as_of=start + datetime.timedelta(days=j),
                progress_value=j,
                progress_stage="deployed",
                rationale=f'Reading {j}, with a comma, and "quotes".',
                evidence_url="https://example.org/evidence",
                review_state="approved",  # only approved updates are exported
            )
            for commitment in commitments
            for j in range(per_commitment)
        ),
        batch_size=5000,
    )


def stream_export() -> tuple[int, int]:
    """Stream the export through the real view; return (bytes, rows exported)."""
    from django.test import RequestFactory

    from commitments import listings
    from commitments.views.lists import ListingExportView

    request = RequestFactory().get("/updates/export.csv")
    response = ListingExportView.as_view(listing=listings.STATUS_UPDATES)(request)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    return size, listings.STATUS_UPDATES.rows().count()


def postgres_copy() -> tuple[int, float]:
    from django.db import connection

    sql = """COPY (
        SELECT u.id, c.slug, c.title, u.status, u.as_of, u.as_of_precision, u.progress_value, c.target_unit,
               u.rationale, u.evidence_url, u.evidence_quote_id, u.corrects_id, u.recorded_at
        FROM commitments_statusupdate u JOIN commitments_commitment c ON c.id = u.commitment_id
        WHERE c.is_published ORDER BY u.as_of DESC, u.recorded_at DESC, u.id DESC
    ) TO STDOUT WITH (FORMAT csv, HEADER)"""
    size = 0
    started = time.perf_counter()
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for block in copy:
            size += len(block)
    return size, time.perf_counter() - started


def best_of(runs: int, job):
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def arguments(description: str) -> argparse.Namespace:
    """The export benchmarks' options (this one's and export_xlsx.py's); Django is set up
    on the database they name."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL (a database the benchmark may fill)")
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.database == "postgres" and not args.url:
        parser.error("--url is required with --database postgres")
    configure(args.database, args.url)
    return args


def main() -> None:
    args = arguments(__doc__.splitlines()[0])

    build(args.updates, per_commitment=100)
    stream_export()  # warm caches and connections once
    seconds, (size, rows) = best_of(args.runs, stream_export)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    stream_export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    result = {
        "database": args.database,
        "rows": rows,
        "bytes": size,
        "export_seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "peak_python_allocations_mb": round(peak / 2**20, 2),
        "peak_rss_growth_mb": round(rss_growth / 1024, 2),
        "goal_seconds": 5.0,
        "goal_extra_memory_mb": 20.0,
    }
    if args.database == "postgres":
        copy_seconds = min(postgres_copy()[1] for _ in range(args.runs))
        result["copy_seconds"] = round(copy_seconds, 3)
        result["ratio_to_copy"] = round(seconds / copy_seconds, 2)
        result["goal_ratio_to_copy"] = 3.0
    print(json.dumps(result, indent=2))
    (OUT / f"export-updates-{args.database}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
