"""Benchmark: search at the bench data size, through gunicorn, 2 clients (issue 20).

    DATABASE_URL=sqlite:///bench/out/search.sqlite3 python -m bench.search   # data from generate_bench_data
    DATABASE_URL=... python -m bench.search --code ../before --label -before   # an earlier commit, same data

Measures, side by side in one run: /search/ for a few queries (common, rare, phrase,
exclusion, typo, French), the commitments table unfiltered against the same table searched,
and the first search after a public change (which sets the public flags it may have moved).
Each address is asked REQUESTS times by 2 threads, with no page kept in the cache (each
request runs its search); p50 and p95 in ms are printed and written to
bench/results/search-<database>.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.pages import environment

ROOT = Path(__file__).resolve().parents[1]
PORT = 8121
REQUESTS = 60
CLIENTS = 2
QUERIES = ["troops", "peace operations", '"peace operations"', "peacekeeping -troops", "deployer", "troups", "sécurité"]
# The table's search: two the bench data holds little of, and a word in 2,800 commitments.
TABLE_QUERIES = ["troops", "peace operations", "peacekeeping"]
# Public changes after which the first search is timed.
CHANGES = 10
PYTHON = ROOT / ".venv" / "bin" / "python"


def timed(url: str, count: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for _ in range(n):
            started = time.perf_counter()
            with urllib.request.urlopen(url) as response:
                response.read()
                assert response.status == 200, url
            with lock:
                times.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(count // CLIENTS,)) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def first_search_after_a_change(env: dict, base: str, code: Path) -> dict:
    """Each round withdraws and republishes a commitment (the triggers note its records), then
    times one search: the request that sets the public flags those changes may have moved."""
    change = (
        "from commitments import services; from commitments.models import Commitment\n"
        "c = Commitment.objects.published().order_by('pk').first()\n"
        "services.set_published(commitment=c, published=False, actor=None)\n"
        "services.set_published(commitment=Commitment.objects.get(pk=c.pk), published=True, actor=None)"
    )
    times = []
    for _ in range(CHANGES):
        subprocess.run([PYTHON, "manage.py", "shell", "--no-imports", "-c", change], cwd=code, env=env, check=True)
        started = time.perf_counter()
        urllib.request.urlopen(base + "/search/?q=peacekeeping").read()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": round(statistics.median(times), 1), "max": round(max(times), 1), "rounds": CHANGES}


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50": round(statistics.median(ordered), 1), "p95": round(ordered[int(len(ordered) * 0.95) - 1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="serve this checkout (an earlier commit's worktree)")
    parser.add_argument("--label", default="", help="added to the results' file name")
    options = parser.parse_args()
    code = options.code.resolve()
    url = os.environ["DATABASE_URL"]
    database = "postgres" if url.startswith("postgres") else "sqlite"
    # Nothing kept (CACHE_MAX_ITEM_BYTES=0): every request searches, as a new query would.
    env = {**environment(url), "BIND": f"127.0.0.1:{PORT}", "WEB_CONCURRENCY": "2", "CACHE_MAX_ITEM_BYTES": "0"}
    env["PYTHONPATH"] = str(code)
    server = subprocess.Popen(
        [ROOT / ".venv/bin/gunicorn", "-c", "gunicorn.conf.py", "tracker.wsgi"], cwd=code, env=env
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/search/").read()
                break
            except OSError:
                time.sleep(0.2)
        addresses = {f"/search/?q={q}": "/search/?" + urllib.parse.urlencode({"q": q}) for q in QUERIES}
        addresses["/fr/search/?q=déployés"] = "/fr/search/?" + urllib.parse.urlencode({"q": "déployés"})
        addresses["/commitments/ (unfiltered)"] = "/commitments/"
        for q in TABLE_QUERIES:
            addresses[f"/commitments/?q={q}"] = "/commitments/?" + urllib.parse.urlencode({"q": q})
        results = {}
        for name, path in addresses.items():
            timed(base + path, 4)  # warm each worker
            results[name] = summary(timed(base + path, REQUESTS))
            print(f"{name:45} p50 {results[name]['p50']:7.1f} ms  p95 {results[name]['p95']:7.1f} ms", flush=True)
        after_change = first_search_after_a_change(env, base, code)
        print(f"first /search/ after a public change: p50 {after_change['p50']} ms, max {after_change['max']} ms")
        out = ROOT / "bench" / "results" / f"search-{database}{options.label}.json"
        report = {"database": database, "clients": CLIENTS, "requests": REQUESTS, "results": results}
        out.write_text(json.dumps({**report, "first_search_after_a_public_change": after_change}, indent=2))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
