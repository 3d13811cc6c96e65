"""The member's profile page, and the member record's own rules."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import MEMBER_NUMBER_ALPHABET, MEMBER_NUMBER_LENGTH, Member
from members.validators import validate_iata_airport
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PROFILE = "/me/profile/"


class _Page(HTMLParser):
    """Just enough HTML reading: the attributes of each element with an id, and its text."""

    def __init__(self, html):
        super().__init__()
        self.by_id, self.inputs, self._open = {}, {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.inputs.setdefault(attrs["name"], attrs)
        if attrs.get("id"):
            self.by_id[attrs["id"]] = {"attrs": attrs, "text": ""}
            self._open.append([tag, attrs["id"], 0])
        elif self._open and self._open[-1][0] == tag:
            self._open[-1][2] += 1

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            if self._open[-1][2]:
                self._open[-1][2] -= 1
            else:
                self._open.pop()

    def handle_data(self, data):
        for _tag, element_id, _depth in self._open:
            self.by_id[element_id]["text"] += data


def validation_messages(value):
    try:
        validate_iata_airport(value)
    except ValidationError as error:
        return error.messages
    raise AssertionError(f"{value!r} should be refused")


def profile_form(**changes):
    data = {"first_name": "Ada", "last_name": "Lovelace", "home_airport": "JFK", "preferred_cabin": "economy"}
    return {**data, **changes}


@pytest.mark.parametrize("typed", ["XXX", "JF"])
def test_profile_refuses_an_airport_that_does_not_exist(member_client, member, typed):
    response = member_client.post(PROFILE, profile_form(home_airport=typed))

    assert response.status_code == 400
    page = _Page(response.content.decode())
    field = page.inputs["home_airport"]
    assert field.get("aria-invalid") == "true"
    # The error is tied to the field (aria-describedby) and says what is wrong.
    described_by = " ".join(page.by_id.get(i, {"text": ""})["text"] for i in field.get("aria-describedby", "").split())
    for message in validation_messages(typed):
        assert " ".join(message.split()) in " ".join(described_by.split())
    member.refresh_from_db()
    assert member.home_airport == "JFK"


def test_profile_stores_a_lower_case_code_in_capitals(member_client, member):
    response = member_client.post(PROFILE, profile_form(home_airport="jfk", preferred_cabin="business"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.home_airport, member.preferred_cabin) == ("JFK", "business")


def test_profile_accepts_another_real_airport(member_client, member):
    member_client.post(PROFILE, profile_form(home_airport=" lhr "))

    member.refresh_from_db()
    assert member.home_airport == "LHR"


def test_visitor_is_asked_to_log_in(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/me/profile/" in response["Location"]


def test_profile_page_shows_the_members_own_details(member_client, member):
    response = member_client.get(PROFILE)

    assert response.status_code == 200
    assert _Page(response.content.decode()).inputs["home_airport"].get("value") == "JFK"


# --- the member record ------------------------------------------------------------------------


def test_email_is_stored_lower_case_and_logs_in_in_any_case():
    member = Member.objects.create_user("Ada.Lovelace@Example.COM", "x")

    assert member.email == "ada.lovelace@example.com"
    assert Member.objects.get_by_natural_key("ADA.LOVELACE@example.com") == member


def test_email_is_unique_whatever_its_case():
    Member.objects.create_user("ada@example.com", "x")

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create_user("ADA@example.com", "x")


def test_database_refuses_a_second_email_differing_only_in_case():
    """The constraint holds even for writes that skip Member.save()."""
    Member.objects.create_user("ada@example.com", "x")

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.bulk_create([Member(email="Ada@Example.com", member_number="ZZZZZZZ")])


def test_member_number_is_seven_characters_that_read_well_on_the_phone():
    numbers = [MemberFactory().member_number for _ in range(25)]

    for number in numbers:
        assert len(number) == MEMBER_NUMBER_LENGTH
        assert set(number) <= set(MEMBER_NUMBER_ALPHABET)
        assert not set(number) & set("01OIL")
    assert len(set(numbers)) == len(numbers)
    assert numbers != sorted(numbers), "member numbers must not follow the order of joining"


def test_member_number_is_unique():
    taken = MemberFactory().member_number

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create_user("someone@example.com", "x", member_number=taken)
