"""Bring in a document from a file: the same path as the admin's upload page."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commitments.models import Suggestion
from commitments.services.ingestion import IngestionRefused, describe, ingest_document


class Command(BaseCommand):
    help = "Create a draft document from a PDF, DOCX, HTML, Markdown or text file, with suggested commitments."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--title", default="")
        parser.add_argument("--language", choices=("en", "fr", "bilingual"))
        parser.add_argument("--json", action="store_true", help="Print one JSON object to standard output.")

    def handle(self, *args, path, title, language, json: bool, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            document = ingest_document(name=source.name, content=source.read_bytes(), title=title, language=language)
        except IngestionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        suggestions = list(
            Suggestion.objects.filter(document=document).select_related("restatement_of").order_by("-score", "start")
        )
        if json:
            self.stdout.write(_as_json(document.slug, len(document.full_text), suggestions))
            return
        self.stdout.write(
            f"Created draft document “{document.title}” ({document.slug}): {len(document.full_text)} characters."
        )
        self.stdout.write(f"{len(suggestions)} suggested sentences:")
        for item in suggestions:
            self.stdout.write(
                f"  [{item.kind}] {item.text[:100]} — {describe(item.reasons.split(','), item.figure, _title(item))}"
            )


def _title(item: Suggestion) -> str:
    return item.restatement_of.title if item.restatement_of else ""


def _as_json(slug: str, characters: int, suggestions: list[Suggestion]) -> str:
    return json.dumps(
        {
            "document": slug,
            "characters": characters,
            "suggestions": [
                {
                    "text": item.text,
                    "start": item.start,
                    "end": item.end,
                    "language": item.language,
                    "kind": item.kind,
                    "reason": describe(item.reasons.split(","), item.figure, _title(item)),
                }
                for item in suggestions
            ],
        },
        ensure_ascii=False,
    )
