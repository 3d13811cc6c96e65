"""Erasure: after confirming the password, one transaction removes the member; totals stay, unlinkable."""

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Sum

from cms.models import CorporateLead
from members.loyalty.models import LedgerEntry
from members.models import ActivityEvent, Member, Trip
from members.privacy.erasure import PSEUDONYM_DOMAIN, erase_member
from members.privacy.models import AuditEntry, ConsentRecord
from offers.models import Offer, OfferClaim
from portal.errors import DomainError
from recommendations.models import Click, Impression
from tests.factories import MemberFactory
from tests.members.test_privacy_export import give_everything

pytestmark = pytest.mark.django_db


def log_in(client, email, password):
    assert client.post("/accounts/login/", {"login": email, "password": password}).status_code == 302


def confirm_password(client, password):
    """allauth's reauthentication: deleting asks for the password again, even right after log-in."""
    asked = client.get("/me/privacy/delete/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(asked["Location"], {"password": password})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/me/privacy/delete/"


def test_deleting_needs_the_password_again(member_client):
    response = member_client.post("/me/privacy/delete/", {"confirm": "on"})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert Member.objects.filter(email="ada@example.com").exists()


def test_a_wrong_password_deletes_nothing(client, member, password):
    log_in(client, member.email, password)
    asked = client.get("/me/privacy/delete/")
    client.post(asked["Location"], {"password": "not-my-password"})

    assert client.post("/me/privacy/delete/", {"confirm": "on"}).status_code == 302
    assert Member.objects.filter(pk=member.pk).exists()


def test_the_box_must_be_ticked(client, member, password):
    log_in(client, member.email, password)
    confirm_password(client, password)

    response = client.post("/me/privacy/delete/", {})

    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()


def test_erasure_removes_personal_data_and_keeps_totals_unlinkable(client, member, other_member, password):
    offer = give_everything(member, tag="ada")
    give_everything(other_member, tag="grace")
    miles_before = LedgerEntry.objects.aggregate(total=Sum("miles"))["total"]
    claims_before = OfferClaim.objects.filter(offer=offer).count()
    log_in(client, member.email, password)
    confirm_password(client, password)
    ada_pk, ada_number = member.pk, member.member_number

    response = client.post("/me/privacy/delete/", {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/me/").status_code == 302  # signed out
    assert not Member.objects.filter(pk=ada_pk).exists()
    assert not Member.objects.filter(member_number=ada_number).exists()
    assert not EmailAddress.objects.filter(email__iexact="ada@example.com").exists()
    for model in (ActivityEvent, Trip, ConsentRecord):
        assert not model.objects.filter(member_id=ada_pk).exists(), model
    assert not ActivityEvent.objects.filter(ref="JFK-MIA").exclude(member=other_member).exists()  # dropped, not re-keyed
    assert not CorporateLead.objects.filter(email__iexact="ada@example.com").exists()
    assert CorporateLead.objects.filter(email__iexact="grace@example.com").exists()
    # totals are unchanged …
    assert LedgerEntry.objects.aggregate(total=Sum("miles"))["total"] == miles_before
    assert OfferClaim.objects.filter(offer=offer).count() == claims_before
    assert Offer.objects.get(pk=offer.pk).claims_count == claims_before
    assert Impression.objects.count() == Click.objects.count() == 2
    # … and held by an account that is nobody
    pseudonym = Member.objects.get(email__endswith="@" + PSEUDONYM_DOMAIN)
    assert (pseudonym.first_name, pseudonym.last_name, pseudonym.home_airport, pseudonym.travel_interests) == ("", "", "", [])
    assert not pseudonym.is_active and not pseudonym.has_usable_password()
    assert pseudonym.pk != ada_pk and pseudonym.member_number != ada_number
    assert pseudonym.date_joined > member.date_joined
    assert set(pseudonym.ledger.values_list("reason", flat=True)) == {"account erased"}
    assert pseudonym.offer_claims.count() == 1 and pseudonym.impressions.count() == 1
    assert not pseudonym.activity.exists() and not pseudonym.consents.exists() and not pseudonym.trips.exists()
    # the audit log keeps what staff did, without the member
    assert AuditEntry.objects.filter(action="ledger_adjustment", subject=None, detail="").count() == 1
    assert AuditEntry.objects.filter(action="erasure", actor=None, subject=None).count() == 1


def test_the_email_can_join_again_after_erasure(client, member, password):
    erase_member(member=member)

    response = client.post("/accounts/signup/", {"email": "ada@example.com", "password1": password,
                                                 "password2": password})

    assert response.status_code == 302
    again = Member.objects.get(email="ada@example.com")
    assert again.pk != member.pk and again.ledger.count() == 0


def test_staff_accounts_are_not_erased_here(member):
    staff = MemberFactory(is_staff=True)

    with pytest.raises(DomainError):
        erase_member(member=staff)
    assert Member.objects.filter(pk=staff.pk).exists()


def test_erasure_is_one_transaction(member, monkeypatch):
    give_everything(member)
    monkeypatch.setattr(Member, "delete", lambda self, *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))

    with pytest.raises(RuntimeError):
        erase_member(member=member)

    assert Member.objects.filter(pk=member.pk).exists()
    assert member.activity.exists() and member.ledger.count() == 2 and member.offer_claims.exists()
    assert not Member.objects.filter(email__endswith="@" + PSEUDONYM_DOMAIN).exists()


from tests.members.test_privacy_retention import routes_and_world  # noqa: E402,F401 - a fixture


def test_the_recommender_keeps_working_after_an_erasure(routes_and_world):
    from recommendations import serve
    from recommendations.training import pipeline

    fan = routes_and_world
    before = pipeline.train(tune=False)
    commuter = Member.objects.filter(email__startswith="bz").first()
    erase_member(member=Member.objects.filter(email__startswith="fl").first())

    served = serve(commuter, "route", n=3)
    assert served and served[0].version_id == before.pk  # the active model serves on
    after = pipeline.train(tune=False)
    assert after.is_active and after.data_counts["members"] == before.data_counts["members"] - 1
    assert serve(fan, "route", n=3)
