"""User text is escaped everywhere: script payloads go into every free-text field, every page that shows them is read.

Forms are found programmatically: every `Form` subclass in our apps' forms modules. A
form with a free-text field (a CharField that is not a password or hidden input) must
have a scenario here that posts the payloads into *all* its free-text fields — a new
form without one fails `test_every_member_or_visitor_form_is_swept`, and a new field on
a swept form gets the payload automatically. Each field gets its own payload
(`alert("<form>.<field>")`), so the test can also say that a stored value did reach the
page (escaped), and is not passing because nothing was shown.

Staff-only forms (Wagtail admin views) are out of scope here; what members write is
checked on the admin pages that list it (leads, cases, users).
"""

import importlib
import json
import pkgutil

import pytest
from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from cms.models import CorporatePage, HomePage, NewsArticlePage, NewsIndexPage
from offers.models import Offer
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

APPS = ["members", "offers", "cms", "recommendations", "api"]
SCRIPT = '<script>alert("{tag}")</script>'
ATTRIBUTE = '"><img src=x onerror=alert("{tag}")>'
RAW_MARKERS = ("<script>alert(", "<img src=x onerror=")  # never in an HTML page, whatever the tag
ESCAPED_MARKERS = ("&lt;script&gt;alert(", "&lt;img src=x onerror=")


def payload(tag, kind="script"):
    return (SCRIPT if kind == "script" else ATTRIBUTE).format(tag=tag)


# --- which forms exist -----------------------------------------------------------------------


def our_form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if info.name.rsplit(".", 1)[-1].endswith("forms"):
                importlib.import_module(info.name)
    found, todo = set(), [forms.Form, forms.ModelForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            # Wagtail admin forms are staff-only (see the module docstring); some have no model until a viewset gives one.
            if cls.__module__.split(".")[0] in APPS and not issubclass(cls, WagtailAdminModelForm):
                found.add(cls)
    return found


def free_text_fields(form):
    return [name for name, field in form.fields.items()
            if isinstance(field, forms.CharField) and not isinstance(field.widget, (forms.PasswordInput, forms.HiddenInput))]


def instantiate(cls, member):
    try:
        return cls(member=member)
    except TypeError:
        return cls()


# --- the pages -------------------------------------------------------------------------------


def assert_escaped(response, where, expect_shown=()):
    """No raw payload in an HTML page; each tag in `expect_shown` is there, escaped."""
    content = response.content.decode()
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        assert response.get("X-Content-Type-Options") == "nosniff", where
        json.loads(content)  # a JSON document, never HTML a browser could run
        return content
    for marker in RAW_MARKERS:
        assert marker not in content, f"{where}: raw {marker!r} in the page"
    for tag in expect_shown:  # Django writes " as &quot;, Jinja2 (markupsafe) as &#34;
        assert f"alert(&quot;{tag}&quot;)" in content or f"alert(&#34;{tag}&#34;)" in content, \
            f"{where}: {tag} is not shown, so the test proves nothing there"
    return content


def fill(form_cls, member, kind, base=None):
    form = instantiate(form_cls, member)
    data = dict(base or {})
    for name in free_text_fields(form):
        data[name] = payload(f"{form_cls.__name__}.{name}", kind)[: form.fields[name].max_length or None]
    return data


@pytest.fixture
def world(db):
    home = HomePage.objects.get()
    corporate = home.add_child(instance=CorporatePage(title="Corporate", slug="corporate"))
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    return {"home": home, "corporate": corporate, "news": news}


@pytest.fixture
def staff(db):
    return MemberFactory(email="staff@example.com", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("kind", ["script", "attribute"])
def test_member_written_text_is_escaped_on_every_page_that_shows_it(client, member, staff, world, kind):
    from members.cases.forms import OpenCaseForm, ReplyForm
    from members.forms import ProfileForm

    client.force_login(member)
    # Profile: name fields stored; the home airport is refused with a field error that quotes it.
    data = fill(ProfileForm, member, kind, {"preferred_cabin": "economy", "language": ""})
    response = client.post("/me/profile/", data)
    assert_escaped(response, "profile (refused)")
    data["home_airport"] = "JFK"
    assert client.post("/me/profile/", data).status_code == 302
    shown = [f"ProfileForm.{n}" for n in ("first_name", "last_name")]
    for path in ("/me/profile/", "/me/", "/"):
        assert_escaped(client.get(path), path, expect_shown=shown if path == "/me/profile/" else ())
    assert_escaped(client.get("/api/v1/me"), "api me")

    # A service case and a reply; staff see them in the admin.
    case_data = fill(OpenCaseForm, member, kind, {"category": OpenCaseForm(member=member).fields["category"].choices[1][0]})
    response = client.post("/me/cases/new/", case_data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case_url = response["Location"]
    response = client.post(case_url, fill(ReplyForm, member, kind))
    assert response.status_code == 302
    from members.cases import services as cases
    from members.cases.models import ServiceCase

    case = ServiceCase.objects.get(member=member)
    cases.answer_as_staff(case=case, staff=staff, message=payload("StaffAnswerForm.message", kind))
    assert_escaped(client.get(case_url), "case", expect_shown=["OpenCaseForm.subject", "OpenCaseForm.message",
                                                               "ReplyForm.message", "StaffAnswerForm.message"])
    assert_escaped(client.get("/me/cases/"), "case list", expect_shown=["OpenCaseForm.subject"])
    assert_escaped(client.get("/me/privacy/"), "privacy page")

    # Refused input is shown again, escaped.
    assert_escaped(client.post("/me/cases/new/", {**case_data, "category": "nonsense"}), "case (refused)")

    client.force_login(staff)
    for path in ("/admin/users/", "/admin/"):
        assert_escaped(client.get(path), f"admin {path}")


@pytest.mark.parametrize("kind", ["script", "attribute"])
def test_visitor_input_is_escaped_where_it_is_shown_again(client, world, staff, kind):
    from cms.forms import EnquiryForm
    from members.forms import SignupForm
    from offers.forms import FlightSearchForm

    # Corporate enquiry: stored, then read by staff in the admin's lead listing.
    day = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    data = fill(EnquiryForm, None, kind, {"group_size": "20", "travel_from": day, "travel_to": day})
    data["email"] = "ana@acme.example"
    response = client.post("/corporate/", data)
    assert response.status_code in (200, 302)
    assert_escaped(response, "enquiry")
    bad = {**fill(EnquiryForm, None, kind), "group_size": "3"}
    assert_escaped(client.post("/corporate/", bad), "enquiry (refused)")

    # Sign-up refused (the e-mail is not an address): the form comes back with the input.
    response = client.post("/accounts/signup/", {**fill(SignupForm, None, kind), "password1": "x", "password2": "y"})
    assert_escaped(response, "sign-up (refused)")
    assert_escaped(client.post("/accounts/login/", {"login": payload("login", kind), "password": "x"}), "log-in (refused)")
    assert_escaped(client.post("/accounts/password/reset/", {"email": payload("reset", kind)}), "reset (refused)")

    # Searches: their words come back in the page (and in error messages).
    search = fill(FlightSearchForm, None, kind, {"date": "2026-12-24", "passengers": "1"})
    assert_escaped(client.get("/flights/", search), "flight search")
    assert_escaped(client.get("/flights/airports/", {"q": payload("airports", kind)}), "airport suggestions")
    assert_escaped(client.get("/search/", {"q": payload("search", kind)}), "site search", expect_shown=["search"])
    assert_escaped(client.get("/offers/", {"q": payload("offers", kind)}), "offer list")
    assert_escaped(client.get("/api/v1/flights/search", {"origin": payload("api", kind), "destination": "LAX",
                                                         "date": "2026-12-24"}), "api flight search")

    client.force_login(staff)
    leads = client.get("/admin/corporate_leads/")
    assert leads.status_code == 200
    assert_escaped(leads, "admin leads", expect_shown=["EnquiryForm.company"])


def test_trip_names_and_notes_are_escaped(client, member):
    from members.models import Trip

    from members.models import TripLeg

    trip = Trip.objects.create(member=member, name=payload("trip.name"), notes=payload("trip.notes", "attribute"))
    departs = timezone.now() + timezone.timedelta(days=20)
    TripLeg.objects.create(trip=trip, flight_designator="AA1", route_ref="JFK-LAX", origin="JFK", origin_name="New York JFK",
                           origin_time_zone="America/New_York", destination="LAX", destination_name="Los Angeles",
                           destination_time_zone="America/Los_Angeles", departs_at=departs,
                           arrives_at=departs + timezone.timedelta(hours=6), departure_hour=8)
    client.force_login(member)
    for path in ("/trips/", f"/trips/{trip.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert_escaped(response, path, expect_shown=["trip.name"])
    response = client.post(f"/trips/{trip.pk}/", {"name": payload("TripNotesForm.name"), "notes": payload("TripNotesForm.notes")})
    assert response.status_code in (200, 302)
    assert_escaped(client.get(f"/trips/{trip.pk}/"), "trip after edit", expect_shown=["TripNotesForm.notes"])
    api = client.patch(f"/api/v1/trips/{trip.pk}", {"name": payload("api.name")}, content_type="application/json")
    assert api.status_code in (200, 422)  # stored as plain text, or refused with a reason: JSON either way
    assert_escaped(api, "api trip patch")


@pytest.mark.parametrize("kind", ["script", "attribute"])
def test_editor_written_text_is_escaped(client, member, world, kind):
    offer = Offer.objects.create(title=payload("offer.title", kind), slug="escaped-offer", summary=payload("offer.summary", kind),
                                 category="miles_bonus", live=True)  # no tiers: for everyone
    article = world["news"].add_child(instance=NewsArticlePage(
        title=payload("news.title", kind), slug="escaped-news", summary=payload("news.summary", kind),
        date=timezone.localdate()))
    article.save_revision().publish()

    for who in ("visitor", "member"):
        if who == "member":
            client.force_login(member)
        for path in ("/", "/offers/", "/offers/escaped-offer/", "/news/", "/news/escaped-news/"):
            response = client.get(path)
            assert response.status_code == 200, path
            shown = {"/offers/": ["offer.title", "offer.summary"], "/offers/escaped-offer/": ["offer.title"],
                     "/news/": ["news.title", "news.summary"], "/news/escaped-news/": ["news.title"]}.get(path, ())
            assert_escaped(response, f"{who} {path}", expect_shown=shown)
        assert_escaped(client.get("/search/", {"q": "alert"}), f"{who} search results")
    feed = client.get("/news/feed/").content.decode()
    assert "<script>alert(" not in feed and "<img src=x" not in feed  # XML-escaped in the RSS feed
    assert_escaped(client.get("/api/v1/offers"), "api offers")


def test_every_member_or_visitor_form_is_swept(member):
    """A form with free text and no scenario above is a gap: add it to a test and to SWEPT."""
    found = {f"{cls.__module__}.{cls.__name__}" for cls in our_form_classes() if free_text_fields(instantiate(cls, member))}

    assert found - SWEPT - STAFF_ONLY == set(), "forms with free-text fields that no escaping test fills"


SWEPT = {
    "members.forms.ProfileForm",
    "members.forms.SignupForm",
    "members.cases.forms.OpenCaseForm",
    "members.cases.forms.ReplyForm",
    "members.cases.forms.StaffAnswerForm",  # staff write it; members read it on their case page (test above)
    "cms.forms.EnquiryForm",
    "offers.forms.FlightSearchForm",
    "offers.trip_forms.TripForm",
    "offers.trip_forms.TripNotesForm",
}

# Wagtail admin screens, for staff with a second factor; their input is not shown to members.
STAFF_ONLY = {
    "offers.admin_views.MemberNumbersForm",
    "offers.admin_views.FreezeForm",
    "cms.preview.PreviewForm",
}
