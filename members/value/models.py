"""The customer-value snapshot: one row per member, rewritten by `members.value.scoring.refresh`.

Registered in the `members` app (imported by members/loyalty/models.py). It is derived
data (a profile of the member), so it is part of the member's data export and goes
with the member when the account is erased (CASCADE).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    """RFM segments, from the recency (R) and frequency (F) scores 1–5 (docs/loyalty.md)."""

    CHAMPIONS = "champions", _("Champions")
    LOYAL = "loyal", _("Loyal")
    POTENTIAL = "potential", _("Potential loyalists")
    NEW = "new", _("New or occasional")
    NEEDS_ATTENTION = "attention", _("Needs attention")
    AT_RISK = "at_risk", _("At risk")
    HIBERNATING = "hibernating", _("Hibernating")
    LOST = "lost", _("Lost (no earning in 12 months)")


class CustomerValue(models.Model):
    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                  related_name="customer_value", verbose_name=_("member"))
    demand_value = models.IntegerField(_("demand value (LP)"), default=0,
                                       help_text=_("Loyalty Points earned from flights and partners in the 12 months."))
    resource_need = models.IntegerField(_("resource need (miles)"), default=0,
                                        help_text=_("What serving the member cost in the 12 months, in miles."))
    relative_value = models.FloatField(_("relative value"), default=0.0,
                                       help_text=_("Demand value ÷ resource need (÷ 1 when nothing was spent)."))
    rank = models.PositiveIntegerField(_("rank"), default=0, db_index=True, help_text=_("1 is the most valuable."))
    last_earned_at = models.DateTimeField(_("last earned"), null=True, blank=True)
    frequency = models.PositiveIntegerField(_("earning postings"), default=0)
    recency_score = models.PositiveSmallIntegerField(_("R"), default=1)
    frequency_score = models.PositiveSmallIntegerField(_("F"), default=1)
    monetary_score = models.PositiveSmallIntegerField(_("M"), default=1)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices, default=Segment.LOST,
                               db_index=True)
    lifetime_value = models.IntegerField(_("lifetime value (LP)"), default=0,
                                         help_text=_("Estimated future net value, in Loyalty Points."))
    computed_on = models.DateField(_("computed on"), default=date.today)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("customer value")
        verbose_name_plural = _("customer value")

    def __str__(self):
        return f"{self.member_id}: #{self.rank} {self.relative_value:.1f} ({self.segment})"

    @property
    def rfm(self):
        return f"{self.recency_score}{self.frequency_score}{self.monetary_score}"
