"""Online customer service: a member opens a case and follows the thread; staff answer in the admin."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from members.cases.models import CaseMessage, ServiceCase
from members.cases.services import answer_as_staff, open_case
from members.models import EmailSent, Trip
from members.privacy.erasure import erase_member
from members.privacy.export import export_member_data
from members.privacy.models import AuditEntry
from tests.factories import MemberFactory, customer_service_group

pytestmark = pytest.mark.django_db

GOOD = {"category": "miles", "subject": "Miles missing from my March flight",
        "message": "I flew JFK to LAX on 3 March and got no miles."}


@pytest.fixture
def staff(db):
    return MemberFactory(email="agent@example.com", is_staff=True, is_superuser=True, first_name="Sam")


@pytest.fixture
def adas_case(member):
    return open_case(member=member, **GOOD)


def test_a_member_opens_a_case_and_sees_it_with_its_status(member_client, member):
    trip = Trip.objects.create(member=member, name="LA pitch")

    response = member_client.post("/me/cases/new/", {**GOOD, "trip": trip.pk})

    case = ServiceCase.objects.get(member=member)
    assert response.status_code == 302 and response["Location"] == f"/me/cases/{case.pk}/"
    assert case.status == "open" and case.trip == trip and case.messages.get().body == GOOD["message"]
    page = member_client.get("/me/cases/").content.decode()
    assert "Miles missing from my March flight" in page and "Waiting for us" in page
    detail = member_client.get(f"/me/cases/{case.pk}/").content.decode()
    assert "I flew JFK to LAX" in detail and "Not answered yet" in detail


@pytest.mark.parametrize("change, error", [
    ({"subject": ""}, "This field is required"),
    ({"message": "help"}, "at least 10 characters"),
    ({"category": "lottery"}, "Select a valid choice"),
])
def test_bad_input_is_a_field_error_not_a_case(member_client, change, error):
    response = member_client.post("/me/cases/new/", {**GOOD, **change})

    assert response.status_code == 400 and error in response.content.decode()
    assert not ServiceCase.objects.exists()


def test_another_members_trip_cannot_be_attached(member_client, other_member):
    graces = Trip.objects.create(member=other_member, name="Grace's trip")

    response = member_client.post("/me/cases/new/", {**GOOD, "trip": graces.pk})

    assert response.status_code == 400 and "Choose one of your own trips" in response.content.decode()
    assert not ServiceCase.objects.exists()


def test_another_members_case_is_404_for_reading_replying_and_closing(client, adas_case, other_member):
    client.force_login(other_member)

    assert client.get(f"/me/cases/{adas_case.pk}/").status_code == 404
    assert client.post(f"/me/cases/{adas_case.pk}/", {"message": "Mine now"}).status_code == 404
    assert client.post(f"/me/cases/{adas_case.pk}/close/").status_code == 404
    assert adas_case.messages.count() == 1 and ServiceCase.objects.get().status == "open"
    assert "Miles missing" not in client.get("/me/cases/").content.decode()


def test_opening_cases_is_rate_limited(member_client):
    statuses = [member_client.post("/me/cases/new/", GOOD).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert ServiceCase.objects.count() == 5


def test_staff_answer_sets_first_response_and_emails_the_member_in_their_language(adas_case, staff, eager_tasks,
                                                                                  django_capture_on_commit_callbacks):
    member = adas_case.member
    member.language = "zh-hant"
    member.save()
    ServiceCase.objects.filter(pk=adas_case.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer_as_staff(case=adas_case, staff=staff, message="We added 2,475 miles to your account.")

    adas_case.refresh_from_db()
    assert adas_case.status == "answered"
    assert dt.timedelta(hours=2, minutes=59) < adas_case.time_to_first_response < dt.timedelta(hours=3, minutes=1)
    [email] = mail.outbox
    assert email.to == ["ada@example.com"] and "2,475 miles" in email.body
    assert f"/me/cases/{adas_case.pk}/" in email.body and email.alternatives[0][1] == "text/html"
    sent = EmailSent.objects.get(member=member)
    assert sent.kind == "case_reply" and sent.language == "zh-hant"


def test_a_second_delivery_of_the_answer_email_sends_nothing(adas_case, staff, eager_tasks,
                                                             django_capture_on_commit_callbacks):
    from members.cases.tasks import email_case_answer

    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_as_staff(case=adas_case, staff=staff, message="Done.")
    assert len(mail.outbox) == 1
    mail.outbox.clear()

    assert email_case_answer(answer.pk) is False
    assert mail.outbox == [] and EmailSent.objects.count() == 1


def test_member_reply_reopens_and_the_thread_shows_both_sides(member_client, adas_case, staff, eager_tasks):
    answer_as_staff(case=adas_case, staff=staff, message="Which flight number?", close=True)
    assert ServiceCase.objects.get().status == "closed"

    member_client.post(f"/me/cases/{adas_case.pk}/", {"message": "AA1 on 3 March."})

    adas_case.refresh_from_db()
    assert adas_case.status == "open" and adas_case.closed_at is None
    page = member_client.get(f"/me/cases/{adas_case.pk}/").content.decode()
    assert "Which flight number?" in page and "AA1 on 3 March." in page and "Wayfare customer service" in page
    assert "Sam" not in page  # the member sees "customer service", not the agent's name


def test_the_dashboard_shows_only_the_members_own_open_cases(member_client, member, other_member):
    open_case(member=member, **GOOD)
    open_case(member=other_member, category="other", subject="Grace asks about lounges", message="Where is the lounge?")
    closed = open_case(member=member, category="other", subject="Old closed question", message="Solved long ago.")
    ServiceCase.objects.filter(pk=closed.pk).update(status="closed")

    page = member_client.get("/").content.decode()

    assert "Your open questions" in page and "Miles missing from my March flight" in page
    assert "Grace asks about lounges" not in page and "Old closed question" not in page


def test_staff_answer_in_the_admin_and_the_read_is_audited(client, adas_case, staff, eager_tasks):
    client.force_login(staff)

    page = client.get(f"/admin/service_cases/inspect/{adas_case.pk}/")
    assert page.status_code == 200 and "I flew JFK to LAX" in page.content.decode()
    assert AuditEntry.objects.filter(actor=staff, subject=adas_case.member, action="view_member").exists()

    response = client.post(f"/admin/service-cases/{adas_case.pk}/answer/", {"message": "Added.", "close": "on"})

    assert response.status_code == 302
    adas_case.refresh_from_db()
    assert adas_case.status == "closed" and adas_case.first_response_at is not None
    assert CaseMessage.objects.filter(case=adas_case, from_staff=True, staff=staff).exists()


def test_the_customer_service_group_answers_cases_and_sees_nothing_else(client, adas_case, eager_tasks):
    agent = MemberFactory(email="desk@example.com", second_factor=True)  # not staff, not superuser: the group lets them in
    agent.groups.add(customer_service_group())
    client.force_login(agent)

    response = client.post(f"/admin/service-cases/{adas_case.pk}/answer/", {"message": "Added, sorry for the wait."})

    assert response.status_code == 302
    assert CaseMessage.objects.filter(case=adas_case, from_staff=True, staff=agent).exists()
    assert client.get(f"/admin/members/{adas_case.member.pk}/timeline/").status_code == 200
    assert client.get("/admin/loyalty/dashboard/").status_code in (302, 403)
    assert client.get("/admin/snippets/offers/offer/").status_code in (302, 403)


def test_a_member_cannot_answer_as_staff(client, adas_case, other_member):
    client.force_login(other_member)

    response = client.post(f"/admin/service-cases/{adas_case.pk}/answer/", {"message": "Sure!"})

    assert response.status_code in (302, 403) and not CaseMessage.objects.filter(from_staff=True).exists()


def test_cases_and_emails_are_exported_and_erased(adas_case, staff, eager_tasks, django_capture_on_commit_callbacks):
    member = adas_case.member
    with django_capture_on_commit_callbacks(execute=True):
        answer_as_staff(case=adas_case, staff=staff, message="Added.")

    data = export_member_data(member)
    assert data["service_cases"][0]["subject"] == GOOD["subject"]
    assert [m["from_staff"] for m in data["service_cases"][0]["messages"]] == [False, True]
    assert data["emails_sent"][0]["kind"] == "case_reply"
    assert "agent@example.com" not in str(data)

    erase_member(member=member)

    assert not ServiceCase.objects.exists() and not CaseMessage.objects.exists() and not EmailSent.objects.exists()
