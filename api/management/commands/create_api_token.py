"""`manage.py create_api_token`: make (or revoke) an API token; the secret is printed once."""

import datetime as dt
import textwrap

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken, Scope
from members.models import Member


class Command(BaseCommand):
    help = textwrap.dedent(f"""
    Make an API token for /api/v1/ (docs/api.md) and print it. Only its SHA-256 digest is
    stored: copy the token now, it cannot be shown again.

    A personal token (--member, scope member) acts as that member: /me, offers, trips,
    flight search, recommendations. A service token (no --member) is for another channel:
    scope channel:ingest sends activity events, agent:lookup looks members up by number.

    Scopes: {", ".join(Scope.values)}.

    Examples:
      manage.py create_api_token --name "Ada's script" --member ada@example.com --scope member
      manage.py create_api_token --name "Call centre" --scope agent:lookup --scope channel:ingest --rate-limit 600/m
      manage.py create_api_token --revoke wf_1a2b3c4d
    """).strip()

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--name", help="who or what uses the token (shown in the admin)")
        parser.add_argument("--member", metavar="EMAIL_OR_NUMBER", help="the member a personal token acts as")
        parser.add_argument("--scope", action="append", default=[], choices=Scope.values, dest="scopes",
                            help="a scope; repeat for several")
        parser.add_argument("--rate-limit", default="", metavar="N/PERIOD",
                            help="requests per s, m, h or d, e.g. 600/m (default: the API_RATE_LIMIT setting, 120/m)")
        parser.add_argument("--expires-in-days", type=int, default=None, metavar="DAYS", help="default: never expires")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix instead (wf_…)")

    def handle(self, *args, name, member, scopes, rate_limit, expires_in_days, revoke, **options):
        if revoke:
            revoked = ApiToken.objects.filter(prefix=revoke, revoked_at__isnull=True).update(revoked_at=timezone.now())
            if not revoked:
                raise CommandError(f"No usable token has the prefix {revoke}.")
            self.stdout.write(f"Revoked {revoke}.")
            return
        if not name or not scopes:
            raise CommandError("Give --name and at least one --scope (or --revoke PREFIX).")
        owner = None
        if member:
            owner = Member.objects.filter(Q(email__iexact=member) | Q(member_number=member.upper())).first()
            if owner is None:
                raise CommandError(f"No member has the e-mail or number {member}.")
        expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        try:
            row, secret = ApiToken.issue(name=name, scopes=scopes, member=owner, rate_limit=rate_limit, expires_at=expires_at)
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())) from None
        self.stdout.write(f"Token “{row.name}” ({', '.join(row.scopes)}"
                          f"{', for ' + str(owner) if owner else ''}). Copy it now; it is not shown again:")
        self.stdout.write(secret)
