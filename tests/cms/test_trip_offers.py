"""Trip-context offers: an upcoming trip brings forward the upgrade, lounge, baggage and partner offers that fit it."""

import collections
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Tier, Trip, TripLeg
from offers.models import Offer
from offers.trip_offers import offers_for_trip
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def tier(code):
    return Tier.objects.get(code=code)


def offer(slug, category, destinations="", tiers=(), **fields):
    made = Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary=f"About {slug}", category=category,
                                destinations=destinations, live=True, **fields)
    made.tiers.set(Tier.objects.filter(code__in=tiers))
    return made


def trip(member, hours_ahead, origin="JFK", destination="LAX", flight="WF19", back_after_days=None, cabin="economy"):
    """A trip whose first flight leaves `hours_ahead` hours from now (and, optionally, a return)."""
    made = Trip.objects.create(member=member, name=f"{origin} to {destination}")
    departs = timezone.now() + dt.timedelta(hours=hours_ahead)
    legs = [(origin, destination, departs, flight)]
    if back_after_days is not None:
        legs.append((destination, origin, departs + dt.timedelta(days=back_after_days), "WF20"))
    for n, (frm, to, at, number) in enumerate(legs):
        TripLeg.objects.create(trip=made, sequence=n, flight_designator=number, route_ref=f"{frm}-{to}", origin=frm,
                               origin_name=frm, origin_time_zone="America/New_York", destination=to, destination_name=to,
                               destination_time_zone="America/Los_Angeles", departs_at=at, arrives_at=at + dt.timedelta(hours=6),
                               departure_hour=at.hour, cabin=cabin)
    return made


def dashboard(client, member):
    client.force_login(member)
    return client.get("/").content.decode()


def trip_slot(html):
    """The "For your trip" card's HTML, or "" when the dashboard has none."""
    found = re.search(r'<section class="card slot slot--trip_offers".*?</section>', html, re.S)
    return found.group(0) if found else ""


# --- the upgrade window -----------------------------------------------------------------------


@pytest.mark.parametrize(("tier_code", "hours_ahead", "shown"), [
    ("gold", 30, False),  # Gold: 24 hours
    ("gold", 20, True),
    ("platinum", 30, True),  # Platinum: 48 hours
    ("platinum", 60, False),
    ("platinum_pro", 60, True),  # Platinum Pro: 72 hours
    ("executive_platinum", 90, True),  # Executive Platinum: 100 hours
    ("executive_platinum", 110, False),
    ("member", 2, False),  # the Member tier has no upgrade window
])
def test_the_upgrade_offer_comes_forward_only_inside_the_tiers_upgrade_window(client, tier_code, hours_ahead, shown):
    member = MemberFactory(tier=tier(tier_code))
    offer("business-upgrade", "upgrade")
    trip(member, hours_ahead)
    assert ("Business Upgrade" in trip_slot(dashboard(client, member))) == shown


def test_the_upgrade_windows_are_data_on_the_tiers():
    windows = dict(Tier.objects.values_list("code", "upgrade_window_hours"))
    assert windows == {"member": None, "gold": 24, "platinum": 48, "platinum_pro": 72, "executive_platinum": 100}


def test_the_upgrade_reason_names_the_flight_the_day_and_the_tiers_window(client):
    member = MemberFactory(tier=tier("platinum"))
    offer("business-upgrade", "upgrade")
    made = trip(member, 30, flight="WF19")
    slot = trip_slot(dashboard(client, member))
    day = made.legs.get().local_departure
    assert f"Your upgrade window for WF19 on {day.day} {day:%b} opened: Platinum members can upgrade from 48 hours before departure" in slot
    assert "Why am I seeing this?" in slot and 'class="badge badge--primary">Upgrade<' in slot


def test_a_window_the_manager_changes_moves_the_upgrade(client):
    member = MemberFactory(tier=tier("gold"))
    offer("business-upgrade", "upgrade")
    trip(member, 30)
    Tier.objects.filter(code="gold").update(upgrade_window_hours=36)
    assert "Business Upgrade" in trip_slot(dashboard(client, member))


def test_an_upgrade_for_another_destination_or_a_first_class_leg_stays_back():
    member = MemberFactory(tier=tier("executive_platinum"))
    offer("miami-upgrade", "upgrade", destinations="MIA")
    offer("la-upgrade", "upgrade", destinations="LAX")
    in_first = trip(MemberFactory(tier=tier("executive_platinum")), 10, cabin="first")
    assert [o.slug for o, _ in offers_for_trip(member=member, trip=trip(member, 10))] == ["la-upgrade"]
    assert offers_for_trip(member=in_first.member, trip=in_first) == []


# --- lounge, bags, partners ---------------------------------------------------------------------


def test_a_lounge_offer_at_the_departure_airport_comes_forward_one_at_another_airport_does_not(client):
    member = MemberFactory(tier=tier("gold"), home_airport="LGA")
    offer("jfk-lounge", "lounge", destinations="JFK")
    offer("miami-lounge", "lounge", destinations="MIA")
    offer("lga-lounge-pass", "lounge", home_airports="LGA")  # no destinations: the lounge is at the home airports it targets
    trip(member, 200, origin="JFK", destination="LAX")
    slot = trip_slot(dashboard(client, member))
    assert "Jfk Lounge" in slot and "You fly WF19 from JFK on" in slot
    assert "Miami Lounge" not in slot and "Lga Lounge Pass" not in slot


def test_the_return_flight_brings_forward_the_lounge_at_the_destination():
    member = MemberFactory()
    offer("la-lounge", "lounge", destinations="LAX")
    found = offers_for_trip(member=member, trip=trip(member, 200, back_after_days=4))
    assert [o.slug for o, _ in found] == ["la-lounge"] and "WF20 from LAX" in found[0].reason


def test_baggage_and_destination_partners_come_forward_partners_elsewhere_do_not(client):
    member = MemberFactory()
    offer("extra-bag", "baggage")
    offer("la-hotels", "partner", destinations="LAX")
    offer("vegas-shows", "partner", destinations="LAS")
    offer("anywhere-partner", "partner")  # not about a place
    offer("miles-bonus", "miles_bonus", destinations="LAX")  # not a trip category
    found = offers_for_trip(member=member, trip=trip(member, 200, back_after_days=3))
    assert [o.slug for o, _ in found] == ["extra-bag", "la-hotels"]
    assert found[1].reason.startswith("You arrive in LAX on")
    slot = trip_slot(dashboard(client, member))
    assert "Extra Bag" in slot and "La Hotels" in slot and "Vegas Shows" not in slot


# --- only what the member may see, only from their own trips ------------------------------------


def test_an_offer_targeted_at_another_tier_never_comes_forward(client):
    member = MemberFactory(tier=tier("gold"))
    offer("platinum-upgrade", "upgrade", tiers=["platinum"])
    offer("platinum-lounge", "lounge", destinations="JFK", tiers=["platinum"])
    offer("gold-bag", "baggage", tiers=["gold"])
    trip(member, 10)
    slot = trip_slot(dashboard(client, member))
    assert "Gold Bag" in slot
    assert "Platinum" not in slot


def test_an_offer_claimed_to_its_limit_or_sold_out_stays_back():
    member = MemberFactory()
    claimed = offer("extra-bag", "baggage")
    offer("sold-out-bag", "baggage", total_cap=0)
    claimed.claims.create(member=member)
    assert offers_for_trip(member=member, trip=trip(member, 10)) == []


def test_an_offer_the_member_is_not_interested_in_stays_back(client):
    from recommendations.models import Dismissal

    member = MemberFactory()
    offer("extra-bag", "baggage")
    trip(member, 10)
    Dismissal.objects.create(member=member, kind="offer", ref="extra-bag")
    assert trip_slot(dashboard(client, member)) == ""


def test_a_member_without_upcoming_trips_sees_no_such_slot(client):
    member = MemberFactory(tier=tier("executive_platinum"))
    offer("business-upgrade", "upgrade")
    offer("extra-bag", "baggage")
    flown = trip(member, -30)  # already flown
    html = dashboard(client, member)
    assert "slot--trip_offers" not in html and "For your trip" not in html
    assert offers_for_trip(member=member, trip=flown) == []


def test_another_members_trips_never_drive_it(client):
    member, other = MemberFactory(tier=tier("gold")), MemberFactory(tier=tier("gold"))
    offer("business-upgrade", "upgrade")
    offer("extra-bag", "baggage")
    theirs = trip(other, 10)
    assert "slot--trip_offers" not in dashboard(client, member)
    assert offers_for_trip(member=member, trip=theirs) == []
    assert "Business Upgrade" in trip_slot(dashboard(client, other))


# --- tracking and cost ------------------------------------------------------------------------------


def test_trip_offers_log_impressions_and_go_through_tracked_links(client, eager_tasks):
    from recommendations.models import Click, Impression

    member = MemberFactory(tier=tier("gold"))
    offer("extra-bag", "baggage")
    trip(member, 10)
    slot = trip_slot(dashboard(client, member))
    assert Impression.objects.filter(member=member, slot="trip_offers", kind="offer", ref="extra-bag").count() == 1
    link = re.search(r'href="(/r/[^"]+)"', slot).group(1)
    assert client.get(link).url == "/offers/extra-bag/"
    assert Click.objects.filter(member=member, slot="trip_offers", ref="extra-bag").count() == 1
    assert 'action="/r/not-interested/"' in slot


def test_the_slot_costs_at_most_two_queries_per_dashboard(client, monkeypatch):
    import cms.slots

    member = MemberFactory(tier=tier("platinum"), home_airport="JFK")
    for n in range(6):
        offer(f"bag-{n}", "baggage")
        offer(f"partner-{n}", "partner", destinations="LAX")
    offer("business-upgrade", "upgrade")
    trip(member, 30, back_after_days=3)
    trip(member, 300)
    client.force_login(member)
    client.get("/")  # warm the per-process caches (routes, recommender)

    def page_queries():
        with CaptureQueriesContext(connection) as page:
            html = client.get("/").content.decode()
        # The impressions are written by a Celery task (consent check, insert): eager here, deferred on the live site.
        deferred = ("recommendations_impression", "members_consentrecord")
        return html, [q["sql"] for q in page.captured_queries if not any(table in q["sql"] for table in deferred)]

    html, with_slot = page_queries()
    assert "Business Upgrade" in trip_slot(html)
    monkeypatch.delitem(cms.slots.SLOTS, "trip_offers")
    html, without_slot = page_queries()
    assert "slot--trip_offers" not in html
    extra = shapes(with_slot) - shapes(without_slot)
    assert len(with_slot) - len(without_slot) <= 2, "\n".join(extra.elements())


def shapes(queries):
    """The queries without their literals (times differ between two page views), to show which ones are extra."""
    return collections.Counter(re.sub(r"'[^']*'", "?", q)[:200] for q in queries)


def test_an_ab_test_between_two_upgrade_offers_shows_the_trip_slot_only_the_members_variant(client):
    """The trip slot takes its offers from the same per-visit list as the offers slot (cms.slots.offers_shown)."""
    from offers.experiments import A, variant
    from offers.models import Campaign

    member = MemberFactory(tier=tier("gold"))
    plain, bold = offer("upgrade-plain", "upgrade"), offer("upgrade-bold", "upgrade")
    campaign = Campaign.objects.create(name="Upgrade copy", slug="upgrade-copy", kind="ab_test", slot="offers",
                                       starts_on=timezone.localdate() - dt.timedelta(days=1), variant_a=plain, variant_b=bold)
    trip(member, 20)
    mine, other = (plain, bold) if variant(campaign, member.pk) == A else (bold, plain)
    card = trip_slot(dashboard(client, member))
    assert mine.title in card and other.title not in card
