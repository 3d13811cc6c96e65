"""Everything the portal holds about a member, as one JSON-ready dict (docs/privacy.md).

Every relation that points at a member (`Member._meta.related_objects`) is either a
section of the export (`SECTIONS`) or a staff work record counted in `work_records`
(pages a staff member owns, images they uploaded …: records of their work, not data
about them as a customer). tests/members/test_privacy_export.py fails when a new
model points at Member and is in neither list.
"""

from django.apps import apps
from django.utils import timezone

from members.privacy.consent import CONSENT_TEXTS

FORMAT = "wayfare-member-export/1"

PROFILE_FIELDS = ("member_number", "email", "first_name", "last_name", "home_airport", "preferred_cabin",
                  "travel_interests", "language", "tier_id", "date_joined", "last_login", "is_active")


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(queryset, fields):
    return [{f: _iso(v) for f, v in zip(fields, row)} for row in queryset.order_by("pk").values_list(*fields)]


def _profile(member):
    data = {f: _iso(getattr(member, f)) for f in PROFILE_FIELDS}
    data["tier"] = data.pop("tier_id")
    data["miles_balance"] = member.miles_balance()
    return data


def _consents(member):
    return [{"purpose": r["purpose"], "granted": r["granted"], "text_version": r["text_version"],
             "text": str(CONSENT_TEXTS[r["purpose"]].text) if r["purpose"] in CONSENT_TEXTS else "",
             "recorded_at": _iso(r["recorded_at"]), "how": r["source"]}
            for r in member.consents.order_by("recorded_at", "pk").values("purpose", "granted", "text_version",
                                                                           "recorded_at", "source")]


def _trips(member):
    leg_fields = ("sequence", "flight_designator", "route_ref", "origin", "origin_name", "destination",
                  "destination_name", "departs_at", "arrives_at", "cabin")
    return [
        {"id": trip.pk, "name": trip.name, "notes": trip.notes, "created_at": _iso(trip.created_at),
         "legs": _rows(trip.legs.all(), leg_fields)}
        for trip in member.trips.order_by("pk").prefetch_related("legs")
    ]


def _claims(member):
    return [{"offer": slug, "offer_title": title, "number": number, "claimed_at": _iso(at)}
            for slug, title, number, at in member.offer_claims.order_by("pk").values_list(
                "offer__slug", "offer__title", "number", "claimed_at")]


def _service_cases(member):
    """Cases with their thread; staff who answered are not named (`from_staff` says who wrote)."""
    case_fields = ("category", "subject", "status", "trip_id", "offer_ref", "created_at", "first_response_at", "closed_at")
    return [
        {"id": case.pk, **{f.removesuffix("_id"): _iso(getattr(case, f)) for f in case_fields},
         "messages": _rows(case.messages.all(), ("from_staff", "body", "created_at"))}
        for case in member.service_cases.order_by("pk").prefetch_related("messages")
    ]


def by_email(label, email):
    """Rows of the model `label` whose e-mail field is `email` (models that hold no foreign key to Member)."""
    _fields, email_field = EMAIL_KEYED[label]
    return apps.get_model(label)._default_manager.filter(**{f"{email_field}__iexact": email})


def _audit(member):
    return [{"at": _iso(at), "action": action, "by_staff": actor_id is not None and actor_id != member.pk,
             "detail": detail}
            for at, action, actor_id, detail in member.audit_entries_about.order_by("at", "pk").values_list(
                "at", "action", "actor_id", "detail")]


# section name → (related model label and field, function(member) → data)
SECTIONS = {
    "email_addresses": ("account.EmailAddress.user", lambda m: _rows(m.emailaddress_set.all(), ("email", "verified", "primary"))),
    "two_factor_authenticators": ("mfa.Authenticator.user", lambda m: _rows(m.authenticator_set.all(), ("type", "created_at", "last_used_at"))),
    "consents": ("members.ConsentRecord.member", _consents),
    "activity": ("members.ActivityEvent.member", lambda m: _rows(m.activity.all(), ("kind", "ref", "event", "channel", "occurred_at"))),
    "trips": ("members.Trip.member", _trips),
    "offer_claims": ("offers.OfferClaim.member", _claims),
    "ledger": ("members.LedgerEntry.member", lambda m: _rows(m.ledger.all(), ("kind", "miles", "loyalty_points", "flown_miles", "source_key", "reason", "occurred_at", "created_at"))),
    "tier_history": ("members.TierHistory.member", lambda m: _rows(m.tier_history.all(), ("old_tier_id", "new_tier_id", "reason", "qualifying_points", "at", "emailed_at"))),
    "customer_value": ("members.CustomerValue.member", lambda m: _rows(
        apps.get_model("members.CustomerValue").objects.filter(member=m),
        ("computed_on", "demand_value", "resource_need", "relative_value", "rank", "last_earned_at", "frequency",
         "recency_score", "frequency_score", "monetary_score", "segment", "lifetime_value"))),
    "notifications": ("members.Notification.member", lambda m: _rows(m.notifications.all(), ("kind", "data", "created_at", "read_at"))),
    "impressions": ("recommendations.Impression.member", lambda m: _rows(m.impressions.all(), ("slot", "kind", "ref", "day", "personal", "shown_at"))),
    "clicks": ("recommendations.Click.member", lambda m: _rows(m.clicks.all(), ("slot", "kind", "ref", "day", "clicked_at"))),
    "dismissals": ("recommendations.Dismissal.member", lambda m: _rows(m.dismissals.all(), ("kind", "ref", "created_at"))),
    "api_tokens": ("api.ApiToken.member", lambda m: _rows(m.wayfare_api_tokens.all(), ("name", "scopes", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"))),
    "access_log": ("members.AuditEntry.subject", _audit),
    "service_cases": ("members.ServiceCase.member", _service_cases),
    "emails_sent": ("members.EmailSent.member", lambda m: _rows(m.emails_sent.all(), ("kind", "key", "subject", "language", "sent_at"))),
    "static_segments": ("offers.Segment.static_members", lambda m: list(m.static_segments.values_list("name", flat=True))),
    "sign_ins": ("members.SignIn.member", lambda m: _rows(m.sign_ins.all(), ("at", "method"))),
    "admin_profile": ("wagtailusers.UserProfile.user", lambda m: _rows(apps.get_model("wagtailusers.UserProfile").objects.filter(user=m), ("preferred_language", "current_time_zone", "avatar", "theme"))),
}
# Not data about the member as a customer, but records of a staff member's work (or of
# someone else's): exported as counts, so the member knows they exist.
WORK_RECORDS = (
    "members.AuditEntry.actor",
    "offers.Offer.locked_by",
    "wagtaildocs.Document.uploaded_by_user",
    "wagtailimages.Image.uploaded_by_user",
    "wagtailadmin.EditingSession.user",
    "wagtailadmin.FormState.user",
    "wagtailcore.APIToken.user",
    "wagtailcore.Revision.user",
    "wagtailcore.UploadedFile.uploaded_by_user",
    "wagtailcore.WorkflowState.requested_by",
    "wagtailcore.TaskState.finished_by",
    "wagtailcore.Page.locked_by",
    "wagtailcore.Page.owner",
    "wagtailcore.Comment.user",
    "wagtailcore.Comment.resolved_by",
    "wagtailcore.CommentReply.user",
    "wagtailcore.PageSubscription.user",
)
# Not pointed at by a foreign key to Member, but about the member: matched by e-mail. Looked
# up by label in the app registry (cms sits above members in the app graph; no import).
# label → (exported fields, e-mail field); section name → label.
EMAIL_KEYED = {
    "cms.CorporateLead": (("company", "contact_name", "email", "phone", "group_size", "routes", "travel_from",
                           "travel_to", "message", "created_at"), "email"),
}
BY_EMAIL = {"corporate_leads": "cms.CorporateLead"}


def relation_label(relation):
    """`app_label.Model.field` of a reverse relation of Member."""
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def _work_records(member):
    from members.models import Member

    counts = {}
    for relation in Member._meta.related_objects:
        label = relation_label(relation)
        if label in WORK_RECORDS:
            n = relation.related_model._default_manager.filter(**{relation.field.name: member}).count()
            if n:
                counts[label] = n
    return counts


def export_member_data(member) -> dict:
    """The member's data; every value is JSON-serialisable (dates as ISO 8601, UTC)."""
    data = {"format": FORMAT, "exported_at": timezone.now().isoformat(), "profile": _profile(member)}
    for name, (_label, build) in SECTIONS.items():
        data[name] = build(member)
    for name, label in BY_EMAIL.items():
        data[name] = _rows(by_email(label, member.email), EMAIL_KEYED[label][0])
    data["work_records"] = _work_records(member)
    return data
