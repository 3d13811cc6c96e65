"""Loyalty data: tiers (rules as rows), the append-only ledger, tier history, audit, notices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members.append_only import AppendOnly
from members.loyalty.colours import HEX_COLOUR, MINIMUM_CONTRAST, contrast_ratio

BASE_TIER_CODE = "member"  # every member holds at least this tier; seeded, never deleted
hex_colour = RegexValidator(HEX_COLOUR, _("Enter a colour as #RRGGBB."))


class TierQuerySet(models.QuerySet):
    def programme(self):
        """Every tier, lowest rank first."""
        return self.order_by("rank")


class Tier(models.Model):
    """A status level. Members point at it by `code`, so the code never changes."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    # The only other language members read (settings.LANGUAGES): one column, not a translations table.
    name_zh_hant = models.CharField(_("name in Traditional Chinese"), max_length=64, blank=True,
                                    help_text=_("What members reading Traditional Chinese see. Empty: the English name."))
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True, help_text=_("0 is the base tier; higher is better."))
    qualifying_points = models.PositiveIntegerField(
        _("qualifying threshold (Loyalty Points)"),
        help_text=_("Loyalty Points needed within one qualification year (1 March – end of February)."),
    )
    earning_bonus_percent = models.PositiveSmallIntegerField(
        _("earning bonus (%)"), default=0, help_text=_("Extra miles on flights, as a percentage of the base miles.")
    )
    fare_discount_percent = models.PositiveSmallIntegerField(
        _("fare discount (%)"), default=0, validators=[MaxValueValidator(50)],
        help_text=_("Discount on the base fare that members of this tier see in the flight search. 0: no discount."),
    )
    lifetime_flown_miles = models.PositiveIntegerField(
        _("lifetime status at flown miles"), null=True, blank=True,
        help_text=_("Members who have flown this many miles in total hold this tier for life. Empty: no lifetime status."),
    )
    upgrade_window_hours = models.PositiveSmallIntegerField(
        _("upgrade window (hours)"), null=True, blank=True, validators=[MaxValueValidator(336)],
        help_text=_("How many hours before departure members of this tier can upgrade. Empty: no upgrade window."),
    )
    benefits = models.TextField(_("benefits"), blank=True, help_text=_("One benefit per line."))
    colour = models.CharField(_("colour"), max_length=7, validators=[hex_colour], help_text=_("Card colour, #RRGGBB."))
    text_colour = models.CharField(_("text colour"), max_length=7, validators=[hex_colour], default="#FFFFFF")

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank__gt=0) | models.Q(qualifying_points=0), name="tier_base_needs_no_points"
            ),
        ]

    def __str__(self):
        return self.display_name

    def name_in(self, language):
        """The tier's name in `language` (`zh-hant` …), else the English name."""
        if (language or "").lower() == "zh-hant" and self.name_zh_hant:
            return self.name_zh_hant
        return self.name

    @property
    def display_name(self):
        """The name in the reader's (active) language: what members see, wherever they see it."""
        return self.name_in(translation.get_language())

    @property
    def benefit_list(self):
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]

    @property
    def contrast(self):
        return contrast_ratio(self.colour, self.text_colour)

    def clean(self):
        errors = {}
        if HEX_COLOUR.match(self.colour or "") and HEX_COLOUR.match(self.text_colour or ""):
            if self.contrast < MINIMUM_CONTRAST:
                errors["text_colour"] = _("Text on the tier colour has a contrast of %(ratio).2f:1; at least 4.5:1 is needed.") % {
                    "ratio": self.contrast
                }
        others = Tier.objects.exclude(pk=self.pk)
        lower = others.filter(rank__lt=self.rank).order_by("-rank").first()
        higher = others.filter(rank__gt=self.rank).order_by("rank").first()
        points = self.qualifying_points or 0
        if lower and points <= lower.qualifying_points:
            errors["qualifying_points"] = _("Must be above %(name)s's %(points)s.") % {"name": lower.name, "points": f"{lower.qualifying_points:,}"}
        elif higher and points >= higher.qualifying_points:
            errors["qualifying_points"] = _("Must be below %(name)s's %(points)s.") % {"name": higher.name, "points": f"{higher.qualifying_points:,}"}
        if errors:
            raise ValidationError(errors)


class LedgerEntry(AppendOnly):
    """One posting on a member's account. Append-only: rows are never changed.

    `miles` are the redeemable currency (may be negative: expiry, adjustments);
    `loyalty_points` qualify for status; `flown_miles` is the distance flown (flights
    only; lifetime status counts it). `source_key` names what caused the posting
    (`flight:AA1:2026-05-01:JFK-LAX`) and is unique per member, so posting twice is
    harmless.
    """

    correction = "post a correcting entry instead"

    class Kind(models.TextChoices):
        FLIGHT = "flight", _("flight")
        PARTNER = "partner", _("partner activity")
        OFFER_BONUS = "offer_bonus", _("offer bonus")
        ADJUSTMENT = "adjustment", _("adjustment")
        EXPIRY = "expiry", _("expiry")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    miles = models.IntegerField(_("miles"), default=0)
    loyalty_points = models.IntegerField(_("Loyalty Points"), default=0)
    flown_miles = models.PositiveIntegerField(_("flown miles"), default=0)
    source_key = models.CharField(_("source"), max_length=120)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("staff member"),
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["member", "source_key"], name="ledger_entry_unique_source_per_member"),
            models.CheckConstraint(
                condition=~models.Q(kind="adjustment") | ~models.Q(reason=""), name="ledger_adjustment_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["member", "occurred_at"], name="ledger_member_occurred")]

    def __str__(self):
        return f"{self.member_id} {self.kind} {self.miles:+} mi {self.loyalty_points:+} LP ({self.source_key})"



class TierHistory(models.Model):
    """A change of a member's tier, written by the recalculation."""

    class Reason(models.TextChoices):
        QUALIFIED = "qualified", _("qualified")
        LIFETIME = "lifetime", _("lifetime status")
        YEAR_END_REVIEW = "year_end_review", _("year-end review")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tier_history")
    old_tier = models.ForeignKey(Tier, to_field="code", on_delete=models.PROTECT, related_name="+")
    new_tier = models.ForeignKey(Tier, to_field="code", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    qualifying_points = models.IntegerField(default=0, help_text=_("In the qualification year of the change."))
    at = models.DateTimeField(default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("tier change of a member")
        verbose_name_plural = _("tier history")

    def __str__(self):
        return f"{self.member_id}: {self.old_tier_id} → {self.new_tier_id}"

    @property
    def is_upgrade(self):
        return self.new_tier.rank > self.old_tier.rank


class TierChange(models.Model):
    """Audit trail of the tier programme: who changed which field of a tier, old → new."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="changes", verbose_name=_("tier"))
    field = models.CharField(_("field"), max_length=64)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("tier programme change")
        verbose_name_plural = _("tier programme changes")

    def __str__(self):
        return f"{self.tier}: {self.field} {self.old_value} → {self.new_value}"


class Notification(models.Model):
    """An on-site notice for a member (shown on their account page until read)."""

    class Kind(models.TextChoices):
        TIER_UPGRADE = "tier_upgrade", _("tier upgrade")
        MILES_EXPIRY_WARNING = "miles_expiry_warn", _("miles expire soon")
        MILES_EXPIRED = "miles_expired", _("miles expired")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True, help_text=_("What the message needs, e.g. the tier's name."))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "read_at"], name="notification_member_unread")]

    def __str__(self):
        return f"{self.member_id} {self.kind}"

    @property
    def message(self):
        """The notice in the reader's language (rendered when shown, not when written)."""
        if self.kind == self.Kind.TIER_UPGRADE:
            tier = Tier.objects.filter(code=self.data.get("tier_code")).first()
            name = tier.display_name if tier else self.data.get("tier", "")  # today's name, in the reader's language
            return _("Congratulations: you are now %(tier)s. Your new benefits apply from today.") % {"tier": name}
        if self.kind == self.Kind.MILES_EXPIRY_WARNING:
            return _("%(miles)s of your miles expire on %(date)s. Fly, earn or redeem miles before then to keep them.") % {
                "miles": f"{self.data.get('miles', 0):,}", "date": self.data.get("expires_on", "")}
        if self.kind == self.Kind.MILES_EXPIRED:
            return _("%(miles)s miles expired on %(date)s after 24 months without activity.") % {
                "miles": f"{self.data.get('miles', 0):,}", "date": self.data.get("expires_on", "")}
        return ""


from members.value.models import CustomerValue  # noqa: E402,F401 - registered in the members app with the loyalty models
