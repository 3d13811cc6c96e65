"""Special offers editors publish and target, and the claims members make on them.

An offer is a Wagtail snippet with drafts, revisions, scheduled go-live/expiry and the
moderation workflow (DraftStateMixin, WorkflowMixin): what a member sees is the live
version only.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from members.models import TravelInterest
from members.validators import normalise_iata, validate_iata_airport


def codes(text):
    return [normalise_iata(c) for c in (text or "").replace(",", " ").split() if c.strip()]


def validate_airport_list(value):
    for code in codes(value):
        validate_iata_airport(code)


class OfferQuerySet(models.QuerySet):
    def live_at(self, at=None):
        """Published, started, not expired, and not sold out at `at` (now by default)."""
        at = at or timezone.now()
        return self.filter(
            Q(live=True),
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=at),
            Q(expire_at__isnull=True) | Q(expire_at__gt=at),
            Q(total_cap__isnull=True) | Q(claims_count__lt=F("total_cap")),
        )


class Offer(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    class Category(models.TextChoices):
        UPGRADE = "upgrade", _("Upgrade")
        MILES_BONUS = "miles_bonus", _("Miles bonus")
        FARE_SALE = "fare_sale", _("Fare sale")
        PARTNER = "partner", _("Partner")
        LOUNGE = "lounge", _("Lounge")
        BAGGAGE = "baggage", _("Baggage")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=240)
    body = RichTextField(_("details"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    destinations = models.CharField(_("destinations"), max_length=120, blank=True, validators=[validate_airport_list],
                                    help_text=_("Airport codes the offer is about, such as MIA FLL. Links it to those routes."))
    miles_bonus = models.PositiveIntegerField(_("bonus miles"), default=0, help_text=_("Miles a member earns by claiming it."))
    # Targeting: empty means everyone.
    tiers = models.ManyToManyField("members.Tier", verbose_name=_("for tiers"), blank=True, related_name="offers")
    home_airports = models.CharField(_("for home airports"), max_length=120, blank=True, validators=[validate_airport_list],
                                     help_text=_("Empty: members of every home airport."))
    interests = models.JSONField(_("for interests"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=50, help_text=_("Higher wins when offers compete for a slot."))
    claim_limit = models.PositiveSmallIntegerField(_("claims per member"), default=1)
    total_cap = models.PositiveIntegerField(_("total claims"), null=True, blank=True, help_text=_("Empty: no limit."))
    claims_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    panels = [
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("summary"), FieldPanel("body"), FieldPanel("image"),
        FieldPanel("category"), FieldPanel("destinations"), FieldPanel("miles_bonus"),
        MultiFieldPanel([FieldPanel("tiers"), FieldPanel("home_airports"), FieldPanel("interests")], heading=_("Who sees it")),
        MultiFieldPanel([FieldPanel("priority"), FieldPanel("claim_limit"), FieldPanel("total_cap")], heading=_("Limits")),
        MultiFieldPanel([FieldPanel("go_live_at"), FieldPanel("expire_at")], heading=_("Schedule")),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("summary"), index.FilterField("live")]

    class Meta:
        ordering = ["-priority", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(total_cap__isnull=True) | Q(claims_count__lte=F("total_cap")),
                                   name="offer_claims_within_cap"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.destinations = " ".join(codes(self.destinations))
        self.home_airports = " ".join(codes(self.home_airports))
        unknown = [i for i in self.interests or [] if i not in TravelInterest.values]
        if unknown:
            raise ValidationError({"interests": _("Unknown interests: %(list)s") % {"list": ", ".join(unknown)}})
        if self.go_live_at and self.expire_at and self.expire_at <= self.go_live_at:
            raise ValidationError({"expire_at": _("The offer must expire after it goes live.")})

    @property
    def destination_codes(self):
        return codes(self.destinations)

    @property
    def home_airport_codes(self):
        return codes(self.home_airports)

    def targets(self, member):
        """Does the targeting (tier, home airport, interests) include this member? Empty rules include everyone."""
        tier_codes = {t.code for t in self.tiers.all()}  # members point at their tier by code
        if tier_codes and member.tier_id not in tier_codes:
            return False
        if self.home_airport_codes and member.home_airport not in self.home_airport_codes:
            return False
        return not self.interests or bool(set(self.interests) & set(member.travel_interests or []))


class OfferClaim(models.Model):
    """One claim of an offer by a member; `number` counts their claims of it (1, 2 … up to the limit)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="offer_claims")
    number = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("offer claim")
        constraints = [models.UniqueConstraint(fields=["offer", "member", "number"], name="offer_claim_unique_number")]

    def __str__(self):
        return f"{self.member} → {self.offer}"
