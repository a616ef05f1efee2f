"""How many published commitments the table's search finds for the queries of issue 20,
on the database DATABASE_URL names (the seed data is loaded into an empty one first):

    DATABASE_URL=sqlite:////tmp/counts.sqlite3 DEBUG=true .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/counts.sqlite3 DEBUG=true .venv/bin/python -m bench.search_counts
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.core.management import call_command  # noqa: E402  (after django.setup())

from commitments import listings  # noqa: E402
from commitments.models import Commitment, Theme  # noqa: E402

QUERIES = ["déployer", "deployer", "sécurité", "securite", "États", "états", "ETATS", "DÉPLOYER", "troups", "Secuirty"]
QUERIES += ["peacekeeping", "troop", "deploy"]

if not Commitment.objects.exists():
    call_command("load_seed", verbosity=0)
print(
    "published commitments of the Peacekeeping theme:",
    Commitment.objects.published().filter(theme=Theme.PEACEKEEPING).count(),
)
for query in QUERIES:
    print(f"{query!r}: {listings.COMMITMENTS.filtered({'q': query}).count()}")
