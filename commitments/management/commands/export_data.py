import json
import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.http.request import validate_host
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from commitments import listings, selectors
from commitments.api.serializers import CommitmentDetailSerializer, DocumentSerializer
from commitments.exports import csv_content

CHUNK = 2000


class Command(BaseCommand):
    help = "Write every public CSV export and a JSON dump of the published data to DIRECTORY."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--base-url", default=settings.SITE_URL, help="Public address used in the files' links (default: SITE_URL)."
        )

    def handle(self, *args, directory: Path, base_url: str, **options):
        site = urlsplit(base_url)
        if site.scheme not in ("http", "https") or not site.netloc:
            raise CommandError(f"--base-url must be an http(s) address, not {base_url!r}.")
        if not validate_host(site.netloc.lower(), settings.ALLOWED_HOSTS):
            # Found now, before any file is touched, rather than as DisallowedHost half-way.
            raise CommandError(f"The host of {base_url} is not in ALLOWED_HOSTS; add it, or pass --base-url.")
        directory.mkdir(parents=True, exist_ok=True)
        request = RequestFactory().get("/", HTTP_HOST=site.netloc, secure=site.scheme == "https")

        for listing in (listings.COMMITMENTS, listings.STATUS_UPDATES, listings.QUOTES):
            path = directory / f"{listing.name}.csv"
            columns = listing.columns(absolute_url=request.build_absolute_uri)
            with _replaced_atomically(path, "wb") as handle:
                handle.writelines(csv_content(columns, listing.export_rows(QueryDict())))
            self.stdout.write(f"Wrote {path}")

        path = directory / "data.json"
        context = {"request": Request(request)}
        with _replaced_atomically(path, "w") as handle:
            handle.write('{"commitments": [\n')
            self._write_items(handle, selectors.commitment_detail(), CommitmentDetailSerializer, context)
            handle.write('],\n"documents": [\n')
            self._write_items(handle, selectors.source_list(), DocumentSerializer, context)
            handle.write("]}\n")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))

    @staticmethod
    def _write_items(handle, queryset, serializer_class, context) -> None:
        # One object at a time, so the dump never holds the whole data set in memory.
        for index, item in enumerate(queryset.iterator(chunk_size=CHUNK)):
            if index:
                handle.write(",\n")
            json.dump(serializer_class(item, context=context).data, handle, ensure_ascii=False, cls=JSONEncoder)
        handle.write("\n")


@contextmanager
def _replaced_atomically(path: Path, mode: str):
    """Write beside `path`, then rename over it: readers of a published directory never see
    a half-written file, and a failure leaves the previous file in place."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open(mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
