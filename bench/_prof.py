import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from commitments import search
for text in ["troops", "peacekeeping -troops"]:
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter(); r = search.search(text); t1 = time.perf_counter()
        for kind in r.counts: search.hits(r.query, kind, offset=0, limit=5)
        t2 = time.perf_counter()
    print(text, r.counts, f"count {1000*(t1-t):.0f} ms hits {1000*(t2-t1):.0f} ms")
    for q in ctx.captured_queries: print("  ", q["time"], q["sql"][:150])
