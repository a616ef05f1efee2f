"""The tracker on several servers, on this machine, from Debian's packages, loopback only:
a PostgreSQL primary and a streaming hot standby (pg_createcluster, pg_basebackup -R), Redis,
and HAProxy with health checks in front of two gunicorn servers (each its own workers, each
with DATABASE_REPLICA_URLS naming the standby).

    python bench/cluster.py start    # make cluster: start it all, print the address
    python bench/cluster.py stop     # make cluster-stop: end exactly what start started
    python bench/cluster.py test     # make cluster-test: start, check through HAProxy, stop

What start started is written to bench/out/cluster/state.json; stop reads it and ends only
that (its two PostgreSQL clusters are dropped, their data was the seed's). The checks of
`test` are bounded (about two minutes) and stop by themselves; docs/scaling.md has results.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "cluster"
STATE = OUT / "state.json"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORTS = {
    "primary": int(os.environ.get("CLUSTER_PRIMARY_PORT", 5442)),
    "standby": int(os.environ.get("CLUSTER_STANDBY_PORT", 5443)),
    "redis": int(os.environ.get("CLUSTER_REDIS_PORT", 6390)),
    "haproxy": int(os.environ.get("CLUSTER_PORT", 8100)),
    "a": int(os.environ.get("CLUSTER_SERVER_A_PORT", 8101)),
    "b": int(os.environ.get("CLUSTER_SERVER_B_PORT", 8102)),
}
CLUSTERS = {"primary": "tracker_primary", "standby": "tracker_standby"}
EDITOR = ("cluster-editor", "cluster-editor-" + "pass-phrase")
WATCHED = "deploy-600-troops-peace-operations"  # a published commitment of the seed


def pg_version() -> str:
    return sorted((path.name for path in Path("/usr/lib/postgresql").iterdir()), key=int)[-1]


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, text=True, capture_output=True, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done


def psql(port: int, sql: str) -> None:
    run("su", "postgres", "-c", f"psql -q -v ON_ERROR_STOP=1 -p {port} -d postgres", input=sql)


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {seconds} s")


def load_state() -> dict:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2))


def database_urls(password: str) -> tuple[str, str]:
    base = f"postgres://tracker:{password}@127.0.0.1:{{}}/tracker"
    return base.format(PORTS["primary"]), base.format(PORTS["standby"])


def app_environment(state: dict) -> dict:
    primary, standby = database_urls(state["password"])
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": state["secret_key"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": ",".join(f"http://127.0.0.1:{PORTS[name]}" for name in ("haproxy", "a", "b")),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URLS": standby,
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "WEB_CONCURRENCY": os.environ.get("CLUSTER_WORKERS", "2"),
        "LOG_LEVEL": "WARNING",
    }


def spawn(name: str, command: list[str], environment: dict | None = None) -> int:
    """A process in a session of its own (so kill -9 reaches its workers too), logging to OUT."""
    log = open(OUT / f"{name}.log", "ab")  # noqa: SIM115  (the child keeps it)
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    return process.pid


def start_server(state: dict, name: str) -> None:
    environment = {**app_environment(state), "BIND": f"127.0.0.1:{PORTS[name]}"}
    state["pids"][f"gunicorn_{name}"] = spawn(
        f"gunicorn_{name}", [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "tracker.wsgi"], environment
    )
    save_state(state)


def start_redis(state: dict) -> None:
    command = ["redis-server", "--port", str(PORTS["redis"]), "--bind", "127.0.0.1", "--save", "", "--dir", str(OUT)]
    state["pids"]["redis"] = spawn("redis", command)
    save_state(state)
    wait_for_port(PORTS["redis"])


HAPROXY = """global
  maxconn 1024
  stats socket {socket} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
  # A request a dead server never answered is sent to the other one; never a write.
  retry-on conn-failure empty-response
frontend web
  bind 127.0.0.1:{port}
  http-request disable-l7-retry if !METH_GET !METH_HEAD
  # The servers that are ready (/readyz: database and cache); if none is, those alive
  # (/healthz), so a stopped Redis slows pages rather than stopping them.
  use_backend ready if {{ nbsrv(ready) gt 0 }}
  default_backend alive
backend ready
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
  server a 127.0.0.1:{a} check
  server b 127.0.0.1:{b} check
backend alive
  balance roundrobin
  option httpchk GET /healthz
  default-server inter 500ms fall 2 rise 2
  server a 127.0.0.1:{a} check
  server b 127.0.0.1:{b} check
"""


def step(text: str) -> None:
    print(f"== {time.strftime('%H:%M:%S')} {text}", flush=True)


def start(state: dict) -> dict:
    if STATE.exists():
        raise SystemExit(f"A cluster is already running ({STATE}): make cluster-stop first.")
    for tool in ("pg_createcluster", "redis-server", "haproxy"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            raise SystemExit(f"{tool} is missing: apt-get install postgresql redis-server haproxy")
    # A port already taken (a benchmark's server on 8101) would have HAProxy send the
    # cluster's requests to another program: said plainly here instead.
    for name, port in PORTS.items():
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} ({name}) is taken: stop what listens there or set CLUSTER_*_PORT.")
    OUT.mkdir(parents=True, exist_ok=True)
    version = pg_version()
    state = {"pg_version": version, "clusters": [], "pids": {}, "ports": PORTS}
    state["password"] = secrets.token_urlsafe(16)
    state["secret_key"] = secrets.token_urlsafe(50)
    save_state(state)
    # Static files need no database: collected while PostgreSQL starts.
    static = subprocess.Popen(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=app_environment(state)
    )
    options = ["-o", "listen_addresses=localhost", "-o", "hot_standby_feedback=on"]
    step(f"PostgreSQL {version} primary on {PORTS['primary']}")
    run("pg_createcluster", "-p", str(PORTS["primary"]), *options, version, CLUSTERS["primary"])
    state["clusters"].append(CLUSTERS["primary"])
    save_state(state)
    run("pg_ctlcluster", version, CLUSTERS["primary"], "start")
    psql(
        PORTS["primary"],
        f"CREATE ROLE tracker LOGIN PASSWORD '{state['password']}';"
        f"CREATE ROLE replicator REPLICATION LOGIN PASSWORD '{state['password']}';"
        "CREATE DATABASE tracker OWNER tracker;",
    )
    step(f"Hot standby on {PORTS['standby']} (pg_basebackup -R)")
    run("pg_createcluster", "-p", str(PORTS["standby"]), *options, version, CLUSTERS["standby"])
    state["clusters"].append(CLUSTERS["standby"])
    save_state(state)
    data = f"/var/lib/postgresql/{version}/{CLUSTERS['standby']}"
    run("su", "postgres", "-c", f"rm -rf {data} && mkdir -m 700 {data}")
    run(
        "su",
        "postgres",
        "-c",
        f"PGPASSWORD='{state['password']}' /usr/lib/postgresql/{version}/bin/pg_basebackup "
        f"-h 127.0.0.1 -p {PORTS['primary']} -U replicator -D {data} -R -X stream -c fast",
    )
    run("pg_ctlcluster", version, CLUSTERS["standby"], "start")
    step("Migrations, the seed data, an editor")
    environment = {**app_environment(state), "DATABASE_REPLICA_URLS": ""}
    for command in (["migrate", "--no-input", "-v0"], ["load_seed"]):
        run(PYTHON, "manage.py", *command, cwd=ROOT, env=environment)
    if static.wait():
        raise RuntimeError("collectstatic failed")
    environment["DJANGO_SUPERUSER_PASSWORD"] = EDITOR[1]
    run(
        PYTHON,
        "manage.py",
        "createsuperuser",
        "--no-input",
        "--username",
        EDITOR[0],
        "--email",
        "",
        cwd=ROOT,
        env=environment,
    )
    step(f"Redis on {PORTS['redis']}")
    start_redis(state)
    step(f"gunicorn servers on {PORTS['a']} and {PORTS['b']}")
    for name in ("a", "b"):
        start_server(state, name)
    for name in ("a", "b"):
        wait_for_port(PORTS[name])
    config = OUT / "haproxy.cfg"
    config.write_text(HAPROXY.format(socket=OUT / "haproxy.sock", port=PORTS["haproxy"], a=PORTS["a"], b=PORTS["b"]))
    state["pids"]["haproxy"] = spawn("haproxy", ["haproxy", "-f", str(config), "-db"])
    save_state(state)
    wait_until_up("a", "b")
    step(f"The cluster answers on http://127.0.0.1:{PORTS['haproxy']}/ (admin: {EDITOR[0]} / {EDITOR[1]})")
    return state


def haproxy_status() -> dict[str, str]:
    """Each server's state in the `ready` backend, from HAProxy's stats socket."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(str(OUT / "haproxy.sock"))
        connection.sendall(b"show stat\n")
        text = b""
        while chunk := connection.recv(65536):
            text += chunk
    rows = [line.split(",") for line in text.decode().splitlines() if line.startswith("ready,")]
    return {row[1]: row[17] for row in rows if row[1] in ("a", "b")}


def wait_until_up(*names: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if all(haproxy_status().get(name, "").startswith("UP") for name in names):
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"HAProxy does not see {names} up after {seconds} s: {haproxy_status()}")


def stop(state: dict) -> None:
    """End exactly what start recorded: its processes, then its two PostgreSQL clusters."""
    if not state:
        print("No cluster recorded: nothing to stop.")
        return
    for name, pid in state["pids"].items():
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(50):
            try:
                os.waitpid(pid, os.WNOHANG)  # this process's own child: reaped, not left a zombie
            except ChildProcessError:
                pass
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        step(f"Stopped {name} ({pid})")
    for cluster in reversed(state["clusters"]):
        subprocess.run(["pg_dropcluster", "--stop", state["pg_version"], cluster], check=False)
        step(f"Dropped PostgreSQL cluster {state['pg_version']} {cluster}")
    STATE.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("start", "stop", "test"))
    action = parser.parse_args().action
    if action == "start":
        start({})
    elif action == "stop":
        stop(load_state())
    else:
        from cluster_checks import run_checks  # noqa: PLC0415  (bench/ is not a package on the path)

        try:
            ok = run_checks(start({}))
        finally:
            stop(load_state())
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
