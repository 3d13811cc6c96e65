"""The points ledger: idempotent postings, balances derived by aggregate, concurrency."""

import threading
from datetime import date

import pytest
from django.db import connections

from members.loyalty.ledger import adjust, post_flight, post_points
from members.models import LedgerEntry, Member
from portal.errors import DomainError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
FLOWN_ON = date(2026, 5, 4)


def test_a_flight_earns_distance_times_cabin_times_tier_bonus(member):
    Member.objects.filter(pk=member.pk).update(tier="gold")  # 40 % bonus

    entry = post_flight(member=member, source_key="AA1:2026-05-04", distance_miles=2475, cabin="business", flown_on=FLOWN_ON)

    assert entry.miles == 2475 * 2 * 140 // 100 == 6930
    assert entry.loyalty_points == 6930 and entry.flown_miles == 2475
    assert member.miles_balance() == 6930
    assert member.qualifying_points(on=date(2026, 6, 1)) == 6930


def test_second_posting_of_same_flight_is_ignored(member):
    first = post_flight(member=member, source_key="AA1:2026-05-04", distance_miles=2475, cabin="economy", flown_on=FLOWN_ON)
    second = post_flight(member=member, source_key="AA1:2026-05-04", distance_miles=2475, cabin="economy", flown_on=FLOWN_ON)

    assert second.pk == first.pk
    assert LedgerEntry.objects.filter(member=member).count() == 1
    assert member.miles_balance() == 2475


def test_the_same_source_key_may_be_used_by_two_members(member, other_member):
    post_points(member=member, source_key="partner:hotel:77", kind="partner", miles=500, loyalty_points=500)
    post_points(member=other_member, source_key="partner:hotel:77", kind="partner", miles=500, loyalty_points=500)

    assert LedgerEntry.objects.count() == 2


def test_points_outside_the_qualification_year_do_not_qualify(member):
    post_flight(member=member, source_key="old", distance_miles=1000, cabin="economy", flown_on=date(2026, 2, 28))
    post_flight(member=member, source_key="new", distance_miles=300, cabin="economy", flown_on=date(2026, 3, 1))

    assert member.qualifying_points(on=date(2026, 3, 15)) == 300
    assert member.miles_balance() == 1300


def test_an_adjustment_needs_a_reason_and_names_the_staff_member(member, editor):
    editor.is_staff = True
    with pytest.raises(DomainError):
        adjust(member=member, source_key="case:1", reason=" ", staff=editor, miles=100)
    with pytest.raises(DomainError):
        adjust(member=member, source_key="case:1", reason="Lost bag", staff=member, miles=100)

    entry = adjust(member=member, source_key="case:1", reason="Lost bag", staff=editor, miles=-100)

    assert (entry.kind, entry.miles, entry.staff) == ("adjustment", -100, editor)


def test_ledger_entries_cannot_be_changed(member):
    entry = post_points(member=member, source_key="offer:spring", kind="offer_bonus", miles=1000)
    entry.miles = 5000
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_sum_up_and_a_duplicate_stays_single():
    member = MemberFactory()
    errors = []

    def post(n):
        try:
            post_points(member=member, source_key=f"partner:{n}", kind="partner", miles=n, loyalty_points=n)
            post_points(member=member, source_key="partner:same", kind="partner", miles=7, loyalty_points=7)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(1, 51)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert LedgerEntry.objects.filter(member=member, source_key="partner:same").count() == 1
    assert member.miles_balance() == sum(range(1, 51)) + 7
