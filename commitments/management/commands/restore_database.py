from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commitments.management import backups


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by backup_database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask to confirm.")

    def handle(self, *args, path: Path, interactive: bool, **options):
        if interactive:
            answer = input(f"Replace everything in the database with {path}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(f"{error}\nNothing was changed.") from error
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {path}."))
