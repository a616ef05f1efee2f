"""gunicorn settings for `make serve` (and the benchmarks, which measure the same server).

Sync workers: pages are CPU-bound Django work, so one worker per core plus one to
cover a worker blocked on the database or a slow client. WEB_CONCURRENCY overrides.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the app once in the master, so workers fork with templates and URLconf imported.
preload_app = True
# A worker restarts after this many requests (± jitter), bounding any slow leak.
max_requests = 5000
max_requests_jitter = 500
timeout = 60
graceful_timeout = 20
# No gunicornc control socket: its default path is shared by every gunicorn of the user.
control_socket_disable = True
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"


def pre_fork(server, worker):
    """Freeze what the master loaded (Django, the URLconf, compiled templates) before each
    fork: the collector stops scanning those objects in every worker (about a tenth of a
    table page's time in collections) and workers share their memory pages untouched."""
    gc.freeze()


# A worker's collector runs its youngest generation after this many new container objects
# (Python's default, 700, ran it ~400 times a full CSV export: 26-71 ms of its 0.2-0.3 s
# of CPU, with a full collection in each; at 10,000, 2-15 ms and none). Garbage in cycles
# is freed later: a worker may hold some megabytes more for a while, and max_requests
# replaces it anyway.
YOUNG_GENERATION_THRESHOLD = 10_000


def post_fork(server, worker):
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
