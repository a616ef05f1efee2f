"""The product's settings plus the benchmark's ceiling view; used only by bench/pages.py."""

from tracker.settings import *  # noqa: F403
from tracker.settings import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # for bench/templates/
