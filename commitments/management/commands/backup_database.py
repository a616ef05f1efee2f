from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments.management import backups


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump on PostgreSQL, the backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="Default: backups/<engine>-<timestamp>.<ext>")

    def handle(self, *args, path: Path | None, **options):
        if path is None:
            path = Path("backups") / backups.default_file_name(timezone.now().strftime("%Y%m%d-%H%M%S"))
        try:
            backups.backup(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({path.stat().st_size:,} bytes)."))
