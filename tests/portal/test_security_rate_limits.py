"""Rate limits on claiming offers and on the group enquiry: a clear 429 that says why."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.models import CorporateLead, CorporatePage, HomePage
from offers.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(db):
    return Offer.objects.create(title="Miami weekend", slug="miami-weekend", summary="Double miles",
                                category=Offer.Category.MILES_BONUS, live=True, claim_limit=1)


def test_claiming_faster_than_a_person_can_is_refused_with_a_reason(member_client, offer):
    for _ in range(10):
        assert member_client.post("/offers/miami-weekend/claim/").status_code == 302

    response = member_client.post("/offers/miami-weekend/claim/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "faster than a person can" in page and "try again in" in page
    assert offer.claims.count() == 1


def test_the_claim_limit_is_per_member(client, member, other_member, offer):
    client.force_login(member)
    for _ in range(11):
        client.post("/offers/miami-weekend/claim/")
    client.force_login(other_member)

    assert client.post("/offers/miami-weekend/claim/").status_code == 302


def enquiry(n):
    day = timezone.localdate() + dt.timedelta(days=30)
    return {"company": f"Acme {n}", "contact_name": "Ana Lee", "email": "ana@acme.example", "group_size": "24",
            "routes": "JFK-LAX", "travel_from": day.isoformat(), "travel_to": day.isoformat()}


def test_the_group_enquiry_form_is_limited_per_address(client):
    HomePage.objects.get().add_child(instance=CorporatePage(title="Corporate", slug="corporate"))
    for n in range(5):
        assert client.post("/corporate/", enquiry(n)).status_code == 302

    response = client.post("/corporate/", enquiry(99))

    assert response.status_code == 429
    assert "Too many enquiries" in response.content.decode()
    assert CorporateLead.objects.count() == 5
    assert client.get("/corporate/").status_code == 200  # reading the page is not limited


def test_without_a_cache_the_limit_lets_requests_through(member_client, offer, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)

    assert member_client.post("/offers/miami-weekend/claim/").status_code == 302
