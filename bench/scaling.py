"""Benchmark for docs/scaling.md and docs/benchmarks.md: the shared cache and conditional GETs
under 32 clients, what a 304 costs against a full render, and the two-server cluster through
HAProxy against one server direct, per CPU-second. Every ratio is measured in one run.

    python bench/scaling.py pages     # SQLite bench data (bench/out/pages.sqlite3, 10,000 commitments)
    python bench/scaling.py cluster   # make cluster's PostgreSQL, Redis, HAProxy (as root)

Loopback only; wrk runs are bounded (--seconds). Raw results: bench/results/scaling-*.json.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CACHED_PORT, AFRESH_PORT = 8111, 8112


def wrk(port: int, paths: list[str], clients: int, seconds: int, headers: dict | None = None) -> dict:
    command = [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        "bench/wrk_paths.lua",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    environment = {**os.environ, "WRK_PATHS": " ".join(paths)}
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{paths[0]}"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def etag(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
        response.read()
        return response.headers["ETag"]


def serve(port: int, environment: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "tracker.wsgi"],
        cwd=ROOT,
        env={**environment, "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on {port} did not start")


def pages(seconds: int) -> dict:
    source = OUT / "pages.sqlite3"
    if not source.exists():
        sys.exit("bench/out/pages.sqlite3 is missing: run `python bench/pages.py` once (it builds the data).")
    database = OUT / "scaling.sqlite3"
    shutil.copy(source, database)
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=environment, check=True)
    with sqlite3.connect(database) as connection:
        (slug,) = connection.execute(
            "SELECT c.slug FROM commitments_commitment c JOIN commitments_statusupdate u ON u.commitment_id = c.id "
            "WHERE c.is_published GROUP BY c.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    targets = {
        "table": "/commitments/",
        "commitment page (100 updates)": f"/commitments/{slug}/",
        "API list": "/api/commitments/",
    }
    servers = {
        "cached": serve(CACHED_PORT, environment),
        # Every cache off, the filters' lists too (bench/settings.py), as bench/pages.py's "afresh".
        "afresh": serve(
            AFRESH_PORT, {**environment, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_CACHES_OFF": "true"}
        ),
    }
    results: dict = {}
    try:
        for name, path in targets.items():
            # Without REDIS_URL each worker keeps its own pages: every worker writes this one first.
            for _ in range(3 * int(environment.get("WEB_CONCURRENCY", os.cpu_count() + 1))):
                tag = etag(CACHED_PORT, path)
            results[name] = {
                "32 clients, written afresh": wrk(AFRESH_PORT, [path], 32, seconds),
                "32 clients, kept pages": wrk(CACHED_PORT, [path], 32, seconds),
                "32 clients, conditional GETs (304)": wrk(CACHED_PORT, [path], 32, seconds, {"If-None-Match": tag}),
                "1 client, full render": wrk(AFRESH_PORT, [path], 1, seconds),
                "1 client, 304": wrk(CACHED_PORT, [path], 1, seconds, {"If-None-Match": tag}),
            }
            one = results[name]
            one["304 / full render (mean time per request)"] = round(
                one["1 client, full render"]["rps"] / one["1 client, 304"]["rps"], 4
            )
            print(
                name,
                json.dumps(
                    {key: value.get("p99_ms") if isinstance(value, dict) else value for key, value in one.items()}
                ),
                flush=True,
            )
    finally:
        for server in servers.values():
            server.terminate()
            server.wait()
    return results


def cpu_seconds(groups: set[int], names: tuple[str, ...]) -> float:
    """CPU time so far of every process in `groups` or whose command line names one of `names`."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(fields[2]) in groups or any(name in command for name in names):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def cluster(seconds: int) -> dict:
    sys.path.insert(0, str(BENCH))
    from cluster import CLUSTERS, PORTS, load_state, start, stop  # noqa: PLC0415  (bench/ scripts import each other)
    from cluster_checks import READ_PATHS  # noqa: PLC0415

    state = start({})
    results = {}
    try:
        groups = {state["pids"][name] for name in ("gunicorn_a", "gunicorn_b", "haproxy", "redis")}
        for name, port in (("one server direct", PORTS["a"]), ("two servers through HAProxy", PORTS["haproxy"])):
            wrk(port, READ_PATHS, 16, 2)  # warm: kept pages, connections
            before = cpu_seconds(groups, tuple(CLUSTERS.values()))
            run = wrk(port, READ_PATHS, 16, seconds)
            used = cpu_seconds(groups, tuple(CLUSTERS.values())) - before
            results[name] = {
                **run,
                "cpu_seconds": round(used, 2),
                "requests_per_cpu_second": round(run["requests"] / used, 1),
            }
            print(name, json.dumps(results[name]), flush=True)
        results["ratio"] = round(
            results["two servers through HAProxy"]["requests_per_cpu_second"]
            / results["one server direct"]["requests_per_cpu_second"],
            3,
        )
        print("ratio", results["ratio"])
    finally:
        stop(load_state())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=("pages", "cluster"))
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    results = pages(args.seconds) if args.part == "pages" else cluster(args.seconds)
    results["machine"] = {"cpus": os.cpu_count(), "load_average_after": os.getloadavg(), "note": "shared, noisy"}
    (BENCH / "results" / f"scaling-{args.part}.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
