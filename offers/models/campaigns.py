"""Campaigns: a period in which one slot's personalization is measured against a hold-out group,
two offer variants are A/B tested, or a Thompson-sampling bandit allocates the offers slot among offers."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CampaignQuerySet(models.QuerySet):
    def running(self, on):
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Campaign(models.Model):
    """Members are split, by a hash of member and campaign, into personalized and hold-out.

    Hold-out members see the slot's non-personal order; the report compares the groups.
    A campaign whose slot is "all" is the global hold-out: the whole recommender's lift.
    """

    class Slot(models.TextChoices):
        ALL = "all", _("All personalized slots (global hold-out)")
        OFFERS = "offers", _("Offers for you")
        FARES = "fares", _("Fares from your home airport")
        NEWS = "news", _("News for you")
        TRIP_OFFERS = "trip_offers", _("For your trip")

    class Kind(models.TextChoices):
        HOLDOUT = "holdout", _("Hold-out (measure personalization)")
        AB_TEST = "ab_test", _("A/B test between two offers")
        BANDIT = "bandit", _("Multi-armed bandit (Thompson sampling)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.HOLDOUT,
                            help_text=_("A/B tests and bandits cover the offers slot only."))
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Part of the split: changing it reshuffles members."))
    slot = models.CharField(_("slot"), max_length=16, choices=Slot.choices, default=Slot.OFFERS)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    holdout_percent = models.PositiveSmallIntegerField(_("hold-out share (%)"), default=10, validators=[MaxValueValidator(50)])

    variant_a = models.ForeignKey("offers.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("variant A"), help_text=_("A/B test: the offer half the members see."))
    variant_b = models.ForeignKey("offers.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("variant B"), help_text=_("A/B test: the offer the other half see."))
    baseline_ctr_percent = models.DecimalField(
        _("expected click-through of variant A (%)"), max_digits=5, decimal_places=2, default=5,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(90)],
        help_text=_("A/B test: with the smallest difference below, it sets the minimum sample per variant."))
    minimum_detectable_effect_percent = models.DecimalField(
        _("smallest difference worth detecting (percentage points)"), max_digits=5, decimal_places=2, default=2,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(50)],
        help_text=_("A/B test: no winner is named before each variant has the sample this needs (power 80 %, alpha 5 %)."))
    arms = models.ManyToManyField("offers.Offer", blank=True, related_name="bandit_campaigns", verbose_name=_("bandit offers"),
                                  help_text=_("Bandit: two or more offers; each request shows the one whose sampled click-through is highest."))

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A campaign ends on or after the day it starts.")
        if self.kind in (self.Kind.AB_TEST, self.Kind.BANDIT) and self.slot != self.Slot.OFFERS:
            errors["slot"] = _("A/B tests and bandits choose offers: pick the “Offers for you” slot.")
        if self.kind == self.Kind.AB_TEST:
            if not self.variant_a_id:
                errors["variant_a"] = _("An A/B test needs variant A.")
            if not self.variant_b_id:
                errors["variant_b"] = _("An A/B test needs variant B.")
            elif self.variant_a_id == self.variant_b_id:
                errors["variant_b"] = _("Variant B must be a different offer from variant A.")
            if self.baseline_ctr_percent is not None and self.minimum_detectable_effect_percent is not None \
                    and self.baseline_ctr_percent + self.minimum_detectable_effect_percent >= 100:
                errors["minimum_detectable_effect_percent"] = _("Expected click-through plus the difference must stay under 100 %.")
        if errors:
            raise ValidationError(errors)
