"""Measuring the slots: impressions, tracked clicks (signed links, no open redirect).

Counting rule (documented in docs/recommender.md): one impression and one click per
member × slot × item × day. A member who reloads the dashboard twenty times has seen
the item once that day; a click on the same item twice counts once. Impressions are
written by a Celery task after the response (one bulk insert per page), so the page
does not wait for them.

A member who does not allow analytics (members.privacy) gets neither: their clicks still
take them to the item, but nothing about them is written.
"""

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

SALT = "wayfare.tracked-click"
LINK_MAX_AGE = 14 * 24 * 3600  # a link in a two-week-old e-mail still works


def tracked_url(*, member, slot, kind, ref, target):
    token = signing.dumps({"m": member.pk, "s": slot, "k": kind, "r": ref, "u": target}, salt=SALT, compress=True)
    return reverse("tracked_click", args=[token])


class BadLink(ValueError):
    """A tampered, expired or foreign link, or one that would leave the site."""


def read_link(token, *, member):
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise BadLink("tampered or expired") from error
    if member.pk != data.get("m"):
        raise BadLink("made for another member")
    if not url_has_allowed_host_and_scheme(data.get("u", ""), allowed_hosts=None) or not data["u"].startswith("/"):
        raise BadLink("not a page of this site")
    return data


def _allows_analytics(member_id):
    from members.privacy.consent import allows_id
    from members.privacy.models import Purpose

    return allows_id(member_id, Purpose.ANALYTICS)


def record_click(*, member, data):
    from members.models import ActivityEvent
    from members.services import record_activity
    from recommendations.models import Click

    if not _allows_analytics(member.pk):
        return False
    _click, created = Click.objects.get_or_create(member=member, slot=data["s"], kind=data["k"], ref=data["r"],
                                                  day=timezone.localdate())
    if created:
        record_activity(member=member, kind=data["k"], ref=data["r"], event=ActivityEvent.Event.CLICK)
    return created


def record_impressions(*, member_id, slot, items, day):
    """items: [(kind, ref, personal)]. Duplicates of the day are ignored by the unique constraint."""
    from recommendations.models import Impression

    if not _allows_analytics(member_id):
        return 0
    rows = [Impression(member_id=member_id, slot=slot, kind=kind, ref=ref, personal=personal, day=day)
            for kind, ref, personal in items]
    return len(Impression.objects.bulk_create(rows, ignore_conflicts=True))


DISMISS_SALT = "wayfare.not-interested"


def dismiss_token(*, member, kind, ref):
    return signing.dumps({"m": member.pk, "k": kind, "r": ref}, salt=DISMISS_SALT, compress=True)


def dismiss(*, member, token):
    """Record "not interested" from a signed token made for this member; BadLink otherwise."""
    from recommendations.models import Dismissal

    try:
        data = signing.loads(token, salt=DISMISS_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise BadLink("tampered or expired") from error
    if member.pk != data.get("m"):
        raise BadLink("made for another member")
    Dismissal.objects.get_or_create(member=member, kind=data["k"], ref=data["r"])
    return data
