"""Visitors: session-based recommendations, their looks joining the member's history at sign-in, bots left out."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from members.models import ActivityEvent
from members.services import is_known_bot, record_activity, request_context
from recommendations import serve_visitor
from recommendations.serving import fallback
from recommendations.training import pipeline
from recommendations.visitors import COOKIE, SALT, session_recommendations, visits_of
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.recommendations.conftest import FLORIDA, grant_all_consents

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def florida_share(items):
    return sum(item.ref.split("-")[1] in FLORIDA for item in items) / len(items)


def visitor_request(visits):
    """A visitor's request carrying `visits` in the signed cookie, as the middleware writes it."""
    response = HttpResponse()
    response.set_signed_cookie(COOKIE, json.dumps(visits), salt=SALT)
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = response.cookies[COOKIE].value
    request.user = AnonymousUser()
    return request


def sign_in(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def search(client, destination, user_agent=BROWSER):
    day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    return client.get("/flights/", {"origin": "JFK", "destination": destination, "date": day, "passengers": 1},
                      HTTP_USER_AGENT=user_agent)


def test_a_visitors_searches_are_kept_for_their_browser_session(client, routes, django_assert_num_queries):
    assert search(client, "MIA").status_code == 200
    response = search(client, "MCO")
    search(client, "MCO")  # a reload: not a second look
    client.get("/flights/", {"origin": "JFK", "destination": "Atlantis"}, HTTP_USER_AGENT=BROWSER)  # invalid: not a look

    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = client.cookies[COOKIE].value
    assert [v[:3] for v in visits_of(request)] == [["route", "JFK-MIA", "search"], ["route", "JFK-MCO", "search"]]
    assert response.cookies[COOKIE]["httponly"] and not response.cookies[COOKIE]["max-age"]  # gone with the browser
    assert not ActivityEvent.objects.exists()  # a visitor's looks stay in their browser


def test_a_tampered_cookie_counts_for_nothing(client, routes):
    client.cookies[COOKIE] = json.dumps([["route", "JFK-MIA", "book", timezone.now().isoformat()]])
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = client.cookies[COOKIE].value
    assert visits_of(request) == []


def test_a_crawlers_searches_are_not_kept(client, routes):
    assert search(client, "MIA", user_agent=GOOGLEBOT).status_code == 200
    assert COOKIE not in client.cookies


def test_a_visitor_gets_routes_like_the_ones_they_looked_at(florida_world):
    pipeline.train(tune=False)
    now = timezone.now().isoformat()
    visits = [["route", "JFK-MIA", "search", now], ["route", "JFK-MIA", "view", now], ["route", "JFK-TPA", "search", now]]
    served = serve_visitor(visitor_request(visits), "route", n=4)

    assert [i.source for i in served] == ["session"] * 4 and not any(i.is_fallback for i in served)
    assert florida_share(served) == 1.0
    assert florida_share(fallback(AnonymousUser(), "route", n=4)) < 0.5  # popular overall: business routes
    assert served[0].explanation in ("Because you looked at JFK→MIA", "Because you searched JFK→TPA")
    assert all(i.explanation.startswith("Because you ") for i in served)


def test_a_visitor_with_nothing_the_model_knows_gets_the_fallback(florida_world):
    pipeline.train(tune=False)
    visits = [["route", "JFK-XYZ", "search", timezone.now().isoformat()]]

    assert session_recommendations(visits, "route") == []
    assert all(i.is_fallback for i in serve_visitor(visitor_request(visits), "route", n=3))


def test_at_sign_in_the_visitors_looks_join_their_history(client, routes):
    member = MemberFactory(home_airport="JFK")
    grant_all_consents([member])
    search(client, "MIA")
    search(client, "TPA")

    response = sign_in(client, member)

    assert set(member.activity.values_list("kind", "ref", "event")) == {("route", "JFK-MIA", "search"), ("route", "JFK-TPA", "search")}
    assert response.cookies[COOKIE].value == ""  # the looks now live in the member's history


def test_without_analytics_consent_the_visitors_looks_do_not_join(client, routes):
    member = MemberFactory(home_airport="JFK", consents={"analytics": False})
    search(client, "MIA")

    sign_in(client, member)

    assert not member.activity.exists()


def test_a_known_bot_is_never_recorded_as_a_members_activity(routes):
    member = MemberFactory(home_airport="JFK")
    grant_all_consents([member])

    with request_context(user_agent=GOOGLEBOT):
        assert record_activity(member=member, kind="route", ref="JFK-MIA", event="view") is None
    with request_context(user_agent=BROWSER):
        assert record_activity(member=member, kind="route", ref="JFK-MIA", event="view") is not None
    assert member.activity.count() == 1


def test_a_signed_in_crawler_request_records_nothing(client, routes, eager_tasks, django_capture_on_commit_callbacks):
    member = MemberFactory(home_airport="JFK")
    grant_all_consents([member])
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        search(client, "MIA", user_agent=GOOGLEBOT)
    assert not member.activity.exists()
    with django_capture_on_commit_callbacks(execute=True):
        search(client, "MIA")
    assert list(member.activity.values_list("ref", "event")) == [("JFK-MIA", "search")]


@pytest.mark.parametrize("agent,bot", [
    (GOOGLEBOT, True), ("facebookexternalhit/1.1", True), ("Slackbot-LinkExpanding 1.0", True),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0)", True), ("Mozilla/5.0 (compatible; Baiduspider/2.0)", True), ("GPTBot/1.0", True),
    (BROWSER, False), ("Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36", False),
    ("python-requests/2.31", False), ("Wayfare/2.3 okhttp/4.12", False), ("", False),
])
def test_the_bot_list(agent, bot):
    assert is_known_bot(agent) is bot
