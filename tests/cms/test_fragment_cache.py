"""The dashboard's shared fragments: one entry per segment, nothing personal in it, a change of what it shows invalidates it."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cms import fragments
from cms.demo import load_tier_areas
from cms.models import TierAreaPage
from cms.slots import fares_from, fill_slots, held_out_slots
from members.cases.services import open_case
from members.models import Tier
from offers.campaigns import HOLDOUT, group
from offers.demo.airports import load_airports
from offers.demo.timetable import load_timetable
from offers.models import Campaign, Offer
from offers.segments.visit import Visit
from offers.services import claim_offer
from recommendations.models import Dismissal
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def offer(slug, **fields):
    return Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary=f"About {slug}",
                                category="miles_bonus", live=True, **fields)


def gold(**fields):
    return MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="JFK", **fields)


def test_a_fragment_is_computed_once_per_segment_and_language():
    computed = []

    def fragment_of(parts):
        return fragments.shared("test", parts, lambda: computed.append(parts) or list(parts), sources=("offers",))

    assert fragment_of(("gold", "JFK")) == ["gold", "JFK"]
    assert fragment_of(("gold", "JFK")) == ["gold", "JFK"]  # a second member of the segment: from the cache
    fragment_of(("platinum", "JFK"))  # another tier
    fragment_of(("gold", "MIA"))  # another home airport
    with translation.override("zh-hant"):  # another language
        fragment_of(("gold", "JFK"))
    assert computed == [("gold", "JFK"), ("platinum", "JFK"), ("gold", "MIA"), ("gold", "JFK")]


def test_members_at_one_home_airport_share_their_fares_entry_and_others_do_not(monkeypatch):
    from offers import search

    load_airports()
    load_timetable()
    today = timezone.localdate()
    asked = []
    real = search.from_fare
    monkeypatch.setattr(search, "from_fare", lambda **kw: asked.append(kw["route"].ref) or real(**kw))  # counts, still real
    first = fares_from({"JFK"}, "economy", today)
    assert first and set(asked) == set(first) and all(ref.startswith("JFK-") for ref in first)
    asked.clear()
    assert fares_from({"JFK"}, "economy", today) == first  # the next member at JFK: one cache read
    assert asked == []
    lga = fares_from({"LGA"}, "economy", today)  # another home airport: its own entry
    assert lga and set(asked) == set(lga) and all(ref.startswith("LGA-") for ref in lga)
    asked.clear()
    fares_from({"JFK"}, "business", today)  # another cabin too
    assert asked and all(ref.startswith("JFK-") for ref in asked)


def test_nothing_personal_leaks_from_one_members_page_to_another_of_the_same_segment(client):
    mine, theirs = gold(first_name="Wilhelmina"), gold(first_name="Bartholomew")
    offer("lounge-pass")
    claimed = offer("one-per-member")
    Dismissal.objects.create(member=mine, kind="offer", ref="lounge-pass")
    claim_offer(member=mine, offer=claimed)  # claimed to its limit: gone from my page only
    open_case(member=mine, category="miles", subject="Where are my missing miles", message="Flight WF19 on 1 Feb is not credited.")
    client.force_login(mine)
    my_page = client.get("/").content.decode()
    assert "Wilhelmina" in my_page and "Lounge Pass" not in my_page and "One Per Member" not in my_page
    client.force_login(theirs)
    their_page = client.get("/").content.decode()  # after mine filled the shared entries
    assert "Bartholomew" in their_page and "Wilhelmina" not in their_page
    assert "Lounge Pass" in their_page and "One Per Member" in their_page
    assert "Where are my missing miles" not in their_page
    client.force_login(mine)
    again = client.get("/").content.decode()  # and theirs did not undo my choices either
    assert "Lounge Pass" not in again and "One Per Member" not in again


def test_each_member_gets_their_own_hold_out_group_from_the_shared_campaign_list():
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="Offers hold-out", slug="offers-holdout", kind="holdout", slot="offers",
                                       starts_on=today - dt.timedelta(days=1), holdout_percent=50)
    members = [gold() for _ in range(12)]
    held = {m.pk for m in members if group(campaign, m.pk) == HOLDOUT}
    assert 0 < len(held) < len(members)  # both groups present
    for member in members:  # the first fills the shared entry; each answer is still the member's own
        fill_slots(member, today, slots={}, visit=Visit(member=member))
        assert ("offers" in held_out_slots(member, today)) == (member.pk in held)


def test_publishing_a_page_it_shows_invalidates_the_tier_area_fragment(client, home):
    load_tier_areas(home, timezone.localdate())
    client.force_login(gold())
    area = TierAreaPage.objects.get(slug="gold")
    assert area.title in client.get("/").content.decode()
    area.title = "The Gold Room"
    area.save_revision().publish()
    assert "The Gold Room" in client.get("/").content.decode()
    area.unpublish()
    assert "The Gold Room" not in client.get("/").content.decode()


def test_changing_an_offer_or_a_campaign_starts_a_new_version():
    before = fragments.versions()
    made = offer("spring-miles")
    assert fragments.versions()["offers"] != before["offers"]
    saved = fragments.versions()["offers"]
    made.title = "Spring miles, doubled"
    made.save_revision().publish()
    assert fragments.versions()["offers"] != saved
    saved = fragments.versions()["offers"]
    made.tiers.set(Tier.objects.filter(code="gold"))  # targeting changed
    assert fragments.versions()["offers"] != saved
    campaigns = fragments.versions()["campaigns"]
    Campaign.objects.create(name="Hold-out", slug="h", kind="holdout", slot="all", starts_on=timezone.localdate())
    assert fragments.versions()["campaigns"] != campaigns


def test_a_new_campaign_reaches_members_at_once():
    today = timezone.localdate()
    member = gold()
    assert held_out_slots(member, today) == set()  # cached: no hold-out running
    Campaign.objects.create(name="Everyone", slug="everyone", kind="holdout", slot="all", starts_on=today, holdout_percent=100)
    assert held_out_slots(member, today) == {"offers", "fares", "news", "trip_offers"}


def test_a_failing_cache_means_computing_directly(client, monkeypatch):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")
            return fail

    monkeypatch.setattr(fragments, "cache", Broken())
    assert fragments.shared("test", ["gold"], lambda: "computed", sources=("pages",)) == "computed"
    offer("for-all")
    client.force_login(gold())
    html = client.get("/").content.decode()
    assert "For All" in html and "not available right now" not in html


# --- the tier's offers, the running campaigns and the latest news: shared, with the member's part per request ---


def served(member, today=None):
    from cms.slots import offers_shown

    today = today or timezone.localdate()
    fill_slots(member, today, slots={}, visit=Visit(member=member))
    return [o.slug for o in offers_shown(member, today)]


def test_members_of_a_tier_share_its_offers_entry_and_claims_and_caps_are_still_read_per_member(monkeypatch):
    from offers import selectors

    calls = []
    real = selectors.offer_candidates
    monkeypatch.setattr("cms.slots.offer_candidates", lambda tier: calls.append(tier) or real(tier))
    mine, theirs = gold(), gold()
    offer("last-seat", total_cap=1)
    offer("once-each")
    assert served(mine) == served(theirs) == ["once-each", "last-seat"]
    assert calls == ["gold"]  # one computation for the tier's members
    claim_offer(member=mine, offer=Offer.objects.get(slug="once-each"))  # a claim moves counts; it saves no offer
    claim_offer(member=theirs, offer=Offer.objects.get(slug="last-seat"))  # the total cap is reached
    assert served(mine) == [] and served(theirs) == ["once-each"]
    assert calls == ["gold"]  # still the shared entry: the counts were read for each member
    platinum = MemberFactory(tier=Tier.objects.get(code="platinum"), home_airport="JFK")
    served(platinum)
    assert calls == ["gold", "platinum"]


def test_targeting_and_budgets_are_judged_per_member_from_the_shared_offers():
    from offers.models import Segment, SegmentRule

    jfk, mia = gold(), MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="MIA")
    segment = Segment.objects.create(name="From JFK")
    rule = SegmentRule.objects.create(segment=segment, kind="home_airport", values="JFK")
    targeted = offer("jfk-lounge")
    targeted.segments.add(segment)
    offer("miami-only", home_airports="MIA")
    assert served(jfk) == ["jfk-lounge"] and served(mia) == ["miami-only"]
    rule.values = "MIA"
    rule.save()  # a segment's rule changed: the tier's entry is not served again
    assert served(jfk) == [] and set(served(mia)) == {"jfk-lounge", "miami-only"}


def test_a_members_request_leaves_the_shared_offers_as_they_were():
    from cms.slots import offers_shown
    from offers.selectors import offer_candidates

    member = gold()
    offer("bags-free")
    today = timezone.localdate()
    with translation.override("zh-hant"):
        fill_slots(member, today, slots={}, visit=Visit(member=member))
        shown = offers_shown(member, today)
    shared = fragments.shared("tier-offers", ["gold"], lambda: offer_candidates("gold"), sources=("offers",), local=True)
    assert shown and shared and shown[0] is not shared[0]
    assert not hasattr(shared[0], "claimed") and "translations" not in shared[0]._prefetched_objects_cache


def test_changing_a_campaigns_arms_or_a_segment_starts_a_new_version():
    from offers.models import Segment

    arm_a, arm_b = offer("arm-a"), offer("arm-b")
    bandit = Campaign.objects.create(name="Bandit", slug="bandit", kind="bandit", slot="offers", starts_on=timezone.localdate())
    campaigns = fragments.versions()["campaigns"]
    bandit.arms.set([arm_a, arm_b])
    assert fragments.versions()["campaigns"] != campaigns
    offers_version = fragments.versions()["offers"]
    Segment.objects.create(name="New segment")
    assert fragments.versions()["offers"] != offers_version


def test_a_new_ab_test_reaches_members_at_once():
    today = timezone.localdate()
    member = gold()
    a, b = offer("variant-a"), offer("variant-b")
    assert set(served(member)) == {"variant-a", "variant-b"}  # the campaigns entry: none running
    Campaign.objects.create(name="A/B", slug="ab", kind="ab_test", slot="offers", starts_on=today, variant_a=a, variant_b=b)
    assert len(served(member)) == 1


def test_readers_with_the_same_closed_sections_share_the_news_and_dismissals_stay_personal(news_index):
    from cms.models import NewsArticlePage
    from cms.slots import news_for_you

    today = timezone.localdate()

    def article(slug, title, days_ago, **fields):
        page = NewsArticlePage(title=title, slug=slug, summary=title, date=today - dt.timedelta(days=days_ago),
                               body=[("paragraph", f"<p>{title}</p>")], **fields)
        news_index.add_child(instance=page)
        return page

    for n in range(3):
        article(f"story-{n}", f"Story {n}", n + 1)
    aimed = article("gold-lounge", "Gold lounge news", 0)
    aimed.tiers.set(Tier.objects.filter(code="gold"))
    aimed.save_revision().publish()
    mine, theirs = gold(), gold()
    silver = MemberFactory(tier=Tier.objects.get(code="member"), home_airport="JFK")
    Dismissal.objects.create(member=mine, kind="news", ref=str(NewsArticlePage.objects.get(slug="story-0").pk))

    def titles(member):
        fill_slots(member, today, slots={}, visit=Visit(member=member))
        return [item.title for item in news_for_you(member, today, n=5)]

    assert "Story 0" not in titles(mine) and "Gold lounge news" in titles(mine)
    assert "Story 0" in titles(theirs) and "Gold lounge news" in titles(theirs)  # the same entry, their own dismissals
    assert "Gold lounge news" not in titles(silver) and "Story 0" in titles(silver)  # other closed sections, other entry


def test_a_page_view_queues_one_impressions_task_for_all_its_slots(client, monkeypatch, eager_tasks):
    from recommendations.models import Impression
    from recommendations.tasks import record_impressions

    queued = []
    real = record_impressions.delay
    monkeypatch.setattr(record_impressions, "delay", lambda *a, **kw: queued.append((a, kw)) or real(*a, **kw))
    member = gold()
    offer("lounge-pass")
    client.force_login(member)
    client.get("/")
    assert len(queued) == 1 and "offers" in queued[0][1]["by_slot"]
    assert Impression.objects.filter(member=member, slot="offers", ref="lounge-pass").count() == 1
    client.get("/")  # deduplicated per day, as with one task per slot
    assert Impression.objects.filter(member=member, slot="offers", ref="lounge-pass").count() == 1
