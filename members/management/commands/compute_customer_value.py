"""manage.py compute_customer_value: rewrite the customer-value table (members/value/scoring.py)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Compute every member's demand value, resource need, relative value and rank, RFM scores and segment, "
            "and lifetime value, over the 12 months up to --on (default today, UTC), by database aggregation. "
            "Safe to re-run; Celery beat runs it nightly.")

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day the 12 months end on, YYYY-MM-DD (default: today, UTC).")

    def handle(self, *args, on=None, **options):
        from members.value.scoring import refresh

        try:
            day = date.fromisoformat(on) if on else None
        except ValueError as error:
            raise CommandError(f"--on must be a date as YYYY-MM-DD: {error}") from error
        result = refresh(on=day)
        self.stdout.write(f"Customer value for {result.on}: {result.members:,} members in {result.seconds:.2f} s.")
