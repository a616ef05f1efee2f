"""Publishing a data release: the public tables as of a date, written as a bundle through
Django's storage API, then recorded (services.record_release).

The bundle: commitments.csv, status-updates.csv, quotes.csv, documents.csv (the same
columns and cells as the downloads), data.xlsx (every table), datapackage.json (a
Frictionless Data Package with a Table Schema per file), CHANGELOG.md (this release
compared with the previous one, then the earlier entries) and SHA256SUMS.

The files go to a folder with a random name nothing links to; only once all of them are
stored is the release's row written, which lists it and serves its files. A failure on
the way leaves no visible release (and what was stored is removed).
"""

import datetime
import hashlib
import json
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .. import selectors, services
from ..models import DOCUMENT_ORDER, DataRelease
from ..services import roles
from . import changelog, records
from .cells import ExportColumn
from .columns import commitment_columns, document_columns, quote_columns, status_update_columns
from .writer import CellRows, csv_content
from .xlsx import Sheet, write_workbook

ROOT = "releases"
TABLE_FILES = ("commitments.csv", "status-updates.csv", "quotes.csv", "documents.csv")
# Table Schema types of the columns' kinds.
SCHEMA_TYPES = {
    "text": ("string", None),
    "code": ("string", None),
    "url": ("string", "uri"),
    "date": ("date", None),
    "datetime": ("datetime", None),
    "number": ("number", None),
    "integer": ("integer", None),
}


class ReleaseFailed(Exception):
    """The files could not be stored: nothing was published."""


@dataclass(frozen=True)
class Table:
    name: str  # the file's stem and the data package resource's name
    title: str
    columns: list[ExportColumn]
    rows: QuerySet | CellRows
    primary_key: str
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)


def release_tables(as_of: datetime.date, absolute_url: Callable[[str], str]) -> list[Table]:
    """The public tables as they stood on `as_of`, by the table's as-of rules: commitments
    made by then with the status of the latest approved update dated on or before it, those
    updates, and the public quotes and documents (which carry no date of their own)."""
    commitments = selectors.status_as_of(selectors.commitment_list(), as_of).order_by("made_on", "slug")
    updates = (
        selectors.status_update_list()
        .filter(as_of__lte=as_of, commitment__made_on__lte=as_of)
        .order_by("as_of", "recorded_at", "id")
    )
    quotes = selectors.quote_list().order_by("source__issued_on", "source__title", "id")
    documents = selectors.public_documents().order_by(*DOCUMENT_ORDER)
    return [
        Table(
            "commitments",
            "Commitments",
            commitment_columns(absolute_url=absolute_url),
            CellRows(commitments, records.commitment_chunks),
            "slug",
        ),
        Table(
            "status-updates",
            "Status updates",
            status_update_columns(absolute_url=absolute_url),
            updates,
            "id",
            (("commitment_slug", "commitments", "slug"), ("evidence_quote_id", "quotes", "id")),
        ),
        Table(
            "quotes",
            "Quotes",
            quote_columns(absolute_url=absolute_url),
            quotes,
            "id",
            (("document_slug", "documents", "slug"),),
        ),
        Table("documents", "Documents", document_columns(absolute_url=absolute_url), documents, "slug"),
    ]


def table_schema(table: Table) -> dict:
    fields = []
    for column in table.columns:
        kind, schema_format = SCHEMA_TYPES.get(column.kind, ("string", None))
        entry: dict = {"name": column.name, "type": kind, "description": str(column.description)}
        if schema_format:
            entry["format"] = schema_format
        if column.vocabulary is not None and not column.name == "roles":  # roles: a list of codes
            entry["constraints"] = {"enum": [str(choice.value) for choice in cast(Any, column.vocabulary)]}
        fields.append(entry)
    schema: dict = {"fields": fields, "primaryKey": [table.primary_key], "missingValues": [""]}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [own], "reference": {"resource": resource, "fields": [other]}}
            for own, resource, other in table.foreign_keys
        ]
    return schema


def data_package(tables: list[Table], *, version: str, as_of: datetime.date, site_url: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "commitment-tracker",
        "title": "Commitment Tracker: Canada's R2P and peace-and-security commitments",
        "version": version,
        "created": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
        "description": f"The tracker's public data as of {as_of.isoformat()}. Release {version}.",
        "homepage": site_url + reverse("commitments:release-list"),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": settings.DATA_LICENCE,
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [{"title": "Commitment Tracker", "path": site_url + "/"}],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": table_schema(table),
            }
            for table in tables
        ],
    }


CITATION = gettext_noop("Commitment Tracker, data release %(version)s (data as of %(as_of)s). %(address)s")


def citation(version: str, as_of: datetime.date, address: str, *, translated: bool = False) -> str:
    """The release's suggested citation: as its files give it (in English, the site's
    language); `translated`, in the active language (its pages). The date stays ISO."""
    wording = gettext(CITATION) if translated else CITATION
    return wording % {"version": version, "as_of": as_of.isoformat(), "address": address}


def write_bundle(
    directory: Path,
    *,
    as_of: datetime.date,
    version: str,
    site_url: str,
    previous: DataRelease | None,
    storage: Storage,
) -> str:
    """Every file of the release into `directory`; returns this release's changelog entry."""
    tables = release_tables(as_of, lambda path: site_url + path)
    for table in tables:
        with open(directory / f"{table.name}.csv", "wb") as file:
            for chunk in csv_content(table.columns, table.rows):
                file.write(chunk)
    address = site_url + reverse("commitments:release-list")
    readme = [
        ("Title", f"Commitment Tracker: data release {version}"),
        ("Data as of", as_of.isoformat()),
        ("Address", address),
        ("Licence", settings.DATA_LICENCE),
        ("Citation", citation(version, as_of, address)),
    ]
    with open(directory / "data.xlsx", "wb") as file:
        write_workbook(file, sheets=[Sheet(t.name, t.columns, t.rows) for t in tables], readme=readme)
    package = data_package(tables, version=version, as_of=as_of, site_url=site_url)
    (directory / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    new = changelog.read_snapshot(lambda name: open(directory / name, "rb"))
    old, earlier = None, ""
    if previous is not None:
        old = changelog.read_snapshot(lambda name: storage.open(f"{previous.folder}/{name}", "rb"))
        with storage.open(f"{previous.folder}/CHANGELOG.md", "rb") as file:
            earlier = file.read().decode().removeprefix("# Changelog\n\n")
    entry = changelog.changelog_entry(
        version=version,
        as_of=as_of.isoformat(),
        new=new,
        old=old,
        old_version=previous.version if previous else "",
    )
    (directory / "CHANGELOG.md").write_text("# Changelog\n\n" + entry + ("\n" + earlier if earlier else ""))
    sums = [f"{sha256_of(directory / name)}  {name}" for name in sorted(bundle_names(directory))]
    (directory / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    return entry


def bundle_names(directory: Path) -> list[str]:
    return [path.name for path in directory.iterdir() if path.name != "SHA256SUMS"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def publish_release(
    *,
    actor: roles.Actor | None,
    as_of: datetime.date,
    today: datetime.date | None = None,
    site_url: str | None = None,
    storage: Storage | None = None,
) -> DataRelease:
    """Check the rules, write the bundle under a name nothing links to, then record it."""
    storage = storage or default_storage
    today = today or timezone.localdate()
    services.check_release(actor=actor, as_of=as_of, today=today)
    version = services.release_version(today)
    folder = f"{ROOT}/{version}-{secrets.token_hex(8)}"
    stored: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as work:
            directory = Path(work)
            # The site's language, not the editor's: the files are the same for every reader.
            with translation.override(settings.LANGUAGE_CODE):
                entry = write_bundle(
                    directory,
                    as_of=as_of,
                    version=version,
                    site_url=(site_url or settings.SITE_URL).rstrip("/"),
                    previous=services.previous_release(today=today),
                    storage=storage,
                )
            files = {}
            for path in sorted(directory.iterdir()):
                with open(path, "rb") as file:
                    name = storage.save(f"{folder}/{path.name}", File(file, name=path.name))
                stored.append(name)
                if name != f"{folder}/{path.name}":
                    raise ReleaseFailed(f"the storage renamed {path.name} to {name}")
                files[path.name] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
        return services.record_release(
            actor=actor, as_of=as_of, today=today, folder=folder, files=files, changelog=entry
        )
    except Exception as error:
        for name in stored:  # nothing links to them; removed so no half release lingers
            try:
                storage.delete(name)
            except OSError:
                pass
        if isinstance(error, (ReleaseFailed, OSError)):
            raise ReleaseFailed(f"The release could not be stored, and nothing was published: {error}") from error
        raise
