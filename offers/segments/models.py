"""A segment and its rules (registered with the cms app through cms/models.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cms.segments.rules import RULES


class Segment(ClusterableModel):
    class Match(models.TextChoices):
        ALL = "all", _("All of the rules")
        ANY = "any", _("Any of the rules")

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    match = models.CharField(_("members match"), max_length=3, choices=Match.choices, default=Match.ALL)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("match"),
              InlinePanel("rules", label=_("Rules"), min_num=1)]

    class Meta:
        app_label = "cms"
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name

    def condition(self, at=None):
        at = at or timezone.now()
        combined = models.Q()
        for rule in self.rules.all():
            q = RULES[rule.kind].q(rule, at)
            combined = (combined & q) if self.match == self.Match.ALL else (combined | q)
        return combined

    def members(self, at=None):
        """The members in the segment now (or at `at`): a dynamic segment, evaluated when asked."""
        from members.models import Member

        return Member.objects.filter(self.condition(at))

    def matches(self, member, at=None):
        """Whether `member` is in the segment (a visitor never is): the same query, narrowed to them."""
        if not getattr(member, "is_authenticated", False):
            return False
        return self.members(at).filter(pk=member.pk).exists()

    def size(self):
        return self.members().count()

    size.short_description = _("members now")

    def rule_summary(self):
        joiner = _(" and ") if self.match == self.Match.ALL else _(" or ")
        return str(joiner).join(str(rule) for rule in self.rules.all())

    rule_summary.short_description = _("rules")


class SegmentRule(Orderable):
    KIND_CHOICES = [(kind, evaluator.label) for kind, evaluator in RULES.items()]

    segment = ParentalKey(Segment, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=24, choices=KIND_CHOICES)
    values = models.CharField(_("values"), max_length=200, blank=True,
                              help_text=_("Codes separated by spaces: tiers (gold), airports (JFK) or interests (beaches)."))
    number = models.PositiveIntegerField(_("N"), null=True, blank=True,
                                         help_text=_("For the rules with N: Loyalty Points or days."))

    panels = [FieldPanel("kind"), FieldPanel("values"), FieldPanel("number")]

    class Meta(Orderable.Meta):
        app_label = "cms"
        verbose_name = _("segment rule")

    def __str__(self):
        value = self.number if RULES[self.kind].needs_number else self.values
        return f"{RULES[self.kind].label}: {value}"

    def clean(self):
        super().clean()
        evaluator = RULES.get(self.kind)
        if evaluator is None:
            return
        if evaluator.needs_number and not self.number:
            raise ValidationError({"number": _("This rule needs N.")})
        evaluator.clean(self)
