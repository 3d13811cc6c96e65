"""Privacy records: consent (append-only, versioned) and the staff audit log.

Registered in the `members` app (imported by members/models.py); migrations live in
members/migrations.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.append_only import AppendOnly


class Purpose(models.TextChoices):
    PERSONALIZATION = "personalization", _("Personalised recommendations")
    MARKETING_EMAIL = "marketing_email", _("Marketing e-mail")
    ANALYTICS = "analytics", _("Analytics of how you use Wayfare")


class ConsentRecord(AppendOnly):
    """One decision of a member about one purpose. Append-only: a change is a new record.

    The member's current choice for a purpose is their latest record for it; a purpose
    without any record is not granted (consent is opt-in).
    """

    correction = "record the new decision instead"

    class Source(models.TextChoices):
        SIGNUP = "signup", _("sign-up form")
        PRIVACY_PAGE = "privacy_page", _("privacy page")
        API = "api", _("API")
        DEMO = "demo", _("demo data generator")
        UNSUBSCRIBE_LINK = "unsubscribe", _("unsubscribe link in an e-mail")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents",
                               verbose_name=_("member"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("text version"), max_length=20,
                                    help_text=_("The version of the consent text the member saw."))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    source = models.CharField(_("how"), max_length=16, choices=Source.choices)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["member", "purpose", "-recorded_at", "-id"], name="consent_latest_per_purpose")]

    def __str__(self):
        return f"{self.member_id} {self.purpose} {'granted' if self.granted else 'refused'} ({self.text_version})"



class AuditEntry(AppendOnly):
    """Who read or changed a member's data, and when. Written by members.privacy.audit only."""

    correction = "log a new entry instead"

    class Action(models.TextChoices):
        VIEW_MEMBER = "view_member", _("viewed a member")
        CHANGE_MEMBER = "change_member", _("changed a member")
        LEDGER_ADJUSTMENT = "ledger_adjustment", _("adjusted a member's miles")
        EXPORT = "export", _("exported member data")
        ADMIN_EXPORT = "admin_export", _("downloaded a list with personal data")
        ERASURE = "erasure", _("an account was erased")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="audit_entries_made", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="audit_entries_about", verbose_name=_("member"))
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.subject_id}"

