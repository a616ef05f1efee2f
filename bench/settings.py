"""The product's settings plus the benchmark's ceiling view; used only by bench/pages.py.

BENCH_CACHES_OFF=true: every request written afresh from the database, as the goals
"written afresh (caches off)" mean it: no kept page or download (CACHE_MAX_ITEM_BYTES=0)
and no fragment kept under the public data's version (the filters' lists): the cache is
Django's dummy one, which keeps nothing. (A 304 needs an If-None-Match, which wrk never sends.)
"""

import os

from tracker.settings import *  # noqa: F403
from tracker.settings import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # for bench/templates/

if os.environ.get("BENCH_CACHES_OFF", "").lower() in ("1", "true", "yes"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    CACHE_MAX_ITEM_BYTES = 0
