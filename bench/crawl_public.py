"""Crawl every public page over the seed data and fingerprint each response, so that two
checkouts (e.g. before and after a restructuring) can be shown to serve the same bytes.

    cd CHECKOUT && .venv/bin/python bench/crawl_public.py --out FILE.json [--compare OTHER.json]
    .venv/bin/python bench/crawl_public.py --read A.json --compare B.json   # no crawl

The crawl runs in-process (Django's test client) with the test suite's production-like settings
(DEBUG off, a test SECRET_KEY, ALLOWED_HOSTS=testserver, SECURE_SSL_REDIRECT=false, plain static
storage as tests/conftest.py uses, so no collectstatic) over a fresh temporary SQLite database:
migrate, load_seed, then breadth-first from tests/public_urls.py, / and /fr/, /api/, the feeds
and a few PROBES (error pages, a redirect), following every same-site href/src/action in HTML
and Atom, every URL in JSON and CSV bodies and every redirect's Location, each page in both
languages (its /fr/ or unprefixed twin), up to --limit requests. Query strings are kept exactly
as the pages write them (sort, filter, pagination and export links). /admin/ is not fetched;
/static/ files are not fetched but recorded as {"static": true}.

Each URL records status, content type, length and sha256 of the body, plus the redirect
Location and the Content-Disposition (export file name) when there are any. The body is
normalised only where a value legitimately changes per request:
  - csrfmiddlewaretoken values -> "CSRF" (CSRF tokens are masked afresh on every request;
    no public page has a form with one today, kept so one gaining a form stays comparable);
  - nonce="..." attributes -> "NONCE" (django-csp 4 makes a new nonce per request; no
    template uses request.csp_nonce today, same reason);
  - ISO 8601 timestamps that fall within the run of load_seed -> "LOAD-TIME": its
    populate_history stamps each record's first history entry with the clock, and a
    commitment's "Last updated" <time datetime=...> is the latest of those. The seed's own
    timestamps (recorded_at etc.) lie outside that window and are compared as they are.
Nothing else is normalised: two runs on the same tree give identical files. Caveat: the
date a citation was "accessed", the day shown as "Last updated" and export file names
(name-YYYY-MM-DD.csv) are today's date in America/Toronto, so compare two crawls made on
the same day (re-crawl the baseline first).
"""

import argparse
import datetime
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "testserver"
NORMALISE = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*'), rb"\1CSRF"),
    (re.compile(rb'(nonce=")[^"]*'), rb"\1NONCE"),
]
# Pages no link leads to: missing page and slug, APPEND_SLASH, bad filter/sort/page, a past date.
PROBES = [
    "/no-such-page/",
    "/commitments/no-such-commitment/",
    "/commitments",
    "/commitments/?as_of=2010-01-01",
    "/commitments/?as_of=not-a-date&status=no-such-status",
    "/commitments/?sort=no-such-column",
    "/commitments/?page=99",
    "/commitments/export.csv?as_of=not-a-date",
    "/api/commitments/?as_of=not-a-date",
    "/api/commitments/?page=99",
    "/api/commitments/no-such-commitment/",
]
TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)")
ABSOLUTE = re.compile(r"https?://" + HOST + r"[^\s\"'<>,]*")


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src", "action") and value]


def json_strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, str):
        yield value


def links_in(body: bytes, content_type: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    if "html" in content_type or "xml" in content_type:
        parser = Links()
        parser.feed(text)
        return parser.found
    if "json" in content_type:
        try:
            return [s for s in json_strings(json.loads(text)) if s.startswith(("/", f"http://{HOST}/"))]
        except ValueError:
            return []
    return ABSOLUTE.findall(text)


def local(url: str, base: str) -> str | None:
    """The site-relative path?query of a link, or None when it leaves the site."""
    parts = urlsplit(urljoin(f"http://{HOST}{base}", url.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc != HOST:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def twin(url: str) -> str | None:
    """The same page in the other language (the API and static files have none)."""
    if url.startswith(("/api/", "/static/", "/admin/")):
        return None
    return url[3:] if url.startswith("/fr/") else "/fr" + url


def set_up_django(database: Path) -> None:
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}",  # never the developer's db.sqlite3
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DEBUG="false",
        SECRET_KEY="test-only-secret-key-for-the-suite-0123456789abcdef",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
    )
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # load_seed reads fixtures/ relative to the checkout
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")  # WhiteNoise: no collectstatic output
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # no line per 404/400; 500s show


def crawl(limit: int) -> dict:
    import io

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    loading = timezone.now()
    call_command("load_seed", stdout=io.StringIO())
    loaded = timezone.now()

    def load_time(match):
        stamp = datetime.datetime.fromisoformat(match[0].decode())
        return b"LOAD-TIME" if loading <= stamp <= loaded else match[0]

    from tests.public_urls import public_urls

    starts = [*public_urls(), "/", "/fr/", "/api/", "/updates.atom", "/fr/updates.atom", *PROBES]
    queue, seen, results = deque(), set(), {}

    def add(url):
        if url and url not in seen and not url.startswith("/admin/"):
            seen.add(url)
            queue.append(url)

    for url in starts:
        add(url)
        add(twin(url))
    client, fetched = Client(raise_request_exception=False), 0
    while queue:
        url = queue.popleft()
        if url.startswith("/static/"):
            results[url] = {"static": True}
            continue
        if fetched >= limit:
            results[url] = {"status": "not fetched: --limit reached"}
            continue
        fetched += 1
        client.cookies.clear()  # each request as a new visitor
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        for pattern, replacement in NORMALISE:
            body = pattern.sub(replacement, body)
        body = TIMESTAMP.sub(load_time, body)
        content_type = response.get("Content-Type", "")
        record = {
            "status": response.status_code,
            "content_type": content_type,
            "sha256": hashlib.sha256(body).hexdigest(),
            "length": len(body),
        }
        found = links_in(body, content_type) if response.status_code == 200 else []
        for header, key in (("Location", "location"), ("Content-Disposition", "disposition")):
            if response.has_header(header):
                record[key] = response[header]
        if "location" in record:
            found.append(record["location"])
        results[url] = record
        for link in found:
            link = local(link, url)
            add(link)
            add(link and twin(link))
    return results


def compare(mine: dict, other: dict, other_name: str) -> int:
    differ = 0
    for url in sorted(mine.keys() | other.keys()):
        if url not in other:
            print(f"only here      {url}")
        elif url not in mine:
            print(f"only in {other_name}  {url}")
        elif mine[url] != other[url]:
            fields = sorted(k for k in mine[url].keys() | other[url].keys() if mine[url].get(k) != other[url].get(k))
            print(
                f"differs        {url}: " + "; ".join(f"{k} {other[url].get(k)} -> {mine[url].get(k)}" for k in fields)
            )
        else:
            continue
        differ += 1
    print(f"{differ} of {len(mine.keys() | other.keys())} URLs differ or are missing")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="write the crawl's JSON here")
    parser.add_argument("--read", help="use this earlier crawl instead of crawling")
    parser.add_argument("--compare", metavar="OTHER.json", help="exit 1 if any URL differs from OTHER.json")
    parser.add_argument("--limit", type=int, default=3000, help="most requests to make (default 3000)")
    args = parser.parse_args()
    args.out, args.read, args.compare = (Path(f).resolve() if f else None for f in (args.out, args.read, args.compare))
    if args.read:
        results = json.loads(args.read.read_text())
    else:
        with tempfile.TemporaryDirectory(prefix="crawl-public-") as tmp:
            set_up_django(Path(tmp) / "db.sqlite3")
            results = dict(sorted(crawl(args.limit).items()))
            from django.db import connections

            connections.close_all()
        statuses = {}
        for record in results.values():
            key = "static" if record.get("static") else str(record["status"])
            statuses[key] = statuses.get(key, 0) + 1
        print(f"{len(results)} URLs: " + ", ".join(f"{k}: {n}" for k, n in sorted(statuses.items())), file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    if args.compare:
        return compare(results, json.loads(args.compare.read_text()), args.compare.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
