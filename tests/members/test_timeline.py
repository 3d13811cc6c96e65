"""The member timeline: every source merged newest first, paginated, filtered; one's own only."""

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from members.cases.services import open_case
from members.models import ActivityEvent, EmailSent, SignIn, TierHistory, Trip
from members.privacy.models import AuditEntry
from members.timeline import member_timeline, sources
from offers.models import Offer
from offers.services import claim_offer
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def ago(minutes):
    return NOW - dt.timedelta(minutes=minutes)


def give_history(member, tag):
    """One entry of each kind, an hour apart, oldest first: sign-in … e-mail."""
    SignIn.objects.create(member=member, at=ago(420), method="account_login")
    ActivityEvent.objects.create(member=member, kind="route", ref="JFK-LAX", event="search", occurred_at=ago(360))
    Trip.objects.filter(pk=Trip.objects.create(member=member, name=f"Trip of {tag}").pk).update(created_at=ago(300))
    offer = Offer.objects.create(title=f"Offer for {tag}", slug=f"offer-{tag}", summary="Double miles",
                                 category="miles_bonus", live=True, claim_limit=5)
    claim = claim_offer(member=member, offer=offer)
    type(claim).objects.filter(pk=claim.pk).update(claimed_at=ago(240))
    case = open_case(member=member, category="miles", subject=f"Question of {tag}", message="Where are my miles?")
    case.messages.update(created_at=ago(180))
    TierHistory.objects.create(member=member, old_tier_id="member", new_tier_id="gold", reason="qualified", at=ago(120))
    EmailSent.objects.create(member=member, kind="weekly", key="2026-W48", subject=f"Your week, {tag}",
                             language="en", sent_at=ago(60))


def test_every_source_is_on_the_timeline_newest_first(member):
    give_history(member, "ada")

    entries = member_timeline(member).entries

    assert [e.kind for e in entries] == ["email", "tier", "case", "claim", "trip", "search", "sign_in"]
    assert entries[0].title == "E-mail sent: Your week, ada"
    assert entries[1].title == "Your tier changed from Member to Gold"
    assert entries[2].title.startswith("You opened #") and entries[2].url.startswith("/me/cases/")
    assert entries[3].title == "Claimed the offer “Offer for ada”" and entries[3].url == "/offers/offer-ada/"
    assert entries[5].title == "Searched flights JFK → LAX"


def test_the_member_page_shows_their_own_timeline_and_never_anothers(member_client, member, other_member):
    give_history(member, "ada")
    give_history(other_member, "grace")

    page = member_client.get("/me/activity/", {"member": other_member.pk}).content.decode()

    assert "Offer for ada" in page and "Trip of ada" in page and "Your week, ada" in page
    assert "grace" not in page.lower()


def test_filter_by_kind(member_client, member):
    give_history(member, "ada")

    page = member_client.get("/me/activity/", {"kind": ["claim", "trip", "not-a-kind"]}).content.decode()

    assert "Offer for ada" in page and "Trip of ada" in page
    assert "Your week, ada" not in page and "Question of ada" not in page
    assert "2 entries" in page


def test_pages_continue_where_the_last_one_ended_across_sources(member):
    rng = random.Random(7)
    for i in range(20):
        SignIn.objects.create(member=member, at=ago(rng.randint(1, 10_000)))
        ActivityEvent.objects.create(member=member, kind="route", ref=f"JFK-L{i:02d}", event="search",
                                     occurred_at=ago(rng.randint(1, 10_000)))
        EmailSent.objects.create(member=member, kind="weekly", key=str(i), subject=str(i), language="en",
                                 sent_at=ago(rng.randint(1, 10_000)))

    pages = [member_timeline(member, per_page=25)]
    while pages[-1].next_cursor:
        pages.append(member_timeline(member, per_page=25, before=pages[-1].next_cursor))

    assert [len(p.entries) for p in pages] == [25, 25, 10] and pages[0].total == 60 and pages[0].is_first
    times = [e.at for p in pages for e in p.entries]
    assert times == sorted(times, reverse=True)


def test_entries_of_the_same_instant_are_neither_repeated_nor_skipped_across_pages(member):
    for i in range(7):
        SignIn.objects.create(member=member, at=NOW, method=str(i))
        EmailSent.objects.create(member=member, kind="weekly", key=str(i), subject=f"mail {i}", language="en", sent_at=NOW)
    SignIn.objects.create(member=member, at=ago(5), method="older")

    seen, cursor = [], None
    while True:
        page = member_timeline(member, per_page=3, before=cursor)
        seen += [e.key for e in page.entries]
        if not (cursor := page.next_cursor):
            break

    assert len(seen) == 15 and len(set(seen)) == 15


def test_the_cursor_is_forgiving(member_client, member):
    give_history(member, "ada")

    for before in ("x", "2026-01-01T00:00:00~x", "2026-01-01T00:00:00~1", "2026-01-01T00:00:00+00:00~99999999"):
        response = member_client.get("/me/activity/", {"before": before})
        assert response.status_code == 200 and "Offer for ada" in response.content.decode()  # the first page
    older = member_client.get("/me/activity/", {"before": ago(270).isoformat() + "~0"})
    assert "Offer for ada" not in older.content.decode() and "Trip of ada" in older.content.decode()


def test_the_older_link_walks_the_member_page(member_client, member):
    for i in range(30):
        SignIn.objects.create(member=member, at=ago(i))

    first = member_client.get("/me/activity/").content.decode()
    link = re.search(r'href="\?before=([^"]+)" rel="next"', first).group(1)
    second = member_client.get("/me/activity/?before=" + link.replace("&amp;", "&")).content.decode()

    total = SignIn.objects.filter(member=member).count()  # 30, and the client's own log-in
    assert first.count("timeline__entry ") == 25 and second.count("timeline__entry ") == total - 25
    assert 'rel="next"' not in second and ">Newest<" in second


def test_the_timeline_needs_a_log_in(client):
    response = client.get("/me/activity/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_sign_in_is_recorded_with_the_language_for_emails(client, password):
    member = MemberFactory(email="mei@example.com")
    client.cookies["django_language"] = "zh-hant"

    assert client.post("/accounts/login/", {"login": member.email, "password": password}).status_code == 302

    member.refresh_from_db()
    assert SignIn.objects.filter(member=member).count() == 1 and member.language == "zh-hant"
    assert member_timeline(member, kinds=["sign_in"]).total == 1


def test_staff_read_a_members_timeline_in_the_admin_and_it_is_audited(client, member):
    give_history(member, "ada")
    staff = MemberFactory(email="agent@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)

    listing = client.get("/admin/users/").content.decode()
    response = client.get(f"/admin/members/{member.pk}/timeline/")

    assert f"/admin/members/{member.pk}/timeline/" in listing
    assert response.status_code == 200 and "Offer for ada" in response.content.decode()
    assert AuditEntry.objects.filter(actor=staff, subject=member, action="view_member", detail="timeline").exists()


def test_a_member_cannot_open_the_admin_timeline(client, member, other_member):
    give_history(member, "ada")
    client.force_login(other_member)

    response = client.get(f"/admin/members/{member.pk}/timeline/")

    assert response.status_code in (302, 403) and "Offer for ada" not in response.content.decode()


def test_higher_apps_register_their_sources():
    assert "claim" in sources() and {"sign_in", "search", "trip", "case", "tier", "email"} <= set(sources())
