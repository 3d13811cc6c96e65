"""`load_demo` in one function: airports, timetable, demo accounts, generated members.

Everything runs in one database transaction: a failure leaves the database as it was.
Safe to re-run: airports and timetable are upserts, accounts are created once, and
generated members are identified by their e-mail (`…<n>@members.example`, n = index
+ 1); only the indices below N that are missing are created. N only grows the
population: a smaller N never deletes members.
"""

import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np
from django.db import transaction
from django.db.models import Count, Sum
from tqdm import tqdm

from allauth.account.models import EmailAddress
from members.models import MEMBER_NUMBER_ALPHABET, MEMBER_NUMBER_LENGTH, ActivityEvent, LedgerEntry, Member
from offers.demo import activity, bulk, ledger
from members.privacy.demo import load_demo_consents
from offers.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from offers.demo.airports import load_airports
from offers.demo.members import BLOCK_SIZE, EMAIL_DOMAIN, Network, assign_member_numbers, generate_block, index_from_email
from offers.demo.return_legs import load_return_legs
from offers.demo.timetable import load_timetable
from offers.models import Airport, Route, ScheduledFlight

MEMBER_BATCH_SIZE = 2000
EVENT_FLUSH_ROWS = 200_000


@dataclass
class DemoLoad:
    accounts: list = field(default_factory=list)
    members_created: int = 0
    events_created: int = 0
    ledger_entries_created: int = 0
    timings: dict = field(default_factory=dict)

    @staticmethod
    def counts():
        return {
            "airports": Airport.objects.count(),
            "routes": Route.objects.count(),
            "timetable lines": ScheduledFlight.objects.count(),
            "members": Member.objects.count(),
            "generated members": Member.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count(),
            "e-mail addresses": EmailAddress.objects.count(),
            "activity events": ActivityEvent.objects.count(),
            "ledger entries": LedgerEntry.objects.count(),
            **{f"tier {code}": n for code, n in Member.objects.values_list("tier").annotate(n=Count("pk")).order_by("tier__rank")},
        }


def network_from_timetable():
    """Home airports (weighted by departures) and the routes flown from each, from the database."""
    departures = dict(
        Route.objects.filter(is_derived=False, flights__isnull=False).values_list("origin_id").annotate(n=Sum("flights__operations"))
    )
    homes = tuple(sorted(departures))
    pairs = set(Route.objects.filter(is_derived=False).values_list("origin_id", "destination_id"))
    destinations = tuple(sorted({d for _, d in pairs}))
    served = np.array([[(h, d) in pairs for d in destinations] for h in homes])
    weights = np.array([departures[h] for h in homes], dtype=float)
    return Network(homes, weights / weights.sum(), destinations, served)


def as_of_today():
    return datetime.now(timezone.utc).date()


def load_demo(*, members=2000, seed=2013, as_of=None, progress=False, out=None):
    """Load everything; returns a DemoLoad with what was created and how long each part took."""
    as_of = as_of or as_of_today()
    if not isinstance(as_of, date):
        raise TypeError("as_of must be a date")
    result = DemoLoad()

    def step(name, fn):
        started = time.perf_counter()
        value = fn()
        result.timings[name] = time.perf_counter() - started
        if out:
            out(f"{name}: {result.timings[name]:.1f} s")
        return value

    with transaction.atomic():
        step("airports", load_airports)
        step("timetable", load_timetable)
        step("derived return legs", load_return_legs)
        network = network_from_timetable()
        result.accounts = step(
            "demo accounts",
            lambda: ensure_demo_accounts(seed=seed, as_of=as_of, network=network, insert_events=_insert_refs),
        )
        created, events = step(
            "generated members",
            lambda: load_members(count=members, seed=seed, as_of=as_of, network=network, progress=progress),
        )
        result.members_created, result.events_created = created, events
        result.ledger_entries_created = step("loyalty ledger", lambda: ledger.load_ledger(seed=seed, as_of=as_of))
        step("tiers", lambda: ledger.set_tiers(as_of=as_of))
        step("consent", lambda: load_demo_consents(
            everything=Member.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]),
            mixed=Member.objects.filter(email__endswith="@" + EMAIL_DOMAIN), seed=seed, as_of=as_of))
    return result


def _insert_refs(member_ids, refs, events, occurred, ids):
    return bulk.insert_route_events(member_ids, refs, events, occurred, ids)


def load_members(*, count, seed, as_of, network, progress=False):
    """Create generated members 0 … count-1 that are missing, with their activity.

    Returns (members created, events created).
    """
    generated = {}
    other_numbers = set()
    for email, number in Member.objects.values_list("email", "member_number").iterator(chunk_size=20_000):
        index = index_from_email(email)
        if index is None:
            other_numbers.add(number)
        else:
            generated[index] = number
    missing = [i for i in range(count) if i not in generated]
    if not missing:
        return 0, 0
    held = other_numbers | set(generated.values())
    taken = set(other_numbers)  # grows with every block's numbers, in block order
    as_of_dt = datetime(as_of.year, as_of.month, as_of.day)
    refs = np.array([[network.route_ref(h, d) for d in range(len(network.destinations))] for h in range(len(network.homes))])
    missing_set = set(missing)

    pending = []  # event arrays waiting to be flushed
    pending_rows = 0
    members_created = events_created = 0
    last_block = missing[-1] // BLOCK_SIZE
    bar = tqdm(total=len(missing), unit="member", desc="members", file=sys.stderr, disable=not progress)
    for block in range(last_block + 1):
        data = generate_block(seed, block, network, as_of_dt)
        numbers = assign_member_numbers(data["number_candidates"], BLOCK_SIZE, taken)
        new = [p for p, i in enumerate(data["index"]) if i in missing_set]
        if not new:
            continue
        rng_spare = np.random.default_rng([seed, block, 1])
        objs = []
        for p in new:
            number = numbers[p]
            while number in held:  # only when older members came from another seed
                number = "".join(rng_spare.choice(list(MEMBER_NUMBER_ALPHABET), MEMBER_NUMBER_LENGTH))
            held.add(number)
            objs.append(
                Member(
                    email=data["email"][p],
                    member_number=number,
                    password=data["password"][p],
                    first_name=data["first_name"][p],
                    last_name=data["last_name"][p],
                    home_airport=network.homes[data["home"][p]],
                    preferred_cabin=data["cabin"][p],
                    travel_interests=data["interests"][p],
                    date_joined=data["date_joined"][p].astype(object).replace(tzinfo=timezone.utc),
                )
            )
        Member.objects.bulk_create(objs, batch_size=MEMBER_BATCH_SIZE)
        if objs[0].pk is None:  # a backend that cannot return ids from a bulk insert
            ids = dict(Member.objects.filter(email__in=[o.email for o in objs]).values_list("email", "pk"))
            for o in objs:
                o.pk = ids[o.email]
        member_ids = np.zeros(BLOCK_SIZE, dtype=np.int64)
        member_ids[new] = [o.pk for o in objs]
        is_new = np.zeros(BLOCK_SIZE, dtype=bool)
        is_new[new] = True

        position, destination, event, occurred = activity.generate_activity(
            rng=data["rng"],
            segment=data["segment"],
            preference=data["preference"],
            date_joined=data["date_joined"],
            as_of=as_of_dt,
        )
        ids = activity.event_ids(np.random.default_rng([seed, block, 2]), len(position))
        keep = is_new[position]
        position, destination, event, occurred, ids = (a[keep] for a in (position, destination, event, occurred, ids))
        pending.append((member_ids[position], refs[data["home"][position], destination], event, occurred, ids))
        pending_rows += len(position)
        members_created += len(objs)
        if pending_rows >= EVENT_FLUSH_ROWS:
            events_created += _flush(pending)
            pending, pending_rows = [], 0
        bar.update(len(objs))
    events_created += _flush(pending)
    bar.close()
    return members_created, events_created


def _flush(pending):
    if not pending:
        return 0
    members, refs, events, occurred, ids = (np.concatenate(parts) for parts in zip(*pending))
    return bulk.insert_route_events(members, refs.tolist(), events, occurred, ids)
