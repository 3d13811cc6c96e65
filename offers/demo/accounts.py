"""The named demo accounts people sign in with (password: `settings.DEMO_PASSWORD`).

Created once; a re-run never touches an existing account's password, name or
activity. Every account gets a verified, primary allauth `EmailAddress` (sign-in
requires a verified address). The four members get a home airport, tastes and an
activity history from the same generator as everyone else, so their portal is not
empty. gold@, platinum@ and executive@ earn their tiers through flights posted to the
loyalty ledger (offers/demo/ledger.py).
"""

from dataclasses import dataclass
from datetime import timezone

import numpy as np
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from members.models import ActivityEvent, Cabin, Member, TravelInterest
from offers.demo import activity, segments
from offers.demo.members import taste_matrix


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    first_name: str
    last_name: str
    home_airport: str = ""
    segment: str = ""
    cabin: str = Cabin.ECONOMY
    interests: tuple = ()
    groups: tuple = ()
    joined_days_ago: int = 1200
    is_staff: bool = False

    @property
    def is_member(self):
        return bool(self.segment)


DEMO_ACCOUNTS = (
    DemoAccount("member@example.com", "member", "Maya", "Thompson", "JFK", "sun",
                interests=(TravelInterest.BEACHES, TravelInterest.FOOD), joined_days_ago=400),
    DemoAccount("gold@example.com", "Gold member", "Wei-Ting", "Chen", "LGA", "business", Cabin.PREMIUM_ECONOMY,
                (TravelInterest.BUSINESS, TravelInterest.CITIES), joined_days_ago=1500),
    DemoAccount("platinum@example.com", "Platinum member", "Daniel", "Okafor", "JFK", "cities", Cabin.BUSINESS,
                (TravelInterest.CITIES, TravelInterest.CULTURE, TravelInterest.SKIING), joined_days_ago=2600),
    DemoAccount("executive@example.com", "Executive Platinum member", "Sofia", "Ramirez", "JFK", "business",
                Cabin.FIRST, (TravelInterest.BUSINESS, TravelInterest.FOOD, TravelInterest.SPORTS), joined_days_ago=3300),
    DemoAccount("editor@example.com", "content editor", "Erin", "Walsh", groups=("Editors",), is_staff=True),
    DemoAccount("manager@example.com", "loyalty manager", "Priya", "Natarajan", groups=("Loyalty managers",), is_staff=True),
    DemoAccount("service@example.com", "customer service agent", "Hsiao-Mei", "Lin", groups=("Customer service",)),
)
ACTIVITY_SEED_OFFSET = 1_000_000  # named account k uses default_rng([seed, 1_000_000 + k])


@dataclass
class AccountResult:
    account: DemoAccount
    member_number: str
    created: bool
    events: int = 0


def _activity_for(member, account, k, *, seed, as_of, network, insert_events):
    rng = np.random.default_rng([seed, ACTIVITY_SEED_OFFSET + k])
    home = network.homes.index(account.home_airport)
    seg = segments.SEGMENT_KEYS.index(account.segment)
    preference = (taste_matrix(network)[seg] + segments.ANY_ROUTE_WEIGHT) * network.served[home]
    preference = (preference / preference.sum())[None, :]
    joined = np.array([np.datetime64(member.date_joined.replace(tzinfo=None), "s")])
    _, destination, event, occurred = activity.generate_activity(
        rng=rng, segment=np.array([seg]), preference=preference, date_joined=joined, as_of=as_of
    )
    refs = [network.route_ref(home, d) for d in destination]
    ids = activity.event_ids(np.random.default_rng([seed, ACTIVITY_SEED_OFFSET + k, 2]), len(refs))
    return insert_events(np.full(len(refs), member.pk), refs, event, occurred, ids)


def ensure_demo_accounts(*, seed, as_of, network, insert_events):
    """Create the demo accounts that are missing; returns one AccountResult per account."""
    groups = {}
    for name in {g for a in DEMO_ACCOUNTS for g in a.groups}:
        try:
            groups[name] = Group.objects.get(name=name)
        except Group.DoesNotExist:
            raise CommandError(f'The group "{name}" is missing: run `manage.py migrate` first.') from None

    results = []
    for k, account in enumerate(DEMO_ACCOUNTS):
        member = Member.objects.filter(email__iexact=account.email).first()
        created = member is None
        events = 0
        if created:
            joined = np.datetime64(as_of, "s") - np.timedelta64(account.joined_days_ago, "D")
            member = Member.objects.create_user(
                account.email,
                password=settings.DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                home_airport=account.home_airport,
                preferred_cabin=account.cabin,
                travel_interests=[str(i) for i in account.interests],
                is_staff=account.is_staff,
                date_joined=joined.astype(object).replace(tzinfo=timezone.utc),
            )
            if account.is_member and not ActivityEvent.objects.filter(member=member).exists():
                events = _activity_for(member, account, k, seed=seed, as_of=as_of, network=network,
                                       insert_events=insert_events)
        member.groups.add(*(groups[g] for g in account.groups))
        EmailAddress.objects.get_or_create(
            user=member, email=member.email, defaults={"verified": True, "primary": True}
        )
        results.append(AccountResult(account, member.member_number, created, events))
    return results
