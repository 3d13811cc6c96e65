"""`manage.py purge_expired_activity`: delete raw activity past the retention window."""

from django.conf import settings
from django.core.management.base import BaseCommand

from members.privacy.retention import purge_expired_activity


class Command(BaseCommand):
    help = (
        "Delete members' raw activity events older than PRIVACY_ACTIVITY_RETENTION_DAYS (default 730 days). "
        "Celery beat runs this nightly (members.privacy.tasks.purge_expired_activity); run it by hand after "
        "lowering the window. Deletes in batches; safe to run twice. Ledger, claims, impressions and clicks are "
        "not touched. See docs/privacy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, metavar="N",
                            help=f"keep the last N days instead (default: the setting, now {settings.PRIVACY_ACTIVITY_RETENTION_DAYS})")

    def handle(self, *args, days, verbosity, **options):
        progress = (lambda n: self.stderr.write(f"  {n:,} deleted …")) if verbosity >= 2 else None
        result = purge_expired_activity(days=days, progress=progress)
        if verbosity >= 1:
            self.stdout.write(f"Deleted {result.deleted:,} activity events from before {result.cutoff:%Y-%m-%d %H:%M} UTC.")
