"""Publish a data release: `manage.py publish_release [--as-of YYYY-MM-DD]` (default today)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments.exports.releases import ReleaseFailed, publish_release


class Command(BaseCommand):
    help = "Publish a dated, immutable data release of the public tables (see /data/releases/)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The data as it stood on this day (YYYY-MM-DD); default today.")
        parser.add_argument("--base-url", help="Public address used in the files' links (default: SITE_URL).")

    def handle(self, *args, as_of=None, base_url=None, **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError as error:
            raise CommandError(f"--as-of must be a date, YYYY-MM-DD: {as_of!r}") from error
        try:
            # The operator runs this as the system (actor None): the shell is their sign-in.
            release = publish_release(actor=None, as_of=day or timezone.localdate(), site_url=base_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ReleaseFailed as error:
            raise CommandError(str(error)) from error
        for name, file in release.files.items():
            self.stdout.write(f"{file['bytes']:>10}  {name}")
        self.stdout.write(self.style.SUCCESS(f"Published release {release.version} (data as of {release.as_of})."))
