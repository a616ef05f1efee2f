"""Benchmark: the full commitments CSV (/commitments/export.csv) over the benchmark data, in process.

Goal (issue 8): at least twice as fast as Datasette's streamed CSV of the same table
(0.67 s on the reference machine), i.e. at most 0.33 s for the whole download, with
memory that does not grow with the number of rows. The export is streamed through
django.test.Client (every byte read), so the figures hold on a machine shared with other
work: CPU time (time.process_time) is the steady figure, wall time is shown beside it.

    python bench/export_commitments.py [--runs 15] [--path "/commitments/export.csv?sort=source"]

Reads bench/out/pages.sqlite3 (built by bench/pages.py) unless DATABASE_URL says otherwise.
Results go to bench/out/export-commitments.json.
"""

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/commitments/export.csv")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from bench.in_process import use_benchmark_data

    use_benchmark_data()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    queries: list[str] = []

    def count_queries(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def download() -> tuple[int, int]:
        response = client.get(args.path)
        assert response.status_code == 200, response.status_code
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines

    download()  # warm caches and the connection once
    cpu, wall = [], []
    for _ in range(args.runs):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        size, lines = download()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)

    # The connection closes at the end of each request: the wrapper stays on the wrapper object.
    connection.execute_wrappers.append(count_queries)
    download()
    connection.execute_wrappers.remove(count_queries)

    tracemalloc.start()
    download()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "path": args.path,
        "database": connection.vendor,
        "rows": lines - 1,  # the header; no cell of the benchmark data holds a line break
        "bytes": size,
        "cpu_seconds_min": round(min(cpu), 3),
        "cpu_seconds_median": round(sorted(cpu)[len(cpu) // 2], 3),
        "wall_seconds_min": round(min(wall), 3),
        "queries": len(queries),
        "peak_python_allocations_mb": round(peak / 2**20, 2),
        "goal_seconds": 0.33,
    }
    print(json.dumps(result, indent=2))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "export-commitments.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
