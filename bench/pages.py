"""Benchmark: the public pages under gunicorn, against the stack's ceiling and Datasette.

Every figure a goal compares is measured in the same run, on the same data, served from
the same SQLite file, one target right after the other, so the ratios hold on any machine:

- /commitments/ (default, filtered, sorted by each column, a deep page) against a bare
  Django view rendering the same 25 rows with a plain template loop (bench/ceiling.py);
- the same pages, the JSON API list and the full CSV against Datasette serving the same
  table (`--setting suggest_facets off`, 25 rows a page), ours written afresh on every
  request (every cache off: bench/settings.py, BENCH_CACHES_OFF); the CSV also as served by
  a second server with its cache (a repeat download kept: commitments/exports/cache.py), and
  with --as-served each page too, apart from the ratios;
- throughput and p50/p95/p99 latency with 2 concurrent clients (wrk, loopback only) for
  those and for the detail page of a commitment with 100 status updates and the dashboard.

    python bench/pages.py                      # SQLite: bench/out/pages.sqlite3
    python bench/pages.py --database postgres --url postgres://USER:PASS@127.0.0.1/DB

The data set is built once by `manage.py generate_bench_data` in a database of its own.
Raw results go to bench/results/pages-<database>.json.
"""

import argparse
import concurrent.futures
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
DATASETTE_VENV = BENCH / ".venv-datasette"
APP_PORT, DATASETTE_PORT, SERVED_PORT = 8101, 8102, 8103
DATA = {"commitments": 10_000, "updates_per": 10, "quotes_per": 3, "long_history": 100}
TABLE = "commitments_commitment"
# Which server answers each target ("ceiling" is a view of the app's server, caches off).
SERVER_OF = {"datasette": "datasette", "app-served": "app-served"}
# Downloads of the full CSV per target, the targets taking turns.
CSV_RUNS = 15
# Our server's workers (gunicorn.conf.py's default on this machine).
WORKERS = (os.cpu_count() or 1) + 1
# Datasette's name for each table column the page sorts by (None: no such column).
DATASETTE_SORT = {
    "title": "title",
    "theme": "theme",
    "pillar": "pillar",
    "current_status": "current_status",
    "target": "target_value",
    "progress": "current_progress",
    "made_on": "made_on",
    "source": None,  # a subquery over quotes and documents: no column to sort on
}


def scenarios(db: str, detail_slug: str) -> list[dict]:
    """Each page: our URL, the ceiling's URL and Datasette's URL for the same rows."""
    ds = f"/{db}/{TABLE}"
    published = "is_published=1&_size=25"
    rows = [
        {
            "name": "list: default",
            "app": "/commitments/",
            "ceiling": "/bench/ceiling/",
            "datasette": f"{ds}?{published}&_sort=made_on",
        },
        {
            "name": "list: filtered (theme + status)",
            "app": "/commitments/?theme=peacekeeping&status=in_progress",
            "ceiling": "/bench/ceiling/?theme=peacekeeping&status=in_progress",
            "datasette": f"{ds}?{published}&theme=peacekeeping&current_status=in_progress&_sort=made_on",
        },
    ]
    for column, ds_column in DATASETTE_SORT.items():
        rows.append(
            {
                "name": f"list: sorted by {column}",
                "app": f"/commitments/?sort={column}",
                "ceiling": f"/bench/ceiling/?sort={column}",
                "datasette": f"{ds}?{published}&_sort={ds_column}" if ds_column else None,
            }
        )
    rows += [
        {
            "name": "list: sorted by made_on, descending",
            "app": "/commitments/?sort=-made_on",
            "ceiling": "/bench/ceiling/?sort=-made_on",
            "datasette": f"{ds}?{published}&_sort_desc=made_on",
        },
        # Datasette pages by keyset (?_next=), so it has no page 350 to compare with.
        {
            "name": "list: deep page (350 of 380)",
            "app": "/commitments/?page=350",
            "ceiling": "/bench/ceiling/?page=350",
        },
        {"name": "JSON API list", "app": "/api/commitments/", "datasette": f"{ds}.json?{published}&_sort=made_on"},
        {"name": "detail: 100 status updates", "app": f"/commitments/{detail_slug}/"},
        {"name": "dashboard", "app": "/"},
    ]
    return rows


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def build_data(env: dict) -> None:
    manage(env, "migrate", "--no-input", "-v0")
    probe = "from commitments.models import Commitment; print(Commitment.objects.count())"
    count = int(manage(env, "shell", "--no-imports", "-c", probe).strip())
    if count == DATA["commitments"]:
        return
    if count:
        sys.exit(f"The benchmark database holds {count} commitments, not {DATA['commitments']}: give it a fresh one.")
    args = [f"--{key.replace('_', '-')}={value}" for key, value in DATA.items()]
    print(manage(env, "generate_bench_data", *args).strip())


def datasette_bin() -> Path:
    """Datasette in a venv of its own under bench/: a comparison tool, never a product dependency."""
    binary = DATASETTE_VENV / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", DATASETTE_VENV], check=True)
        pip = DATASETTE_VENV / "bin" / "pip"
        subprocess.run([pip, "install", "-q", "-r", BENCH / "requirements-datasette.txt"], check=True)
    return binary


def start(command: list, env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{command[0]} did not answer on port {port}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        assert response.status == 200, (url, response.status)
        return response.read()


def rows_in(body: bytes, target: str) -> int:
    if target == "datasette":
        return len(re.findall(rb'<td class="col-id type-pk', body)) or len(json.loads(body).get("rows", []))
    if body.lstrip().startswith(b"{"):
        return len(json.loads(body)["results"])
    return body.count(b'<th scope="row"')


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far, from /proc, including
    children that have exited (gunicorn replaces a worker after max_requests: its time
    moves to the master's cutime and cstime)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if current == pid:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped children
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: int, server: subprocess.Popen) -> dict:
    """2 connections on 2 threads: 2 concurrent clients, each sending its next request on the last reply.

    Also the server's CPU time per request: unlike throughput, it hardly moves when other
    work shares the machine, so its ratios are the steadier measure on a busy host.
    """
    command = ["wrk", "-t2", "-c2", f"-d{seconds}s", "-s", str(BENCH / "wrk_report.lua"), url]
    before = cpu_seconds(server.pid)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["cpu_ms_per_request"] = round((cpu_seconds(server.pid) - before) * 1000 / max(1, result["requests"]), 2)
    return result


def interleaved_downloads(urls: dict[str, str], runs: int, servers: dict[str, subprocess.Popen]) -> dict:
    """Each target's download timed `runs` times, the targets taking turns so that a busy
    moment of the machine falls on both; after untimed downloads (a warm-up, as the pages
    get): one, then one for each of our server's workers at once. Keeps the best and the
    median, and the server's CPU time per download over all runs (from /proc, in ticks of
    10 ms: summed over the runs, not read from one), which moves less with the machine's
    other work than the time does."""
    timings: dict[str, list[float]] = {target: [] for target in urls}
    cpu: dict[str, float] = dict.fromkeys(urls, 0.0)
    sizes = {target: len(fetch(url)) for target, url in urls.items()}
    # Every worker of ours warmed, not one: each one's first export cost twice the CPU of
    # the next (0.47 against 0.21 s: its heap grown, its queries compiled), and the first
    # timed runs fell on the two cold ones. Datasette's one process is given the same.
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for url in urls.values():
            list(pool.map(fetch, [url] * WORKERS))
    for _ in range(runs):
        for target, url in urls.items():
            cpu_before = cpu_seconds(servers[target].pid)
            started = time.perf_counter()
            fetch(url)
            timings[target].append(time.perf_counter() - started)
            cpu[target] += cpu_seconds(servers[target].pid) - cpu_before
    return {
        target: {
            "seconds": round(min(times), 3),
            "median_seconds": round(statistics.median(times), 3),
            "runs": [round(time_, 3) for time_ in times],
            "cpu_seconds": round(cpu[target] / runs, 3),
            "bytes": sizes[target],
        }
        for target, times in timings.items()
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, sqlite3, sys; print(sys.version.split()[0], django.get_version(), sqlite3.sqlite_version)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    load = os.getloadavg()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": versions[0],
        "django": versions[1],
        "sqlite": versions[2],
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a database the benchmark may fill")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per target and round")
    parser.add_argument("--rounds", type=int, default=2, help="each target's best round is kept")
    parser.add_argument("--label", default="", help="suffix of the results file, e.g. 'before'")
    parser.add_argument("--only", help="run only the scenarios whose name contains one of these (comma-separated)")
    parser.add_argument(
        "--as-served", action="store_true", help="also measure each page as served (kept pages), apart from the ratios"
    )
    args = parser.parse_args()
    if args.database == "postgres" and not args.url:
        parser.error("--url is required with --database postgres")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    OUT.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    sqlite_file = OUT / "pages.sqlite3"
    url = args.url if args.database == "postgres" else f"sqlite:///{sqlite_file}"
    env = environment(url)
    build_data(env)
    manage(env, "collectstatic", "--no-input", "-v0")

    # Ours as the goals compare it: every page and file written afresh from the database
    # (bench/settings.py: no kept page, download or fragment; wrk sends no If-None-Match,
    # so no 304). The app as served, with its cache, is a second server, measured apart.
    servers = {
        "app": start(
            [ROOT / ".venv" / "bin" / "gunicorn", "-c", "gunicorn.conf.py", "tracker.wsgi"],
            {**env, "BIND": f"127.0.0.1:{APP_PORT}", "BENCH_CACHES_OFF": "true"},
            APP_PORT,
        ),
        "app-served": start(
            [ROOT / ".venv" / "bin" / "gunicorn", "-c", "gunicorn.conf.py", "tracker.wsgi"],
            {**env, "BIND": f"127.0.0.1:{SERVED_PORT}"},
            SERVED_PORT,
        ),
    }
    bases = {
        "app": f"http://127.0.0.1:{APP_PORT}",
        "ceiling": f"http://127.0.0.1:{APP_PORT}",
        "app-served": f"http://127.0.0.1:{SERVED_PORT}",
    }
    if args.database == "sqlite":
        command = [datasette_bin(), "serve", sqlite_file, "-h", "127.0.0.1", "-p", str(DATASETTE_PORT)]
        command += ["--setting", "suggest_facets", "off", "--setting", "default_page_size", "25"]
        servers["datasette"] = start(command, env, DATASETTE_PORT)
        bases["datasette"] = f"http://127.0.0.1:{DATASETTE_PORT}"

    result = {"database": args.database, "machine": machine(), "data": DATA, "method": {}, "pages": [], "csv": {}}
    result["method"] = {
        "wrk": "-t2 -c2",
        "seconds": args.seconds,
        "rounds": args.rounds,
        "kept": "best round",
        "ours": "written afresh: every cache off (BENCH_CACHES_OFF), no 304",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }
    try:
        # generate_bench_data gives the first commitment the long history.
        for scenario in scenarios(sqlite_file.stem, "bench-commitment-0"):
            if args.only and not any(part in scenario["name"] for part in args.only.split(",")):
                continue
            if args.as_served:
                scenario = {**scenario, "app-served": scenario["app"]}
            targets = {
                t: bases[t] + scenario[t]
                for t in ("app", "ceiling", "datasette", "app-served")
                if scenario.get(t) and t in bases
            }
            for target, full in targets.items():
                rows = rows_in(fetch(full), target)
                if scenario["name"].startswith("list") or "JSON" in scenario["name"]:
                    assert rows == 25, f"{full} shows {rows} rows, not 25"
                fetch(full)  # warm this worker's caches too
            runs: dict[str, dict] = {}
            cpu: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                for target, full in targets.items():  # interleaved: each round measures all targets
                    run = wrk(full, args.seconds, servers[SERVER_OF.get(target, "app")])
                    cpu.setdefault(target, []).append(run["cpu_ms_per_request"])
                    if target not in runs or run["rps"] > runs[target]["rps"]:
                        runs[target] = run
            for target, values in cpu.items():
                runs[target]["cpu_ms_per_request"] = min(values)
            entry = {"name": scenario["name"], "urls": {t: scenario[t] for t in targets}, **runs}
            for other in ("ceiling", "datasette", "app-served"):
                if other in runs:
                    entry[f"ratio_to_{other}"] = round(runs["app"]["rps"] / runs[other]["rps"], 2)
                    # Throughput ratio if CPU were the only limit: the other's cost over ours.
                    entry[f"cpu_ratio_to_{other}"] = round(
                        runs[other]["cpu_ms_per_request"] / runs["app"]["cpu_ms_per_request"], 2
                    )
            result["pages"].append(entry)
            print(summary_line(entry), flush=True)

        if not args.only or "csv" in args.only.split(","):
            # Written afresh on every download ("app-written", the goal's figure), and as
            # served ("app": a repeat download answered from the cache, commitments/exports/cache.py).
            downloads = {
                "app": f"{bases['app-served']}/commitments/export.csv",
                "app-written": f"{bases['app']}/commitments/export.csv",
            }
            if "datasette" in bases:
                ds = f"{bases['datasette']}/{sqlite_file.stem}/{TABLE}.csv?is_published=1&_stream=on&_size=max"
                downloads["datasette"] = ds
            download_servers = {"app": servers["app-served"], "app-written": servers["app"]}
            if "datasette" in servers:
                download_servers["datasette"] = servers["datasette"]
            result["csv"] = interleaved_downloads(downloads, CSV_RUNS, download_servers)
            if "datasette" in downloads:
                for ours in ("app", "app-written"):
                    for kept in ("seconds", "median_seconds", "cpu_seconds"):
                        result["csv"][f"ratio_datasette_time_to_{ours}_{kept}"] = round(
                            result["csv"]["datasette"][kept] / result["csv"][ours][kept], 2
                        )
            print("CSV of all commitments:", json.dumps(result["csv"]), flush=True)
    finally:
        for process in servers.values():
            stop(process)
    if args.database == "sqlite":
        with sqlite3.connect(sqlite_file) as connection:
            result["sqlite_file_mb"] = round(sqlite_file.stat().st_size / 2**20, 1)
            result["published"] = connection.execute(f"select count(*) from {TABLE} where is_published").fetchone()[0]
    suffix = f"-{args.label}" if args.label else ""
    path = RESULTS / f"pages-{args.database}{suffix}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Wrote {path.relative_to(ROOT)}")


def summary_line(entry: dict) -> str:
    parts = [f"{entry['name']:<38}"]
    for target in ("app", "ceiling", "datasette", "app-served"):
        if target in entry:
            run = entry[target]
            parts.append(
                f"{target} {run['rps']:6.1f} req/s {run['cpu_ms_per_request']:5.1f} ms CPU p95 {run['p95_ms']:5.0f} ms"
            )
    ratios = ("ratio_to_ceiling", "cpu_ratio_to_ceiling", "ratio_to_datasette", "cpu_ratio_to_datasette")
    for ratio in ratios:
        if ratio in entry:
            parts.append(f"{ratio} {entry[ratio]:.2f}")
    return " | ".join(parts)


if __name__ == "__main__":
    main()
