"""A customer-service case and its thread. Registered in the members app (members/models.py imports them)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceCaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ServiceCase.Status.CLOSED)


class ServiceCase(models.Model):
    class Category(models.TextChoices):
        BOOKING = "booking", _("Booking and flights")
        MILES = "miles", _("Miles and Loyalty Points")
        STATUS = "status", _("Tier status and benefits")
        OFFER = "offer", _("Special offers")
        BAGGAGE = "baggage", _("Baggage")
        ACCOUNT = "account", _("My account and data")
        FEEDBACK = "feedback", _("Compliment or complaint")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for us")
        ANSWERED = "answered", _("Answered: waiting for you")
        CLOSED = "closed", _("Closed")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_cases",
                               verbose_name=_("member"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=120)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Optional context: one of the member's own trips, or an offer by its slug (members does not import offers).
    trip = models.ForeignKey("members.Trip", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("related trip"))
    offer_ref = models.SlugField(_("related offer"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ServiceCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        indexes = [models.Index(fields=["member", "-updated_at"])]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    @property
    def reference(self):
        return f"#{self.pk}"

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def time_to_first_response(self):
        """How long the member waited for the first answer (None: not answered yet)."""
        return self.first_response_at - self.created_at if self.first_response_at else None

    def time_to_first_response_text(self):
        """The wait, as a person reads it in the active language ("2 hours, 5 minutes"); "" when not answered."""
        from django.utils.timesince import timesince

        if not self.first_response_at:
            return ""
        if self.time_to_first_response.total_seconds() < 60:
            return str(_("less than a minute"))
        return timesince(self.created_at, self.first_response_at, depth=2)


class CaseMessage(models.Model):
    """One message of a case's thread: from the member, or from staff (who is kept, but not shown to the member)."""

    case = models.ForeignKey(ServiceCase, on_delete=models.CASCADE, related_name="messages")
    from_staff = models.BooleanField(default=False)
    # related_name="+": a staff member's answers are not data about them as a customer.
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("answered by"))
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.body[:40]}"
