from django.core.management.base import BaseCommand, CommandError

from commitments.models import Quote
from commitments.models.textmatch import closest_passage, find_passage


class Command(BaseCommand):
    help = "Check every quote against its document's text; exit non-zero listing each one not found verbatim."

    def handle(self, *args, **options):
        failures = 0
        quotes = Quote.objects.select_related("source").order_by("source__slug", "pk")
        for quote in quotes.iterator(chunk_size=500):
            if find_passage(quote.source.full_text, quote.text) is None:
                failures += 1
                closest = closest_passage(quote.source.full_text, quote.text)
                self.stderr.write(
                    f"quote {quote.pk} in {quote.source.slug}: not found verbatim.\n"
                    f"  quote:   {quote.text}\n  closest: {closest}"
                )
        if failures:
            raise CommandError(f"{failures} quote(s) do not match their document.")
        self.stdout.write(self.style.SUCCESS(f"All {quotes.count()} quotes occur verbatim in their documents."))
