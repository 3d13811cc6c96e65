"""A segment, its rules and (for a static segment) its stored member list."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from offers.segments.rules import NOBODY, RULES
from offers.segments.visit import Visit


class Segment(ClusterableModel):
    class Match(models.TextChoices):
        ALL = "all", _("All of the rules")
        ANY = "any", _("Any of the rules")

    class Kind(models.TextChoices):
        DYNAMIC = "dynamic", _("Dynamic: evaluated on each visit")
        STATIC = "static", _("Static: a stored list of members")

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DYNAMIC)
    match = models.CharField(_("members match"), max_length=3, choices=Match.choices, default=Match.ALL)
    static_members = models.ManyToManyField("members.Member", blank=True, related_name="static_segments",
                                            verbose_name=_("members (static segments)"))
    frozen_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("frozen from"))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("kind"), FieldPanel("match"),
              InlinePanel("rules", label=_("Rules (dynamic segments)"))]

    class Meta:
        app_label = "offers"
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name

    @property
    def is_static(self):
        return self.kind == self.Kind.STATIC

    def _rules(self):
        return list(self.rules.all())

    def member_rules(self):
        return [r for r in self._rules() if not RULES[r.kind].per_visit]

    def visit_rules(self):
        return [r for r in self._rules() if RULES[r.kind].per_visit]

    def condition(self, at=None):
        """The member rules as one `Q` on `Member` (all or any). Visit rules are not in it."""
        if self.is_static:
            return models.Q(pk__in=self.static_members.values("pk"))
        at = at or timezone.now()
        combined = models.Q()
        for rule in self.member_rules():
            q = RULES[rule.kind].q(rule, at)
            combined = (combined & q) if self.match == self.Match.ALL else (combined | q)
        if not combined and self.match == self.Match.ANY:
            return NOBODY  # "any of no member rules" matches no one by its member part
        return combined

    def members(self, at=None):
        """The members in the segment now (or at `at`), by its member rules (visit rules aside)."""
        from members.models import Member

        return Member.objects.filter(self.condition(at))

    def matches(self, visit_or_member, at=None):
        """Whether a visit (or a member, or a visitor's AnonymousUser) is in the segment: per request, dynamic."""
        visit = visit_or_member if isinstance(visit_or_member, Visit) else Visit(
            member=visit_or_member if getattr(visit_or_member, "is_authenticated", False) else None, at=at)
        if self.pk in visit.assumed_segments:
            return True
        if self.pk not in visit.results:
            visit.results[self.pk] = self._evaluate(visit)
        return visit.results[self.pk]

    @classmethod
    def prime(cls, segments, visit):
        """Evaluate many segments for one visit with one query for all their member rules (the offer list's case)."""
        pending = [s for s in segments if s.pk not in visit.results and s.pk not in visit.assumed_segments]
        member = visit.saved_member
        if member is None or not pending:
            for segment in pending:
                segment.matches(visit)
            return
        from members.models import Member

        decided = {s.pk: s._decided_by_the_row(member) for s in pending}  # no SQL for what the member's row settles
        for segment in pending:
            if decided[segment.pk] is not None:
                visit.results[segment.pk] = segment._evaluate(visit, member_ok=decided[segment.pk])
        pending = [s for s in pending if decided[s.pk] is None]
        at = visit.moment()
        flags = {f"segment_{s.pk}": models.Case(models.When(s.condition(at), then=models.Value(True)),
                                                default=models.Value(False), output_field=models.BooleanField())
                 for s in pending if s.is_static or s.member_rules()}
        row = Member.objects.filter(pk=member.pk).annotate(**flags).values(*flags).first() if flags else {}
        for segment in pending:
            visit.results[segment.pk] = segment._evaluate(visit, member_ok=(row or {}).get(f"segment_{segment.pk}"))

    def _decided_by_the_row(self, member):
        """The member part's answer when the member's own row settles it (a failed row rule of an "all"
        segment, a holding one of an "any" segment), else None: the rest needs the database."""
        if self.is_static:
            return None
        everything = self.match == self.Match.ALL
        for rule in self.member_rules():
            kind = RULES[rule.kind]
            if kind.on_the_row and kind.holds_for(rule, member) != everything:
                return not everything
        return None

    def _evaluate(self, visit, member_ok=None):
        member, at = visit.member, visit.moment()
        if self.is_static:
            if member_ok is not None:
                return member_ok
            return visit.saved_member is not None and self.static_members.filter(pk=member.pk).exists()
        everything = self.match == self.Match.ALL
        member_rules, visit_rules = self.member_rules(), self.visit_rules()
        if visit.saved_member is not None:
            if not member_rules:
                member_ok = everything
            elif member_ok is None:
                member_ok = self.members(at).filter(pk=member.pk).exists()
        else:
            answers = [RULES[r.kind].holds_for(r, member) if member is not None else RULES[r.kind].for_visitor(r, visit)
                       for r in member_rules]
            member_ok = all(answers) if everything else any(answers)
        visits = [RULES[r.kind].test(r, visit) for r in visit_rules]
        if everything:
            return bool(member_rules or visit_rules) and member_ok and all(visits)
        return member_ok or any(visits)

    def size(self):
        """Members in it now; None when visit rules decide (an *any* segment with a device or campaign rule)."""
        if not self.is_static and self.visit_rules() and self.match == self.Match.ANY:
            return None
        return self.members().count()

    def size_label(self):
        size = self.size()
        if size is None:
            return _("per visit")
        if not self.is_static and self.visit_rules():
            return _("up to %(n)s") % {"n": f"{size:,}"}
        return f"{size:,}"

    size_label.short_description = _("members now")

    def rule_summary(self):
        if self.is_static:
            return _("Stored list")
        joiner = _(" and ") if self.match == self.Match.ALL else _(" or ")
        return str(joiner).join(str(rule) for rule in self.rules.all())

    rule_summary.short_description = _("rules")

    def used_by(self):
        """The offers and pages that target this segment (offers by their field, pages by Wagtail's reference index)."""
        from wagtail.models import ReferenceIndex

        offers = list(self.offers.order_by("title"))
        pages, seen = [], set()
        for reference in ReferenceIndex.get_references_to(self).select_related("base_content_type"):
            model = reference.base_content_type.model_class()
            if model is None or reference.object_id in seen:
                continue
            obj = model._default_manager.filter(pk=reference.object_id).first()
            if obj is not None and not isinstance(obj, type(self)):
                seen.add(reference.object_id)
                pages.append(obj)
        return offers, pages


class SegmentRule(Orderable):
    KIND_CHOICES = [(kind, evaluator.label) for kind, evaluator in RULES.items()]

    segment = ParentalKey(Segment, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=24, choices=KIND_CHOICES)
    values = models.CharField(_("values"), max_length=200, blank=True,
                              help_text=_("Separated by spaces: tiers (gold), airports (JFK), interests (beaches), "
                                          "devices (phone), campaigns, sites, or yes/no for signed in."))
    number = models.PositiveIntegerField(_("N"), null=True, blank=True,
                                         help_text=_("For the rules with N: Loyalty Points, days or visits."))

    panels = [FieldPanel("kind"), FieldPanel("values"), FieldPanel("number")]

    class Meta(Orderable.Meta):
        app_label = "offers"
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
