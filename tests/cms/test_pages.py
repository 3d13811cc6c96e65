"""News, services and the corporate enquiry, as a visitor and the sales desk see them."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import timezone

from cms.models import CorporateLead, NewsArticlePage

pytestmark = pytest.mark.django_db


def add_article(index, title, days_ago, **fields):
    article = NewsArticlePage(title=title, slug=title.lower().replace(" ", "-"), summary=f"About {title}",
                              date=timezone.localdate() - dt.timedelta(days=days_ago), **fields)
    index.add_child(instance=article)
    return article


def test_news_is_listed_newest_first_and_paginated(client, news_index):
    for n in range(12):
        add_article(news_index, f"Story {n}", days_ago=n)
    first = client.get("/news/").content.decode()
    assert first.index("Story 0") < first.index("Story 9")
    assert "Story 10" not in first and 'rel="next"' in first
    second = client.get("/news/?page=2").content.decode()
    assert "Story 10" in second and "Story 11" in second and "Story 0<" not in second


def test_an_unpublished_article_is_not_listed(client, news_index):
    draft = add_article(news_index, "Secret route", days_ago=0)
    draft.unpublish()
    assert "Secret route" not in client.get("/news/").content.decode()
    assert client.get("/news/secret-route/").status_code == 404


def test_an_article_names_its_destinations(client, news_index):
    add_article(news_index, "Miami nights", days_ago=1, destinations="MIA FLL")
    html = client.get("/news/miami-nights/").content.decode()
    assert "Miami International Airport" in html and "?destination=FLL" in html


def test_an_unknown_destination_code_is_refused(news_index):
    article = NewsArticlePage(title="Nowhere", slug="nowhere", summary="x", destinations="MIA XQZ")
    with pytest.raises(Exception) as error:
        article.full_clean()
    assert "XQZ" in str(error.value)


def enquiry(**overrides):
    data = {"company": "Acme Ltd", "contact_name": "Ana Lee", "email": "ana@acme.example", "phone": "+1 212 555 0100",
            "group_size": "24", "routes": "JFK-LAX", "travel_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "travel_to": (timezone.localdate() + dt.timedelta(days=34)).isoformat(), "message": "Sales conference"}
    data.update(overrides)
    return data


def test_a_group_enquiry_is_stored_and_sent_to_sales(client, corporate_page, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/corporate/", enquiry(), follow=True)
    assert "Our group sales team will answer" in response.content.decode()
    lead = CorporateLead.objects.get()
    assert lead.company == "Acme Ltd" and lead.sales_notified_at is not None
    assert mail.outbox[0].to == [settings.SALES_EMAIL] and "Acme Ltd" in mail.outbox[0].subject


def test_a_mail_failure_keeps_the_lead_and_the_visitor_sees_success(client, corporate_page, settings, caplog,
                                                                      django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.cms.broken_mail.BrokenBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/corporate/", enquiry(), follow=True)
    assert "Our group sales team will answer" in response.content.decode()
    lead = CorporateLead.objects.get()
    assert lead.sales_notified_at is None
    assert "could not e-mail the sales desk" in caplog.text


@pytest.mark.parametrize(("field", "value", "message"), [
    ("group_size", "3", "10 travellers or more"),
    ("email", "not-an-address", "valid email"),
    ("travel_from", "2001-01-01", "has passed"),
    ("travel_to", "2001-01-01", "on or after the first"),
    ("company", "", "required"),
])
def test_bad_enquiry_input_is_an_error_next_to_its_field(client, corporate_page, field, value, message):
    response = client.post("/corporate/", enquiry(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html and message in html
    assert not CorporateLead.objects.exists()


def test_an_articles_body_is_rendered_as_html_not_shown_as_markup(client, news_index):
    add_article(news_index, "Rich body", days_ago=0, body=[("paragraph", "<p>Lie-flat <b>seats</b></p>")])
    html = client.get("/news/rich-body/").content.decode()
    assert "Lie-flat <b>seats</b>" in html and "&lt;p&gt;" not in html
