import time

from django.core.management.base import BaseCommand, CommandError

from commitments.management import synthetic
from commitments.models import Commitment, SourceDocument


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a synthetic data set for benchmarks (slugs start with "
        f"'{synthetic.SLUG_PREFIX}'). Never run it on the site's database: it refuses one that holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=10_000)
        parser.add_argument("--updates-per", type=int, default=10, help="Status updates per commitment.")
        parser.add_argument("--quotes-per", type=int, default=3, help="Quotes per commitment (at least 1).")
        parser.add_argument(
            "--long-history", type=int, default=100, help="Status updates of the first commitment (detail page)."
        )
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args, commitments, updates_per, quotes_per, long_history, seed, **options):
        if commitments < 1 or updates_per < 0 or quotes_per < 1 or long_history < 0:
            raise CommandError("Use at least 1 commitment and 1 quote per commitment, and no negative counts.")
        if SourceDocument.objects.exists() or Commitment.objects.exists():
            raise CommandError(
                "This database already holds documents or commitments. Benchmark data goes into an empty "
                "database of its own (e.g. DATABASE_URL=sqlite:///bench/out/bench.sqlite3), never beside real data."
            )
        started = time.perf_counter()
        counts = synthetic.generate(
            commitments=commitments,
            updates_per=updates_per,
            quotes_per=quotes_per,
            long_history=long_history,
            seed=seed,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {counts.documents} documents, {counts.quotes} quotes, {counts.commitments} commitments, "
                f"{counts.links} quote links and {counts.updates} status updates "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
