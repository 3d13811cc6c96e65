"""Campaigns: a period in which one slot's personalization is measured against a hold-out group."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
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

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Part of the split: changing it reshuffles members."))
    slot = models.CharField(_("slot"), max_length=16, choices=Slot.choices, default=Slot.OFFERS)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    holdout_percent = models.PositiveSmallIntegerField(_("hold-out share (%)"), default=10, validators=[MaxValueValidator(50)])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")

    def __str__(self):
        return self.name

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A campaign ends on or after the day it starts.")})
