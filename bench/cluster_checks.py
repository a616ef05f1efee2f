"""The checks `make cluster-test` runs through HAProxy against the cluster bench/cluster.py
started. Each is bounded in time and prints one line; run_checks says whether all passed and
writes their figures to bench/out/cluster/results.json."""

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from urllib.parse import urljoin, urlsplit

from cluster import CLUSTERS, EDITOR, OUT, PORTS, WATCHED, haproxy_status, start_redis, start_server, wait_until_up

from tests.helpers import Browser, form_fields

HAPROXY = PORTS["haproxy"]
READ_PATHS = ["/", "/commitments/", f"/commitments/{WATCHED}/", "/api/commitments/", "/updates/", "/fr/commitments/"]
ROUTES = [
    "/",
    "/commitments/",
    f"/commitments/{WATCHED}/",
    "/commitments/export.csv",
    "/commitments/export.xlsx",
    "/updates/",
    "/updates.atom",
    "/updates/export.csv",
    "/updates/export.xlsx",
    "/quotes/",
    "/quotes/export.csv",
    "/quotes/export.xlsx",
    "/sources/",
    "/data/",
    "/data/releases/",
    "/corrections/",
    "/methodology/",
]
API = ["/api/", "/api/commitments/", "/api/updates/", "/api/documents/", "/api/schema/"]
LINK = re.compile(r'(?:href|src)="([^"#]+)')


def lowered(headers: dict) -> dict:
    return {name.lower(): value for name, value in headers.items()}  # HAProxy sends names in lower case


def crawl(limit: int = 250) -> dict:
    """Every public page reachable from each public route (both languages) and the API's
    (admin and static files aside), up to `limit` pages."""
    browser = Browser(HAPROXY)
    queue, seen, statuses = deque(ROUTES + [f"/fr{route}" for route in ROUTES] + API), set(), {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = browser.request("GET", path)
        statuses[path] = status
        kind = lowered(headers).get("content-type", "")
        if status == 200 and ("html" in kind or "json" in kind):
            text = body.decode()
            found = LINK.findall(text) if "html" in kind else re.findall(r'"(https?://[^"]+)"', text)
            for link in found:
                address = urlsplit(urljoin(f"http://127.0.0.1:{HAPROXY}{path}", link.replace("&amp;", "&")))
                if address.port == HAPROXY and not address.path.startswith(("/admin/", "/static/")):
                    queue.append(address.path + (f"?{address.query}" if address.query else ""))
    errors = {path: status for path, status in statuses.items() if status >= 500}
    return {"ok": not errors and len(statuses) > 50, "pages": len(statuses), "5xx": errors}


def admin_action(browser: Browser, action: str, commitment_id: str) -> int:
    status, _, page = browser.request("GET", "/admin/commitments/commitment/")
    token = form_fields(page.decode(), "changelist-form")["csrfmiddlewaretoken"]
    body = {"csrfmiddlewaretoken": token, "action": action, "_selected_action": commitment_id, "index": "0"}
    status, _, _ = browser.request("POST", "/admin/commitments/commitment/", body)
    return status


def write_seen_everywhere() -> dict:
    """An editor withdraws a commitment on server A; they see it gone on server B at once
    (pinned to the primary), and anonymous readers through HAProxy within the replica's lag."""
    editor = Browser(PORTS["a"])
    editor.sign_in(*EDITOR)
    _, _, page = editor.request("GET", f"/admin/commitments/commitment/?q={WATCHED}")
    commitment_id = re.search(r"/admin/commitments/commitment/(\d+)/change/", page.decode()).group(1)
    reader = Browser(HAPROXY)
    before = reader.request("GET", f"/commitments/{WATCHED}/")[0]  # kept in Redis by now
    written = admin_action(editor, "unpublish", commitment_id)
    editor.port, editor.connection = PORTS["b"], None
    on_b = editor.request("GET", f"/commitments/{WATCHED}/")[0]
    started, anonymous = time.monotonic(), 200
    while anonymous == 200 and time.monotonic() - started < 5:
        anonymous = reader.request("GET", f"/commitments/{WATCHED}/")[0]
    lag = time.monotonic() - started
    editor.port, editor.connection = PORTS["a"], None
    admin_action(editor, "publish", commitment_id)
    ok = before == 200 and written == 302 and on_b == 404 and anonymous == 404 and lag < 2
    return {"ok": ok, "write": written, "writer_on_b": on_b, "anonymous": anonymous, "anonymous_after_s": round(lag, 3)}


def readers(clients: int, seconds: float, during=None) -> dict:
    """`clients` readers through HAProxy for `seconds`; `during()` runs part-way (a fault).
    Returns every failure with its start time, relative to the fault."""
    stop, results, lock = threading.Event(), {"ok": 0, "failures": []}, threading.Lock()

    def read(offset: int) -> None:
        browser = Browser(HAPROXY)
        for number in range(offset, 10**9):
            if stop.is_set():
                return
            started = time.monotonic()
            try:
                status = browser.request("GET", READ_PATHS[number % len(READ_PATHS)])[0]
            except (OSError, http.client.HTTPException) as error:
                status, browser.connection = repr(error), None
            with lock:
                if status == 200:
                    results["ok"] += 1
                else:
                    results["failures"].append((started, status))

    threads = [threading.Thread(target=read, args=(offset,)) for offset in range(clients)]
    for thread in threads:
        thread.start()
    fault_at = None
    if during is not None:
        time.sleep(seconds / 4)
        fault_at = time.monotonic()
        during()
    time.sleep(seconds - (seconds / 4 if during else 0))
    stop.set()
    for thread in threads:
        thread.join()
    base = fault_at or 0
    results["failures"] = [(round(at - base, 3), status) for at, status in results["failures"]]
    return results


def kill_one_server(state: dict) -> dict:
    down_at: list[float] = []

    def kill() -> None:
        os.killpg(state["pids"]["gunicorn_a"], signal.SIGKILL)
        killed = time.monotonic()
        while time.monotonic() - killed < 10 and not haproxy_status().get("a", "").startswith("DOWN"):
            time.sleep(0.05)
        down_at.append(time.monotonic() - killed)

    results = readers(16, 8, during=kill)
    marked_down = down_at[0] if down_at else None
    late = [failure for failure in results["failures"] if marked_down is None or failure[0] > marked_down]
    start_server(state, "a")
    wait_until_up("a", "b")
    ok = marked_down is not None and not late and len(results["failures"]) <= 16
    return {"ok": ok, "served": results["ok"], "failed": results["failures"], "marked_down_after_s": marked_down}


def stop_the_replica(state: dict) -> dict:
    standby = ["pg_ctlcluster", state["pg_version"], CLUSTERS["standby"]]
    results = readers(16, 6, during=lambda: subprocess.run([*standby, "stop", "-m", "immediate"], check=True))
    subprocess.run([*standby, "start"], check=True)
    return {"ok": not results["failures"], "served": results["ok"], "failed": results["failures"]}


def stop_redis(state: dict) -> dict:
    results = readers(8, 5, during=lambda: os.killpg(state["pids"]["redis"], signal.SIGKILL))
    start_redis(state)
    wait_until_up("a", "b")
    return {"ok": not results["failures"], "served": results["ok"], "failed": results["failures"]}


def conditional_get() -> dict:
    browser = Browser(HAPROXY)
    status, headers, _ = browser.request("GET", "/commitments/")
    etag = lowered(headers).get("etag")
    connection = http.client.HTTPConnection("127.0.0.1", HAPROXY, timeout=10)
    connection.request("GET", "/commitments/", headers={"Host": f"127.0.0.1:{HAPROXY}", "If-None-Match": etag or ""})
    again = connection.getresponse()
    again.read()
    return {"ok": status == 200 and again.status == 304, "etag": etag, "second": again.status}


def run_checks(state: dict) -> bool:
    started = time.monotonic()
    checks = {
        "crawl of every public URL": crawl,
        "a write on one server, seen from the other": write_seen_everywhere,
        "kill -9 of one gunicorn under 16 clients": lambda: kill_one_server(state),
        "the replica stopped under 16 clients": lambda: stop_the_replica(state),
        "Redis stopped under 8 clients": lambda: stop_redis(state),
        "a repeated conditional GET": conditional_get,
    }
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # a check that broke is a failed check, with its reason
            results[name] = {"ok": False, "error": repr(error)}
        print(("PASS " if results[name]["ok"] else "FAIL ") + name + ": " + json.dumps(results[name])[:600])
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    passed = sum(result["ok"] for result in results.values())
    print(f"cluster: {passed} passed, {len(results) - passed} failed in {time.monotonic() - started:.0f} s")
    return passed == len(results)
