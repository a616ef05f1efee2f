"""Query plans of the list pages' queries over the benchmark data, to check they use the indexes.

    python bench/explain.py                    # SQLite: bench/out/pages.sqlite3
    python bench/explain.py --url postgres://USER:PASS@127.0.0.1/DB

Writes bench/results/explain-<database>.txt.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "sort=made_on",
    "sort=-made_on",
    "sort=title",
    "sort=theme",
    "sort=pillar",
    "sort=current_status",
    "sort=target",
    "sort=progress",
    "sort=source",
    "sort=-source",
    "sort=source&page=300",
    "page=350",
    "theme=peacekeeping&status=in_progress",
    "year=2005",
    "source=bench-document-5",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url or f"sqlite:///{ROOT / 'bench' / 'out' / 'pages.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 30)
    os.environ.update(ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="tracker.settings")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from commitments import listings, selectors
    from commitments.listings import choices
    from commitments.models import Commitment

    out = []

    def show(title, queryset):
        options = {"analyze": True} if connection.vendor == "postgresql" else {}
        out.append(f"== {title}\n{queryset.explain(**options)}\n")

    for query in QUERIES:
        params = QueryDict(query)
        page = int(params.get("page", 1))
        rows = listings.COMMITMENTS.filtered(params)
        show(f"/commitments/?{query}", rows[(page - 1) * 25 : page * 25])
    show("count of /commitments/", Commitment.objects.published().values("pk"))

    def show_queries(title, read):
        """The plans of the queries `read` runs, as it runs them (selectors that return lists)."""
        with CaptureQueriesContext(connection) as captured:
            read()
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        for query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute(prefix + query["sql"])
                plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
            out.append(f"== {title}\n{query['sql'][:160]}…\n{plan}\n")

    first_page = [c.pk for c in listings.COMMITMENTS.filtered(QueryDict())[:25]]
    show_queries("table page: the rows' documents", lambda: selectors.documents_by_commitment(first_page))
    show_queries("filter form: years", choices.years_made)
    show_queries("filter form: documents", choices.documents)
    show_queries("dashboard: status counts", selectors.status_counts)
    show_queries("dashboard: theme counts", selectors.theme_counts)
    show_queries("dashboard: numeric targets", lambda: list(selectors.numeric_commitments()))
    show_queries("dashboard: latest updates", lambda: list(selectors.recent_updates()))
    text = "\n".join(out)
    print(text)
    path = ROOT / "bench" / "results" / f"explain-{connection.vendor}.txt"
    path.write_text(text)
    print(f"Wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
