"""The timeline sources members owns. Higher apps add theirs in `<app>/timeline.py` (see __init__)."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.cases.models import CaseMessage
from members.models import ActivityEvent, EmailSent, SignIn, TierHistory, Trip
from members.timeline import Entry, Source, register

# Searches have their own source; claims and saved trips come from the richer rows (offers' claims, Trip).
BROWSING_EVENTS = (ActivityEvent.Event.VIEW, ActivityEvent.Event.CLICK, ActivityEvent.Event.UNSAVE,
                   ActivityEvent.Event.BOOK)


def _sign_in(row):
    how = {"account_login": _("with your password"), "mfa_authenticate": _("with your password and a code"),
           "account_confirm_email": _("after confirming your e-mail"), "account_signup": _("when you joined"),
           "account_reset_password_from_key": _("after resetting your password")}
    return Entry("sign_in", row.at, _("Signed in"), how.get(row.method, ""))


def _search(row):
    origin, _dash, destination = row.ref.partition("-")
    url = f"/flights/?origin={origin}&destination={destination}" if destination else ""
    return Entry("search", row.occurred_at, _("Searched flights %(route)s") % {"route": row.ref.replace("-", " → ")},
                 row.get_channel_display(), url)


def _browsing(row):
    what = row.ref.replace("-", " → ") if row.kind == "route" else row.ref
    titles = {
        ActivityEvent.Event.VIEW: _("Looked at %(kind)s %(what)s"),
        ActivityEvent.Event.CLICK: _("Opened %(kind)s %(what)s from your page"),
        ActivityEvent.Event.UNSAVE: _("Removed %(kind)s %(what)s from a trip"),
        ActivityEvent.Event.BOOK: _("Booked %(kind)s %(what)s"),
    }
    kinds = {"route": _("flights"), "offer": _("the offer"), "news": _("the article")}
    title = titles.get(row.event, _("Looked at %(kind)s %(what)s")) % {"kind": kinds.get(row.kind, row.kind), "what": what}
    return Entry("browsing", row.occurred_at, title, row.get_channel_display())


def _trip(row):
    return Entry("trip", row.created_at, _("Saved the trip “%(name)s”") % {"name": row.name}, "", f"/trips/{row.pk}/")


def _case_message(row):
    case = row.case
    if row.from_staff:
        title = _("Customer service answered %(reference)s: %(subject)s")
    elif row.pk == case.first_message_id:
        title = _("You opened %(reference)s: %(subject)s")
    else:
        title = _("You wrote on %(reference)s: %(subject)s")
    return Entry("case", row.created_at, title % {"reference": case.reference, "subject": case.subject},
                 case.get_category_display(), f"/me/cases/{case.pk}/")


def _case_messages(member):
    first = CaseMessage.objects.filter(case=OuterRef("case")).order_by("pk").values("pk")[:1]
    return CaseMessage.objects.filter(case__member=member).select_related("case").annotate(_first=Subquery(first))


def _case_entry(row):
    row.case.first_message_id = row._first
    return _case_message(row)


def _tier(row):
    return Entry("tier", row.at, _("Your tier changed from %(old)s to %(new)s") % {"old": row.old_tier.display_name, "new": row.new_tier.display_name},
                 row.get_reason_display(), "/me/")


def _email(row):
    return Entry("email", row.sent_at, _("E-mail sent: %(subject)s") % {"subject": row.subject}, row.get_kind_display())


register(Source("sign_in", gettext_lazy("Sign-ins"), lambda m: SignIn.objects.filter(member=m), "at", _sign_in, order=10))
register(Source("search", gettext_lazy("Searches"), lambda m: ActivityEvent.objects.filter(
    member=m, event=ActivityEvent.Event.SEARCH), "occurred_at", _search, order=20))
register(Source("trip", gettext_lazy("Trips"), lambda m: Trip.objects.filter(member=m), "created_at", _trip, order=30))
register(Source("case", gettext_lazy("Customer service"), _case_messages, "created_at", _case_entry, order=50))
register(Source("tier", gettext_lazy("Tier changes"), lambda m: TierHistory.objects.filter(member=m).select_related(
    "old_tier", "new_tier"), "at", _tier, order=60))
register(Source("email", gettext_lazy("E-mails"), lambda m: EmailSent.objects.filter(member=m), "sent_at", _email, order=70))
register(Source("browsing", gettext_lazy("Browsing"), lambda m: ActivityEvent.objects.filter(
    member=m, event__in=BROWSING_EVENTS), "occurred_at", _browsing, order=80))
