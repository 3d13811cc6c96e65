"""`manage.py recalculate_tiers`: wraps members.loyalty.tiers.recalculate_tiers."""

import textwrap
from datetime import date

from django.core.management.base import BaseCommand

from members.loyalty.tiers import recalculate_tiers


class Command(BaseCommand):
    help = textwrap.dedent("""
    Recalculate every member's tier from the points ledger (docs/loyalty.md).

    A member's earned tier is the best of: the tier their Loyalty Points reach in the
    current qualification year (1 March – end of February) up to --as-of, in the
    previous year, and (in March) the year before that; and their lifetime tier from
    flown miles. An ordinary run only raises tiers; --year-end-review (Celery beat runs
    it on 1 April) also lowers them to what was earned. Upgraded members get an on-site
    notice and an e-mail. Safe to re-run: a second run changes nothing.
    """).strip()

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                            help="the day to calculate for, UTC (default: today)")
        parser.add_argument("--year-end-review", action="store_true",
                            help="also lower tiers to what was earned (the 1 April review)")
        parser.add_argument("--no-notify", action="store_true", help="change tiers without notices or e-mails")

    def handle(self, *args, as_of, year_end_review, no_notify, verbosity, **options):
        result = recalculate_tiers(on=as_of, year_end_review=year_end_review, notify=not no_notify)
        if verbosity >= 1:
            self.stdout.write(f"Tiers on {result.on} ({'year-end review' if year_end_review else 'upgrades only'}): "
                              f"{result.changed:,} members changed in {result.seconds:.1f} s.")
            for code, n in sorted(result.upgrades.items()):
                self.stdout.write(f"  up into {code}: {n:,}")
            for code, n in sorted(result.downgrades.items()):
                self.stdout.write(f"  down from {code}: {n:,}")
