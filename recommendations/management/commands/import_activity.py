"""`manage.py import_activity PATH.csv`: member activity from a file, checked line by line first."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Import member activity from a CSV file with the columns member,item_kind,item_ref,event,timestamp "
        "(member: e-mail or member number; event: search, view, click, save, unsave, claim, book; timestamp: "
        "ISO 8601, UTC when it has no offset; optional event_id column). Every line is checked first: a bad "
        "line is reported with its line number and reason, and then nothing is imported unless --skip-invalid. "
        "The import is one transaction; importing the same file again adds nothing; members who do not allow "
        "analytics are left out, as on the site. See docs/recommender.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file (UTF-8)")
        parser.add_argument("--skip-invalid", action="store_true", help="import the good lines even when some are bad")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; import nothing")
        parser.add_argument("--channel", default="web", help="channel recorded on the events (web, mobile, call_centre, demo)")

    def handle(self, *args, path, skip_invalid, dry_run, channel, **options):
        from recommendations.activity_import import import_activity

        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                report = import_activity(handle=handle, skip_invalid=skip_invalid, channel=channel, dry_run=dry_run)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        for number, reason in report.errors[:200]:
            self.stderr.write(f"line {number}: {reason}")
        if len(report.errors) > 200:
            self.stderr.write(f"… and {len(report.errors) - 200} more bad lines")
        summary = f"{report.lines} lines, {report.valid} good, {len(report.errors)} bad"
        if report.errors and not skip_invalid:
            raise CommandError(f"{summary}: nothing imported (fix the lines above, or use --skip-invalid)")
        if dry_run:
            self.stdout.write(f"{summary}: checked only (--dry-run)")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{summary}: {report.imported} events imported, {report.already_there} already there, "
            f"{report.without_consent} left out (no analytics consent)"
        ))
