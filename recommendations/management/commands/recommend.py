"""`manage.py recommend --member EMAIL --kind route`: what a member would be served now."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Print the items `recommendations.serve()` gives a member right now (the same path a "
        "page takes: cache, eligibility, fallback), with each item's explanation. The member "
        "is found by e-mail or member number."
    )

    def add_arguments(self, parser):
        parser.add_argument("--member", required=True, help="e-mail address or member number")
        parser.add_argument("--kind", default="route", help="item kind (route, offer, news); default route")
        parser.add_argument("-n", type=int, default=10, help="how many items (default 10)")

    def handle(self, *args, member, kind, n, **options):
        from django.db.models import Q

        from members.models import Member
        from recommendations import serve

        found = Member.objects.filter(Q(email__iexact=member) | Q(member_number=member.upper())).first()
        if found is None:
            raise CommandError(f"no member {member!r}")
        items = serve(found, kind, n)
        self.stdout.write(f"{found} · home {found.home_airport or '-'} · {kind}")
        if not items:
            self.stdout.write("  nothing to recommend")
        for rank, item in enumerate(items, 1):
            source = "fallback" if item.is_fallback else item.source
            self.stdout.write(f"{rank:>3}. {item.label:<12} {item.score:8.4f}  [{source}]  {item.explanation}")
