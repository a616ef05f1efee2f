"""Load and database faults against the production stack (gunicorn, DEBUG off, PostgreSQL).

1. steady: CLIENTS readers for DURATION seconds over a mix of public pages, exports and the
   API -> every response must be a 200.
2. restart: the same readers plus an analyst writing through the admin; PostgreSQL is
   restarted (pg_ctlcluster VERSION NAME restart) part-way. Requests during the restart may
   fail, but only cleanly (503 with Retry-After); every request that starts once the
   database accepts connections again must succeed; every write the admin acknowledged is
   in the database afterwards, and the writes that failed are retried until they land.
3. races: once the database is back, two analysts save one commitment at the same instant,
   RACES rounds: each round one save lands and the other gets the conflict form, which,
   saved again, keeps both edits (0 lost, 0 5xx).

Loopback only; bounded in time. Exits non-zero when a goal is missed. Usage:

    python bench/load_and_faults.py --database-url postgres://tracker:…@127.0.0.1:5432/tracker_load \\
        --cluster "15 main" [--duration 60] [--clients 8]

The database named in the URL is dropped and created again: give it a name of its own.
"""

import argparse
import http.client
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers import Browser, form_fields, race  # noqa: E402  (what the admin tests use to sign in and post)

PYTHON = sys.executable
RACED = "deploy-600-troops-peace-operations"  # the commitment two analysts save at once
PUBLIC_PATHS = [
    "/",
    "/commitments/",
    "/commitments/?status=in_progress",
    "/commitments/?sort=-made_on",
    "/commitments/?q=troops",
    "/commitments/?theme=peacekeeping&sort=title&page=1",
    "/commitments/export.csv",
    "/updates/",
    "/updates/export.csv",
    "/quotes/",
    "/quotes/export.csv",
    "/sources/",
    "/data/",
    "/api/commitments/",
    "/api/updates/",
    "/api/documents/",
]


@dataclass
class Tally:
    """What the clients saw, in one phase."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, status: str, detail: str = "") -> None:
        with self.lock:
            self.latencies.append(time.monotonic() - started)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status != "200" and len(self.failures) < 200:
                self.failures.append({"at": started, "status": status, "detail": detail[:200]})

    def summary(self, seconds: float) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        total = len(self.latencies)
        return {
            "requests": total,
            "statuses": dict(sorted(self.statuses.items())),
            "errors": total - self.statuses.get("200", 0),
            "requests_per_second": round(total / seconds, 1),
            "latency_ms": {
                "p50": round(statistics.median(ordered) * 1000, 1),
                "p95": round(ordered[int(len(ordered) * 0.95) - 1 if total > 1 else 0] * 1000, 1),
                "max": round(ordered[-1] * 1000, 1),
            },
        }


def manage(environment: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def start_server(environment: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "tracker.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=4",
            "--worker-class=gthread",
            "--timeout=30",
            "--log-level=warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Browser(port).request("GET", "/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


# A response whose body ended before its chunked framing did: a clean failure, since the
# client (a browser, curl, http.client) reports the download as failed, not as a short file.
TRUNCATED = "200-truncated"


def reader(port: int, tally: Tally, stop: threading.Event, offset: int) -> None:
    browser = Browser(port)
    for path in itertools.islice(itertools.cycle(PUBLIC_PATHS), offset, None):
        if stop.is_set():
            return
        started = time.monotonic()
        try:
            status, headers, _ = browser.request("GET", path)
            clean = status == 503 and headers.get("Retry-After")
            tally.record(started, str(status) if status != 503 or clean else "503-without-retry-after", path)
        except http.client.IncompleteRead as error:
            # A download the restart cut after its headers: the body's chunked framing ends
            # without its last chunk, so the client knows the file is incomplete.
            browser.connection = None
            tally.record(started, TRUNCATED, f"{path}: {len(error.partial)} bytes, then the stream ended")
        except OSError as error:
            browser.connection = None
            tally.record(started, "connection-error", f"{path}: {error}")


@dataclass
class Writes:
    acknowledged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)


def add_document(browser: Browser, slug: str) -> int:
    """One analyst's write through the admin: a new source document. Returns the status."""
    status, _, page = browser.request("GET", "/admin/commitments/sourcedocument/add/")
    if status != 200:
        return status
    form = form_fields(page.decode(), "sourcedocument_form")
    form.update(
        title=f"Load-test statement {slug}",
        slug=slug,
        kind="statement",
        issued_on="2020-01-01",
        full_text=f"Canada will keep record {slug} of this load test.",
        _save="Save",
    )
    status, _, _ = browser.request("POST", "/admin/commitments/sourcedocument/add/", form)
    return status


def writer(port: int, username: str, password: str, writes: Writes, stop: threading.Event) -> None:
    browser = Browser(port)
    browser.sign_in(username, password)
    for number in itertools.count(1):
        if stop.is_set():
            return
        slug = f"load-{number:05d}"
        try:
            status = add_document(browser, slug)
        except OSError:
            browser.connection = None
            status = "connection-error"
        writes.statuses[str(status)] = writes.statuses.get(str(status), 0) + 1
        (writes.acknowledged if status == 302 else writes.refused).append(slug)
        time.sleep(0.2)


def run_phase(port: int, clients: int, seconds: float, during=None, writer_login=None) -> tuple[Tally, Writes, dict]:
    tally, writes, stop = Tally(), Writes(), threading.Event()
    threads = [threading.Thread(target=reader, args=(port, tally, stop, index)) for index in range(clients)]
    if writer_login:
        threads.append(threading.Thread(target=writer, args=(port, *writer_login, writes, stop)))
    for thread in threads:
        thread.start()
    started = time.monotonic()
    events = during(started) if during else {}
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join()
    return tally, writes, events


def restart_database(cluster: str, port_of_database: int, delay: float):
    def during(phase_started: float) -> dict:
        time.sleep(delay)
        began = time.monotonic()
        subprocess.run(["pg_ctlcluster", *cluster.split(), "restart"], check=True)
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port_of_database)]).returncode:
            time.sleep(0.1)
        ready = time.monotonic()
        return {"restart_began": began, "database_ready": ready, "restart_seconds": round(ready - began, 2)}

    return during


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cluster", required=True, help='pg_ctlcluster\'s "VERSION NAME", e.g. "15 main"')
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--fault-duration", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--races", type=int, default=10, help="rounds of two analysts saving at once")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/load_and_faults.json")
    options = parser.parse_args()

    password = secrets.token_urlsafe(16)
    environment = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: there is no TLS proxy in front here.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "AXES_FAILURE_LIMIT": "5",
        "DJANGO_SUPERUSER_PASSWORD": password,
    }
    recreate_database(options.database_url)
    manage(environment, "migrate", "--no-input", "-v0")
    manage(environment, "load_seed")
    manage(environment, "collectstatic", "--no-input", "-v0")
    manage(environment, "createsuperuser", "--no-input", "--username=loadtester", "--email=load@example.org")
    manage(
        environment,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import Group, User\n"
        "for name in ('ana', 'ben'):\n"
        f"    analyst = User.objects.create_user(name, password={password!r}, is_staff=True)\n"
        "    analyst.groups.add(Group.objects.get(name='Analyst'))",
    )

    server = start_server(environment, options.port)
    try:
        steady, _, _ = run_phase(options.port, options.clients, options.duration)
        database_port = urlsplit(options.database_url).port or 5432
        faulted, writes, events = run_phase(
            options.port,
            options.clients,
            options.fault_duration,
            during=restart_database(options.cluster, database_port, delay=options.fault_duration / 3),
            writer_login=("loadtester", password),
        )
        # The writes that failed during the restart: the analyst saves them again.
        retry = Browser(options.port)
        retry.sign_in("loadtester", password)
        retried = {slug: add_document(retry, slug) for slug in writes.refused}
        ana, ben = Browser(options.port), Browser(options.port)
        ana.sign_in("ana", password)
        ben.sign_in("ben", password)
        races = [race(ana, ben, RACED, f"race {number}") for number in range(options.races)]
    finally:
        server.terminate()
        server.wait(timeout=30)

    ready = events["database_ready"]
    after = [failure for failure in faulted.failures if failure["at"] >= ready]
    unclean = {status: count for status, count in faulted.statuses.items() if status not in ("200", "503", TRUNCATED)}
    with psycopg.connect(options.database_url) as connection:
        stored = {
            slug
            for (slug,) in connection.execute(
                "SELECT slug FROM commitments_sourcedocument WHERE slug LIKE 'load-%%'"
            ).fetchall()
        }
        histories = connection.execute(
            "SELECT count(*) FROM commitments_historicalsourcedocument WHERE slug LIKE 'load-%%' AND history_type = '+'"
        ).fetchone()[0]
    intended = set(writes.acknowledged) | set(writes.refused)
    lost = sorted(set(writes.acknowledged) - stored)
    result = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "clients": options.clients,
        "steady": {"seconds": options.duration, **steady.summary(options.duration)},
        "restart": {
            "seconds": options.fault_duration,
            "restart_seconds": events["restart_seconds"],
            **faulted.summary(options.fault_duration),
            "unclean_failures": unclean,
            "failures_after_database_ready": len(after),
            "failure_examples": [
                {**failure, "at": f"{failure['at'] - events['restart_began']:+.2f} s from the restart"}
                for failure in faulted.failures[:5]
            ],
        },
        "writes": {
            "attempted": len(intended),
            "acknowledged": len(writes.acknowledged),
            "failed_during_restart": len(writes.refused),
            "statuses": writes.statuses,
            "retried_ok": sum(status == 302 for status in retried.values()),
            "stored": len(stored),
            "history_rows": histories,
            "lost": lost,
        },
    }
    result["races"] = {
        "rounds": len(races),
        "one_saved_one_conflict_form": sum(r.statuses == [200, 302] and r.conflict_shown for r in races),
        "server_errors": sum(status >= 500 or status == 0 for r in races for status in (*r.statuses, r.resaved)),
        "lost_edits": sum(not r.both_kept for r in races),
        "statuses": sorted({str(r.statuses) for r in races}),
    }
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))

    problems = []
    if result["steady"]["errors"]:
        problems.append(f"{result['steady']['errors']} errors under steady load")
    if unclean:
        problems.append(f"failures that were not a clean 503: {unclean}")
    if after:
        problems.append(f"{len(after)} failures after the database was back")
    if lost:
        problems.append(f"acknowledged writes lost: {lost}")
    if stored != intended:
        problems.append(f"stored writes {len(stored)} != intended {len(intended)} after retrying")
    if histories != len(stored):
        problems.append(f"history rows {histories} != stored documents {len(stored)}")
    if result["races"]["one_saved_one_conflict_form"] != len(races):
        problems.append(f"simultaneous saves not resolved as one save and one conflict form: {result['races']}")
    if result["races"]["server_errors"] or result["races"]["lost_edits"]:
        problems.append(f"simultaneous saves lost edits or failed: {result['races']}")
    for problem in problems:
        print("FAILED:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
