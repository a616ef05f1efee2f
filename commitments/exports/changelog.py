"""A data release's CHANGELOG entry: what changed since the previous release, read from the
two releases' own CSV files (so it describes exactly what a reader downloads)."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO


@dataclass
class Snapshot:
    """What a changelog compares in one release."""

    commitments: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug: (title, status)
    updates: set[str] = field(default_factory=set)  # ids
    corrections: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id: (slug, corrects, note)
    quotes: int = 0
    documents: int = 0


def _rows(file: IO[bytes]) -> Iterable[dict[str, str]]:
    return csv.DictReader(io.TextIOWrapper(file, encoding="utf-8-sig", newline=""))


def read_snapshot(open_file) -> Snapshot:
    """A release's snapshot from its files; `open_file(name)` opens one for reading bytes."""
    snapshot = Snapshot()
    with open_file("commitments.csv") as file:
        snapshot.commitments = {row["slug"]: (row["title"], row["status"]) for row in _rows(file)}
    with open_file("status-updates.csv") as file:
        for row in _rows(file):
            snapshot.updates.add(row["id"])
            if row["corrects_id"]:
                snapshot.corrections[row["id"]] = (row["commitment_slug"], row["corrects_id"], row["correction_note"])
    with open_file("quotes.csv") as file:
        snapshot.quotes = sum(1 for _row in _rows(file))
    with open_file("documents.csv") as file:
        snapshot.documents = sum(1 for _row in _rows(file))
    return snapshot


def _cell(text: str) -> str:
    """Text from the data, safe inside a Markdown list item."""
    return " ".join(text.replace("`", "'").split())


def changelog_entry(*, version: str, as_of: str, new: Snapshot, old: Snapshot | None, old_version: str = "") -> str:
    """The Markdown entry for release `version`, compared with the previous one (`old`)."""
    lines = [f"## {version} (data as of {as_of})", ""]
    counts = (
        f"{len(new.commitments)} commitments, {len(new.updates)} status updates, "
        f"{new.quotes} quotes, {new.documents} documents."
    )
    if old is None:
        return "\n".join([*lines, f"First release: {counts}", ""])
    lines += [f"Compared with {old_version}: {counts}", ""]
    added = sorted(new.commitments.keys() - old.commitments.keys())
    withdrawn = sorted(old.commitments.keys() - new.commitments.keys())
    kept = sorted(new.commitments.keys() & old.commitments.keys())
    retitled = [slug for slug in kept if new.commitments[slug][0] != old.commitments[slug][0]]
    moved = [slug for slug in kept if new.commitments[slug][1] != old.commitments[slug][1]]
    corrections = sorted(new.corrections.keys() - old.corrections.keys(), key=int)
    sections = [
        ("Commitments added", [f"`{slug}`: {_cell(new.commitments[slug][0])}" for slug in added]),
        ("Commitments withdrawn", [f"`{slug}`: {_cell(old.commitments[slug][0])}" for slug in withdrawn]),
        (
            "Commitments retitled",
            [
                f"`{slug}`: “{_cell(old.commitments[slug][0])}” → “{_cell(new.commitments[slug][0])}”"
                for slug in retitled
            ],
        ),
        (
            "Status changes",
            [f"`{slug}`: {old.commitments[slug][1]} → {new.commitments[slug][1]}" for slug in moved],
        ),
        (
            "Corrections",
            [
                f"update {update} (`{new.corrections[update][0]}`) corrects update {new.corrections[update][1]}: "
                f"{_cell(new.corrections[update][2])}"
                for update in corrections
            ],
        ),
    ]
    for title, items in sections:
        lines += [f"### {title}", ""]
        lines += [f"- {item}" for item in items] if items else ["- none"]
        lines.append("")
    return "\n".join(lines)
