"""The loyalty managers' dashboard and the customer-value list in the Wagtail admin."""

import csv
import io
from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.loyalty.ledger import post_points
from members.loyalty.tiers import today
from members.models import AuditEntry, Member, TierHistory
from members.value.scoring import refresh
from recommendations.models import Click, Impression, ModelVersion
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loyalty_manager(db):
    """Priya, in the Loyalty managers group."""
    manager = MemberFactory(email="priya@example.com", first_name="Priya", is_staff=True)
    manager.groups.add(Group.objects.get(name="Loyalty managers"))
    return manager


def flyer(email, points, airport="JFK"):
    m = MemberFactory(email=email, home_airport=airport)
    day = today()
    post_points(member=m, source_key="p", kind="partner", miles=points, loyalty_points=points,
                occurred_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    return m


def test_the_dashboard_shows_every_panel_with_its_numbers(client, loyalty_manager):
    flyer("near@example.com", 37_000)  # 92.5 % of Gold's 40,000: near the next tier
    flyer("gold@example.com", 41_000)
    from members.loyalty.tiers import recalculate_tiers

    recalculate_tiers(notify=False)
    refresh()
    ModelVersion.objects.create(status="ready", is_active=True, serving="als",
                                metrics={"als": {"ndcg": 0.21}, "popularity": {"ndcg": 0.14}})
    from offers.models import Offer

    Offer.objects.create(title="Miami sun", slug="miami-sun", summary="Sun", category="fare_sale", live=True)
    member = Member.objects.get(email="near@example.com")
    for n in range(4):
        Impression.objects.create(member=member, slot=f"s{n}", kind="offer", ref="miami-sun", day=today())
    Click.objects.create(member=member, slot="s0", kind="offer", ref="miami-sun", day=today())
    client.force_login(loyalty_manager)

    page = client.get(reverse("loyalty_dashboard")).content.decode()

    for heading in ("Members per tier", "Tier movement per month", "Members near the next tier", "Customer value",
                    "Offer performance", "Recommender quality per model version"):
        assert f">{heading}</h2>" in page
    assert page.count("<svg") >= 6 and page.count("<table") >= 6
    assert "1 members moved up a tier" in page  # the gold flyer's upgrade, in words
    assert "<td>25.0 %</td>" in page  # 1 click / 4 impressions
    assert "0.2100" in page and "+50 %" in page  # ALS against the popularity baseline
    assert "<td>1</td>" in page  # one member near Gold


def test_only_loyalty_managers_and_superusers_see_the_dashboard(client, editor, loyalty_manager):
    client.force_login(editor)
    assert client.get(reverse("loyalty_dashboard")).status_code in (302, 403)
    assert client.post(reverse("loyalty_recalculate")).status_code in (302, 403)
    assert not TierHistory.objects.exists()
    client.force_login(loyalty_manager)
    assert client.get(reverse("loyalty_dashboard")).status_code == 200
    assert "Loyalty dashboard" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_recalculate_now_runs_the_task_and_says_what_changed(client, loyalty_manager, eager_tasks):
    flyer("gold@example.com", 41_000)
    client.force_login(loyalty_manager)

    response = client.post(reverse("loyalty_recalculate"), follow=True)

    assert Member.objects.get(email="gold@example.com").tier_id == "gold"
    assert "1 members changed tier (1 up, 0 down)" in response.content.decode()
    history = client.get(reverse("tier_history:index")).content.decode()
    assert "gold@example.com" in history or "Gold" in history


def test_the_value_list_filters_by_segment_tier_and_airport_and_exports_the_segment(client, loyalty_manager):
    flyer("jfk@example.com", 5_000, "JFK")
    flyer("lax@example.com", 9_000, "LAX")
    refresh()
    client.force_login(loyalty_manager)
    url = reverse("customer_value:index")

    listing = client.get(url).content.decode()
    assert "jfk@example.com" in listing and "lax@example.com" in listing
    only_lax = client.get(url, {"home_airport": "lax"}).content.decode()
    assert "lax@example.com" in only_lax and "jfk@example.com" not in only_lax
    assert "priya@example.com" not in client.get(url, {"segment": "new"}).content.decode()  # Priya earned nothing: lost
    assert "jfk@example.com" not in client.get(url, {"tier": "gold"}).content.decode()

    export = client.get(url, {"home_airport": "LAX", "export": "csv"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [r["E-mail"] for r in rows] == ["lax@example.com"]
    assert rows[0]["Rank"] == "1" and rows[0]["Home airport"] == "LAX"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ADMIN_EXPORT)
    assert entry.actor == loyalty_manager and "customer_value" in entry.detail.replace("-", "_")


def test_an_editor_cannot_see_or_export_customer_value(client, editor):
    refresh()
    client.force_login(editor)
    response = client.get(reverse("customer_value:index"), {"export": "csv"})
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ADMIN_EXPORT).exists()


def test_nonsense_filters_are_answered_not_crashed(client, loyalty_manager):
    refresh()
    client.force_login(loyalty_manager)
    for params in ({"tier": "diamond"}, {"segment": "<script>"}, {"home_airport": "NOT-AN-AIRPORT"}):
        response = client.get(reverse("customer_value:index"), params)
        assert response.status_code == 200, params
    assert "Select a valid choice" in client.get(reverse("customer_value:index"), {"tier": "diamond"}).content.decode()


def test_the_dashboard_of_an_empty_programme_says_so_in_words(client, loyalty_manager):
    client.force_login(loyalty_manager)
    page = client.get(reverse("loyalty_dashboard")).content.decode()
    assert "No member has changed tier in the last 12 months." in page
    assert "Customer value has not been computed yet" in page
    assert "No model version has been trained yet." in page
