"""The weekly personal e-mail: consenting members only, once a week, one-click unsubscribe without log-in."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from cms import weekly_email
from cms.tasks import send_weekly_email
from members.models import EmailSent
from members.privacy.consent import allows
from members.privacy.models import ConsentRecord, Purpose
from members.timeline import member_timeline
from members.unsubscribe import unsubscribe_token
from offers.models import Offer
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def offers(db):
    for slug in ("miami-weekend", "lounge-pass"):
        Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary=f"About {slug}",
                             category="miles_bonus", live=True, claim_limit=100)


def run(day=MONDAY):
    return send_weekly_email(day.isoformat())


def unsubscribe_link(message):
    return re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1).split("testserver")[-1]


def test_only_members_with_marketing_consent_receive_it(eager_tasks):
    yes = MemberFactory(email="yes@example.com")
    MemberFactory(email="no@example.com", consents={"marketing_email": False})
    MemberFactory(email="never@example.com", consents=False)
    MemberFactory(email="unverified@example.com", verified=False)
    withdrawn = MemberFactory(email="withdrawn@example.com")
    ConsentRecord.objects.create(member=withdrawn, purpose=Purpose.MARKETING_EMAIL, granted=False,
                                 text_version="2026-01", source="privacy_page")

    result = run()

    assert [m.to for m in mail.outbox] == [["yes@example.com"]]
    assert result == {"week": "2026-W49", "members": 1, "batches": 1}
    [message] = mail.outbox
    assert "Miami Weekend" in message.body and "Lounge Pass" in message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html" and "Miami Weekend" in html and "/r/" in html  # tracked links
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_token(yes) in message.extra_headers["List-Unsubscribe"] and unsubscribe_token(yes) in message.body
    assert EmailSent.objects.get().member == yes


def test_a_rerun_sends_nothing_twice_and_next_week_sends_again(eager_tasks):
    MemberFactory(email="yes@example.com")
    run()

    assert run() == {"week": "2026-W49", "members": 0, "batches": 0}
    assert weekly_email.send_weekly_batch([m.pk for m in EmailSent.objects.all()], week="2026-W49") == 0
    assert len(mail.outbox) == 1

    run(MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 2 and EmailSent.objects.count() == 2


def test_recipients_are_sent_in_batches(eager_tasks, monkeypatch):
    monkeypatch.setattr(weekly_email, "BATCH_SIZE", 2)
    for i in range(5):
        MemberFactory(email=f"m{i}@example.com")

    assert run()["batches"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"m{i}@example.com" for i in range(5)]


def test_it_is_written_in_the_members_language_and_is_on_their_timeline(eager_tasks):
    member = MemberFactory(email="mei@example.com")
    member.language = "zh-hant"
    member.save()

    run()

    assert '<html lang="zh-hant">' in mail.outbox[0].alternatives[0][0]
    [entry] = member_timeline(member, kinds=["email"]).entries
    assert entry.title.startswith("E-mail sent: ") and EmailSent.objects.get().language == "zh-hant"


def test_a_member_with_nothing_to_show_gets_no_email_and_no_record(eager_tasks):
    Offer.objects.all().delete()
    MemberFactory(email="yes@example.com", home_airport="")

    run()

    assert mail.outbox == [] and not EmailSent.objects.exists()


def test_unsubscribe_without_log_in_confirms_on_get_and_unsubscribes_on_post(eager_tasks):
    member = MemberFactory(email="yes@example.com")
    run()
    link = unsubscribe_link(mail.outbox[0])
    browser = Client(enforce_csrf_checks=True)  # a visitor: no session, no CSRF cookie

    asked = browser.get(link)
    assert asked.status_code == 200 and "Stop offers by e-mail?" in asked.content.decode()
    assert allows(member, Purpose.MARKETING_EMAIL)  # a GET (a link scanner) changes nothing

    done = browser.post(link)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert not allows(member, Purpose.MARKETING_EMAIL)
    assert member.consents.latest("recorded_at").source == "unsubscribe"

    run(MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_from_the_mail_client(eager_tasks):
    member = MemberFactory(email="yes@example.com")
    run()
    link = unsubscribe_link(mail.outbox[0])

    response = Client(enforce_csrf_checks=True).post(link, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200 and not allows(member, Purpose.MARKETING_EMAIL)


@pytest.mark.parametrize("token", ["forged", "eyJtIjoxfQ:1abc:xyz"])
def test_a_forged_token_is_refused_with_400(client, token):
    member = MemberFactory(email="yes@example.com")

    assert client.get(f"/me/unsubscribe/{token}/").status_code == 400
    assert client.post(f"/me/unsubscribe/{token}/").status_code == 400
    assert allows(member, Purpose.MARKETING_EMAIL)


def test_a_token_altered_to_name_another_member_is_refused(client):
    ada = MemberFactory(email="ada2@example.com")
    grace = MemberFactory(email="grace2@example.com")
    payload, rest = unsubscribe_token(ada).split(":", 1)
    other_payload = unsubscribe_token(grace).split(":", 1)[0]

    response = client.post(f"/me/unsubscribe/{other_payload}:{rest}/")

    assert response.status_code == 400 and allows(grace, Purpose.MARKETING_EMAIL) and allows(ada, Purpose.MARKETING_EMAIL)


def test_the_weekly_job_is_scheduled_on_the_default_queue():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["weekly-personal-email"]
    assert entry["task"] == "cms.tasks.send_weekly_email"
    routes = settings.CELERY_TASK_ROUTES
    assert not any(name == "cms.tasks.*" or name.startswith("cms.tasks.send") for name in routes)  # default queue


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_batch_send_each_email_once():
    """A redelivered batch running alongside the first (acks_late): the unique EmailSent row decides."""
    import threading

    from django.db import connections

    Offer.objects.create(title="Extra", slug="extra", summary="Extra", category="miles_bonus", live=True, claim_limit=9)
    ids = [MemberFactory(email=f"w{i}@example.com").pk for i in range(8)]
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            weekly_email.send_weekly_batch(ids, week="2026-W49", today=MONDAY)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"w{i}@example.com" for i in range(8))
    assert EmailSent.objects.count() == 8
