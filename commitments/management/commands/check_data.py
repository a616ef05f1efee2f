from django.core.management.base import BaseCommand, CommandError

from commitments.management.datacheck import past_deadline_notices, problems


class Command(BaseCommand):
    help = (
        "Check the published record against the method: verdicts consistent with their criteria and kind, "
        "evidence for every assessment, headline meters at the stage the criteria count, current statuses as "
        "the history gives them, every quote verbatim. Exits non-zero on a problem (for cron or CI); lists the "
        "deadlines passed without a final verdict."
    )

    def handle(self, *args, **options):
        for notice in past_deadline_notices():
            self.stdout.write(f"notice: {notice}")
        found = problems()
        for problem in found:
            self.stderr.write(f"problem: {problem}")
        if found:
            raise CommandError(f"{len(found)} problem(s) in the data.")
        self.stdout.write(self.style.SUCCESS("The data passes every check."))
