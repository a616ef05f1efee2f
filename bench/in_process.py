"""The environment for measuring requests in-process (Django's test client) over the
benchmark data: bench/out/pages.sqlite3 (built by bench/pages.py) unless DATABASE_URL says
otherwise, with the bench's settings (its ceiling view, DEBUG off). Call before django.setup()."""

import os
from pathlib import Path

BENCHMARK_DATABASE = Path(__file__).resolve().parent / "out" / "pages.sqlite3"


def use_benchmark_data(*, write_every_export: bool = True) -> None:
    """`write_every_export`: every cache off (bench/settings.py: no kept page, download or
    fragment), so each request measures writing its page or file; otherwise
    CACHE_MAX_ITEM_BYTES decides."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCHMARK_DATABASE}")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 30)
    os.environ.update(ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false", DJANGO_SETTINGS_MODULE="bench.settings")
    if write_every_export:
        os.environ["CACHE_MAX_ITEM_BYTES"] = "0"
        os.environ["BENCH_CACHES_OFF"] = "true"
