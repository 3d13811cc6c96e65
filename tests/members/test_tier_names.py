"""Tier names in both languages: members reading zh-hant see the tier's Chinese name, else the English one."""

from datetime import date, datetime, timezone

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from members.admin_views import TierViewSet
from members.loyalty.ledger import post_points
from members.loyalty.tiers import recalculate_tiers, update_tier
from members.models import Notification, Tier, TierChange
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def earn(member, points):
    day = date.today()
    post_points(member=member, source_key="partner:1", kind="partner", miles=points, loyalty_points=points,
                occurred_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def test_the_seeded_tiers_have_their_chinese_names():
    assert dict(Tier.objects.values_list("code", "name_zh_hant")) == {
        "member": "會員", "gold": "金卡", "platinum": "白金卡", "platinum_pro": "白金卓越卡", "executive_platinum": "特級白金卡"}


def test_the_name_follows_the_readers_language_and_falls_back_to_english():
    gold = Tier.objects.get(code="gold")
    with translation.override("zh-hant"):
        assert gold.display_name == str(gold) == "金卡"
        gold.name_zh_hant = ""
        assert gold.display_name == "Gold"
    assert Tier.objects.get(code="gold").display_name == "Gold"


def gold_account_page(client, language):
    """/me/ for a member who reached Gold, reading `language`."""
    member = MemberFactory(language=language)
    earn(member, 50_000)
    recalculate_tiers()
    client.force_login(member)
    return client.get("/me/").content.decode()


def test_a_zh_hant_member_sees_the_chinese_tier_names_on_the_tier_card(client):
    page = gold_account_page(client, "zh-hant")
    assert "金卡" in page and "白金卡" in page  # held, and the next tier in the progress
    assert ">金卡</text>" in page  # the card's badge
    assert "Gold" not in page and "Platinum" not in page


def test_an_english_reader_keeps_the_english_names(client):
    page = gold_account_page(client, "en")
    assert "Your status: Gold" in page and "金卡" not in page


def test_the_upgrade_notice_names_the_tier_in_the_readers_language():
    member = MemberFactory()
    earn(member, 50_000)
    recalculate_tiers()
    notice = Notification.objects.get(member=member)
    with translation.override("zh-hant"):
        assert "金卡" in notice.message and "Gold" not in notice.message
    assert "you are now Gold" in notice.message


def test_the_upgrade_email_is_written_in_each_members_language(django_capture_on_commit_callbacks, eager_tasks):
    chinese, english = MemberFactory(language="zh-hant"), MemberFactory(language="en")
    for who in (chinese, english):
        earn(who, 50_000)
    with django_capture_on_commit_callbacks(execute=True):
        recalculate_tiers()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "金卡" in by_recipient[chinese.email].subject and "Gold" not in by_recipient[chinese.email].body
    assert by_recipient[english.email].subject == "Welcome to Gold"


def test_the_api_names_the_tier_in_the_callers_language(client):
    member = MemberFactory()
    client.force_login(member)
    me = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="zh-TW").json()
    assert (me["tier"]["code"], me["tier"]["name"], me["next_tier"]["name"]) == ("member", "會員", "金卡")
    assert client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["tier"]["name"] == "Member"


def test_a_change_of_the_chinese_name_is_audited():
    manager = MemberFactory(is_staff=True)
    gold = Tier.objects.get(code="gold")
    gold.name_zh_hant = "金卡會員"
    update_tier(tier=gold, by=manager)
    change = TierChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == ("name_zh_hant", "金卡", "金卡會員", manager)


def test_a_loyalty_manager_renames_a_tier_in_chinese_in_the_admin(client):
    from django.contrib.auth.models import Group

    manager = MemberFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name="Loyalty managers"))
    gold = Tier.objects.get(code="gold")
    data = {f: "" if getattr(gold, f) is None else getattr(gold, f) for f in TierViewSet.form_fields}
    client.force_login(manager)
    response = client.post(reverse("tiers:edit", args=[gold.pk]), {**data, "name_zh_hant": "黃金卡"})
    assert response.status_code == 302
    assert Tier.objects.get(code="gold").name_zh_hant == "黃金卡"
    assert TierChange.objects.get().field == "name_zh_hant"
