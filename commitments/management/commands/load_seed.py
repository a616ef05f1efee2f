from django.core.management import call_command
from django.core.management.base import BaseCommand

from commitments.management.seed_revision import apply_revision
from commitments.models import SourceDocument

SEED = "fixtures/seed.json"


class Command(BaseCommand):
    help = (
        "Load the shipped data set into an empty database (never over records already there), then record "
        "its revision's corrections through the services. --revise records only the revision, on a database "
        "that loaded the first data set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--revise",
            action="store_true",
            help="Only record the data set's corrections not yet recorded (commitments/management/seed_revision.py).",
        )

    def handle(self, *args, **options):
        if not options["revise"]:
            if SourceDocument.objects.exists():
                # Reloading would overwrite analysts' edits to the seeded records.
                self.stdout.write("The database already holds documents; the seed data was not loaded again.")
                return
            call_command("loaddata", SEED, verbosity=0)
            # The fixture is loaded raw, which writes no history; give each record its first entry.
            call_command("populate_history", auto=True, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Loaded {SEED}."))
        recorded = apply_revision()
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {len(recorded)} entries of the data set's revision (corrections included).")
        )
