"""Consent, versioned: asked at sign-up (unticked), changed at /me/privacy/, obeyed by activity and the recommender."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from members.models import ActivityEvent, Member
from members.privacy.consent import CONSENT_TEXTS, allows, choices_of, members_allowing_personalization, record_consents
from members.privacy.demo import load_demo_consents
from members.privacy.models import ConsentRecord, Purpose
from members.services import record_activity
from recommendations.consent import allows_personalization, consenting_members
from recommendations.models import Click, Impression
from recommendations.tracking import read_link, record_click, record_impressions, tracked_url
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def input_tag(page, name):
    (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return tag


def withdraw(member, purpose):
    record_consents(member=member, choices={purpose: False}, source=ConsentRecord.Source.PRIVACY_PAGE)


def test_sign_up_asks_for_three_consents_none_ticked(client):
    page = client.get("/accounts/signup/").content.decode()

    for purpose, text in CONSENT_TEXTS.items():
        box = input_tag(page, f"consent_{purpose}")
        assert 'type="checkbox"' in box and "checked" not in box
        assert str(text.label) in page and str(text.text) in page
    assert f'aria-describedby="id_consent_analytics-help"' in page


def test_sign_up_records_what_was_ticked_with_the_text_version(client, password):
    response = client.post("/accounts/signup/", {"email": "new@example.com", "password1": password, "password2": password,
                                                 "consent_personalization": "on"})

    assert response.status_code == 302
    member = Member.objects.get(email="new@example.com")
    records = {r.purpose: r for r in ConsentRecord.objects.filter(member=member)}
    assert {p: r.granted for p, r in records.items()} == {
        "personalization": True, "marketing_email": False, "analytics": False}
    assert all(r.source == "signup" and r.text_version == CONSENT_TEXTS[r.purpose].version for r in records.values())


def test_a_purpose_never_decided_is_not_allowed():
    member = MemberFactory(consents=False)

    assert choices_of(member) == {"personalization": False, "marketing_email": False, "analytics": False}
    assert not allows(member, Purpose.ANALYTICS)


def test_the_privacy_page_changes_choices_and_keeps_the_history(member_client, member):
    page = member_client.get("/me/privacy/")
    assert page.status_code == 200
    assert all("checked" in input_tag(page.content.decode(), f"consent_{p}") for p in CONSENT_TEXTS)  # as they stand

    response = member_client.post("/me/privacy/", {"consent_personalization": "on", "consent_analytics": "on"})

    assert response.status_code == 302
    assert choices_of(member) == {"personalization": True, "marketing_email": False, "analytics": True}
    history = list(ConsentRecord.objects.filter(member=member, purpose="marketing_email").order_by("recorded_at", "pk"))
    assert [(r.granted, r.source) for r in history] == [(True, "signup"), (False, "privacy_page")]
    assert ConsentRecord.objects.filter(member=member).count() == 4  # only the change was recorded


def test_consent_records_are_never_edited(member):
    record = ConsentRecord.objects.filter(member=member).first()
    record.granted = not record.granted

    with pytest.raises(ValueError):
        record.save()


def test_the_privacy_page_is_in_the_account_menu(member_client):
    assert 'href="/me/privacy/"' in member_client.get("/me/profile/").content.decode()


# --- analytics ------------------------------------------------------------------------------


def test_without_analytics_consent_no_activity_is_recorded(member):
    withdraw(member, Purpose.ANALYTICS)

    assert record_activity(member=member, kind="route", ref="JFK-LAX", event="view") is None
    assert record_activity(member=member, kind="route", ref="JFK-LAX", event="view", defer=True) is None
    assert not ActivityEvent.objects.exists()


def test_a_deferred_event_is_dropped_if_consent_was_withdrawn_before_the_worker_ran(member, django_capture_on_commit_callbacks):
    from members.tasks import record_activity_event

    event_id = record_activity(member=member, kind="route", ref="JFK-LAX", event="view", defer=True)
    withdraw(member, Purpose.ANALYTICS)

    assert record_activity_event(member.pk, "route", "JFK-LAX", "view", timezone.now().isoformat(), "web", str(event_id)) is None
    assert not ActivityEvent.objects.exists()


def test_without_analytics_consent_no_impressions_or_clicks_are_written(member):
    withdraw(member, Purpose.ANALYTICS)
    token = tracked_url(member=member, slot="offers", kind="offer", ref="x", target="/offers/x/").split("/")[2]

    assert record_impressions(member_id=member.pk, slot="offers", items=[("offer", "x", True)], day=timezone.localdate()) == 0
    assert record_click(member=member, data=read_link(token, member=member)) is False
    assert not Impression.objects.exists() and not Click.objects.exists() and not ActivityEvent.objects.exists()


def test_with_analytics_consent_impressions_and_clicks_are_written(member):
    token = tracked_url(member=member, slot="offers", kind="offer", ref="x", target="/offers/x/").split("/")[2]

    assert record_impressions(member_id=member.pk, slot="offers", items=[("offer", "x", True)], day=timezone.localdate()) == 1
    assert record_click(member=member, data=read_link(token, member=member)) is True


def test_a_tracked_link_still_takes_a_member_without_analytics_consent_to_the_item(member_client, member):
    withdraw(member, Purpose.ANALYTICS)
    url = tracked_url(member=member, slot="offers", kind="offer", ref="x", target="/offers/x/")

    response = member_client.get(url)

    assert response.status_code == 302 and response["Location"] == "/offers/x/"
    assert not Click.objects.exists()


# --- personalization ------------------------------------------------------------------------


def test_the_recommender_uses_members_privacy_as_its_consent_filter():
    assert settings.RECOMMENDER_CONSENT_FILTER == "members.privacy.consent.members_allowing_personalization"


def test_withdrawing_personalization_leaves_training_and_personal_serving(member, other_member):
    withdraw(member, Purpose.PERSONALIZATION)
    undecided = MemberFactory(consents=False)
    regranted = MemberFactory()
    withdraw(regranted, Purpose.PERSONALIZATION)
    record_consents(member=regranted, choices={Purpose.PERSONALIZATION: True}, source=ConsentRecord.Source.API,
                    at=timezone.now() + dt.timedelta(seconds=1))

    allowed = set(consenting_members(Member.objects.all()))

    assert allowed == {other_member, regranted}
    assert set(members_allowing_personalization(Member.objects.all())) == allowed
    assert not allows_personalization(member) and not allows_personalization(undecided)
    assert allows_personalization(other_member)


def test_a_member_without_personalization_is_served_the_non_personal_list(member_client, member):
    from django.utils.functional import SimpleLazyObject

    from recommendations.serving import serve

    withdraw(member, Purpose.PERSONALIZATION)

    served = serve(SimpleLazyObject(lambda: member), "route", n=3)  # as request.user is

    assert all(item.is_fallback for item in served)


def test_training_leaves_out_the_events_of_members_who_withdrew(member, other_member):
    from recommendations.training.matrix import interactions_from_database

    for m in (member, other_member):
        record_activity(member=m, kind="route", ref="JFK-LAX", event="view")
    withdraw(member, Purpose.PERSONALIZATION)

    assert list(interactions_from_database().member_ids) == [other_member.pk]


# --- demo data ------------------------------------------------------------------------------


def test_demo_consents_all_for_named_accounts_a_seeded_mix_for_generated_ones():
    named = [MemberFactory(email=f"named{i}@example.com", consents=False) for i in range(2)]
    generated = [MemberFactory(email=f"g{i}@members.example", consents=False) for i in range(300)]
    mixed = Member.objects.filter(email__endswith="@members.example")
    as_of = dt.date(2026, 6, 30)

    written = load_demo_consents(everything=Member.objects.filter(email__startswith="named"), mixed=mixed, seed=2013, as_of=as_of)

    assert all(choices_of(m) == {p: True for p in CONSENT_TEXTS} for m in named)
    shares = {p: sum(choices_of(m)[p] for m in generated) / len(generated) for p in CONSENT_TEXTS}
    assert 0.3 < shares["marketing_email"] < 0.6
    assert 0.85 < shares["personalization"] < 1.0 and 0.9 < shares["analytics"] < 1.0
    assert written == ConsentRecord.objects.count()
    assert load_demo_consents(everything=Member.objects.none(), mixed=mixed, seed=2013, as_of=as_of) == 0  # re-run: nothing
