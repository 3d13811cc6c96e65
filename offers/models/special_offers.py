"""Special offers editors publish and target, and the claims members make on them.

An offer is a Wagtail snippet with drafts, revisions, scheduled go-live/expiry and the
moderation workflow (DraftStateMixin, WorkflowMixin): what a member sees is the live
version only.

Its member-facing text is written in English on the offer and translated in child rows
(`OfferTranslation`, one per language) edited in the same form, so a translation goes
through the same drafts, revisions and workflow. It is not a Wagtail `TranslatableMixin`
copy per locale: a copy would be a second offer with its own claims, counts, budget and
targeting, and a claim must count once whatever language the member reads. Members'
pages read the text through `Offer.text()` only (docs/i18n-a11y.md).
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
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
            Q(budget__isnull=True) | Q(budget__gte=(F("claims_count") + 1) * F("cost_per_claim")),
        )


class FrequencyPeriod(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week (7 days)")


class BudgetUnit(models.TextChoices):
    MILES = "miles", _("miles")
    MONEY = "usd", _("US dollars")


class Pacing(models.TextChoices):
    ASAP = "asap", _("Serve until the budget is spent")
    EVEN = "even", _("Spread evenly from go-live to expiry")


@dataclass(frozen=True)
class OfferText:
    """An offer's member-facing words in one language; `language` / `body_language` say which (for `lang=`)."""

    title: str
    summary: str
    body: str
    language: str
    body_language: str


def reading_language():
    """The active language as Wagtail's `Locale.language_code` spells it (`zh-hant`), English by default."""
    return (translation.get_language() or settings.LANGUAGE_CODE).lower()


class Offer(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    FrequencyPeriod = FrequencyPeriod
    BudgetUnit = BudgetUnit
    Pacing = Pacing

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
    segments = models.ManyToManyField("offers.Segment", verbose_name=_("for segments"), blank=True, related_name="offers",
                                      help_text=_("Empty: no segment needed. Otherwise the member must be in at least one."))
    priority = models.PositiveSmallIntegerField(_("priority"), default=50, help_text=_("Higher wins when offers compete for a slot."))
    frequency_cap = models.PositiveSmallIntegerField(_("show at most"), null=True, blank=True,
                                                     help_text=_("Impressions per member in the period below. Empty: no cap."))
    frequency_period = models.CharField(_("per"), max_length=4, choices=FrequencyPeriod.choices, default=FrequencyPeriod.DAY)
    budget = models.PositiveIntegerField(_("budget"), null=True, blank=True,
                                         help_text=_("Total to spend, in the unit below. Empty: no budget."))
    budget_unit = models.CharField(_("budget unit"), max_length=5, choices=BudgetUnit.choices, default=BudgetUnit.MILES)
    cost_per_claim = models.PositiveIntegerField(_("cost per claim"), default=0,
                                                 help_text=_("What one claim spends of the budget (miles or US dollars)."))
    pacing = models.CharField(_("pacing"), max_length=5, choices=Pacing.choices, default=Pacing.ASAP)
    claim_limit = models.PositiveSmallIntegerField(_("claims per member"), default=1)
    total_cap = models.PositiveIntegerField(_("total claims"), null=True, blank=True, help_text=_("Empty: no limit."))
    claims_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    panels = [
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("summary"), FieldPanel("body"), FieldPanel("image"),
        InlinePanel("translations", heading=_("Translations"), label=_("Translation"),
                    help_text=_("The title, summary and details in another language. Members reading that language "
                                "see them; everyone else sees the English above.")),
        FieldPanel("category"), FieldPanel("destinations"), FieldPanel("miles_bonus"),
        MultiFieldPanel([FieldPanel("tiers"), FieldPanel("home_airports"), FieldPanel("interests"), FieldPanel("segments")],
                        heading=_("Who sees it")),
        MultiFieldPanel([FieldPanel("priority"), FieldPanel("claim_limit"), FieldPanel("total_cap"),
                         FieldPanel("frequency_cap"), FieldPanel("frequency_period")], heading=_("Limits")),
        MultiFieldPanel([FieldPanel("budget"), FieldPanel("budget_unit"), FieldPanel("cost_per_claim"), FieldPanel("pacing")],
                        heading=_("Budget")),
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
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=F("claims_count") * F("cost_per_claim")),
                                   name="offer_spend_within_budget"),
        ]

    def __str__(self):
        return self.title

    def text(self, language=None):
        """The title, summary and details in `language` (the reader's by default), else in English.

        The one place members' pages, e-mails and the API read an offer's words from. A
        translation without details shows the English details (marked `body_language="en"`).
        """
        language = (language or reading_language()).lower()
        texts = self.__dict__.setdefault("_texts", {})  # a page reads the title, then the summary: look up once
        if language not in texts:
            default = settings.LANGUAGE_CODE
            found = None if language == default else self.translation_for(language)
            if found is None:
                texts[language] = OfferText(self.title, self.summary, self.body, default, default)
            else:
                texts[language] = OfferText(found.title, found.summary, found.body or self.body, language,
                                            language if found.body else default)
        return texts[language]

    def translation_for(self, language):
        """This offer's translation into `language`, or None (reads a prefetch or a preview's in-memory rows)."""
        return next((t for t in self.translations.all() if t.locale.language_code.lower() == language), None)

    @property
    def localized_title(self):
        return self.text().title

    @property
    def localized_summary(self):
        return self.text().summary

    def clean(self):
        super().clean()
        self.destinations = " ".join(codes(self.destinations))
        self.home_airports = " ".join(codes(self.home_airports))
        unknown = [i for i in self.interests or [] if i not in TravelInterest.values]
        if unknown:
            raise ValidationError({"interests": _("Unknown interests: %(list)s") % {"list": ", ".join(unknown)}})
        if self.go_live_at and self.expire_at and self.expire_at <= self.go_live_at:
            raise ValidationError({"expire_at": _("The offer must expire after it goes live.")})
        if self.budget is not None and not self.cost_per_claim:
            raise ValidationError({"cost_per_claim": _("A budget needs the cost of one claim.")})
        if self.budget is not None and self.pacing == Pacing.EVEN and not self.expire_at:
            raise ValidationError({"pacing": _("Even pacing spreads the budget up to the expiry: set an expiry date.")})

    @property
    def spent(self):
        """What the claims so far have spent of the budget: claims × cost per claim."""
        return self.claims_count * self.cost_per_claim

    def paced_allowance(self, at=None):
        """How much of the budget may be spent by `at`: all of it, or (even pacing) the days so far' share."""
        if self.budget is None:
            return None
        if self.pacing != Pacing.EVEN or not self.expire_at:
            return self.budget
        at = at or timezone.now()
        start = self.go_live_at or self.first_published_at or self.created_at or at
        days = max(1, math.ceil((self.expire_at - start) / dt.timedelta(days=1)))
        elapsed = min(days, max(1, (at - start).days + 1))
        return self.budget * elapsed // days

    def within_budget(self, at=None):
        """Whether one more claim fits the budget and (even pacing) today's share of it."""
        if self.budget is None:
            return True
        return self.spent + self.cost_per_claim <= min(self.budget, max(self.paced_allowance(at), self.cost_per_claim))

    @property
    def destination_codes(self):
        return codes(self.destinations)

    @property
    def home_airport_codes(self):
        return codes(self.home_airports)

    def targets(self, member, visit=None):
        """Does the targeting (tier, home airport, interests, segments) include this member? Empty rules include everyone.

        `visit` (offers.segments.visit.Visit) carries the request facts segments read; without one, the member alone.
        """
        if not self.targets_member(member):
            return False
        segments = list(self.segments.all())
        return not segments or any(segment.matches(visit or member) for segment in segments)

    def targets_member(self, member):
        """The tier, home airport and interest targeting only."""
        tier_codes = {t.code for t in self.tiers.all()}  # members point at their tier by code
        if tier_codes and member.tier_id not in tier_codes:
            return False
        if self.home_airport_codes and member.home_airport not in self.home_airport_codes:
            return False
        return not self.interests or bool(set(self.interests) & set(member.travel_interests or []))


def with_translations(offers, language=None):
    """Fetch the reader's translation of every offer in `offers` in one query (nothing to fetch in English)."""
    language = (language or reading_language()).lower()
    offers = list(offers)
    if offers and language != settings.LANGUAGE_CODE:
        rows = OfferTranslation.objects.filter(locale__language_code__iexact=language).select_related("locale")
        prefetch_related_objects(offers, Prefetch("translations", queryset=rows))
    return offers


class OfferTranslation(models.Model):
    """An offer's member-facing text in one language other than English; saved with the offer's revisions."""

    offer = ParentalKey(Offer, on_delete=models.CASCADE, related_name="translations")
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language"),
                               limit_choices_to=~Q(language_code=settings.LANGUAGE_CODE))
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=240)
    body = RichTextField(_("details"), blank=True, features=["bold", "italic", "link", "ul", "ol"],
                         help_text=_("Empty: members reading this language see the English details."))

    panels = [FieldPanel("locale"), FieldPanel("title"), FieldPanel("summary"), FieldPanel("body")]

    class Meta:
        verbose_name = _("offer translation")
        verbose_name_plural = _("offer translations")
        constraints = [models.UniqueConstraint(fields=["offer", "locale"], name="offer_translation_one_per_language")]

    def __str__(self):
        return f"{self.offer} ({self.locale})"


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
