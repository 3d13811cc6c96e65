"""Wagtail pages: the front door, the daily news, services (with per-segment variants), corporate travel, tier areas."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django import forms
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock, ContentStreamBlock, has_segment_blocks
from cms.localization import FallsBackToEnglish
from cms.panels import TranslationStatusPanel
from members.validators import normalise_iata, validate_iata_airport

log = logging.getLogger(__name__)


class HomePage(FallsBackToEnglish, Page):
    headline = models.CharField(_("headline"), max_length=120, default="Fly further with Wayfare")
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [FieldPanel("headline"), FieldPanel("introduction")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:  # a member's front door is their portal
            from cms.slots import fill_slots, track
            from offers.segments.visit import visit_for

            visit = visit_for(request)
            today = timezone.localdate(visit.at) if visit.at else timezone.localdate()
            context["slots"] = slots = fill_slots(request.user, today, visit=visit)
            if not visit.preview:  # a preview as a member never writes their impressions
                track(request.user, slots, today)
        else:  # a visitor: routes like those they looked at this browser session, else the popular ones
            from cms.slots import visitor_routes

            context["visitor_routes"] = visitor_routes(request, timezone.localdate())
        return context

    def is_personalised(self):
        """Always: a member's portal, or a visitor's routes from their own looks (cms/serving.py sends it private)."""
        return True


class NewsIndexPage(FallsBackToEnglish, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsArticlePage"]
    max_count = 1
    page_size = 10

    class Meta:
        verbose_name = _("news index")

    def articles(self, request_or_member=None):
        """Every live article on the site the reader may see, newest first (a tier area's news to its tier only).

        Each article once, in the active language (English where it has no live translation).
        """
        from cms.access import visible_pages
        from cms.localization import in_reader_language

        return in_reader_language(visible_pages(NewsArticlePage.objects.live(), request_or_member)).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = Paginator(self.articles(request).select_related("image"), self.page_size).get_page(request.GET.get("page"))
        return context


def validate_destinations(value):
    for code in (c for c in value.replace(",", " ").split() if c):
        validate_iata_airport(code)


class NewsArticlePage(FallsBackToEnglish, Page):
    class Category(models.TextChoices):
        NETWORK = "network", _("Network and routes")
        PROGRAMME = "programme", _("Loyalty programme")
        SERVICE = "service", _("On board and lounges")
        PARTNERS = "partners", _("Partners")
        TRAVEL = "travel", _("Travel updates")

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=280)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.NETWORK)
    destinations = models.CharField(_("related destinations"), max_length=120, blank=True, validators=[validate_destinations],
                                    help_text=_("Airport codes separated by spaces, such as MIA FLL."))
    tiers = ParentalManyToManyField("members.Tier", blank=True, related_name="+", verbose_name=_("for tiers"),
                                    help_text=_("Empty: everyone, visitors included. Otherwise only members of these tiers "
                                                "see it, in the news, search, the sitemap, the feed and the dashboard."))

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [
        FieldPanel("date"), FieldPanel("summary"), FieldPanel("category"), FieldPanel("destinations"),
        FieldPanel("tiers", widget=forms.CheckboxSelectMultiple), FieldPanel("image"), FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body"), index.FilterField("date")]
    parent_page_types = ["cms.NewsIndexPage", "cms.TierAreaPage"]  # news for a tier only: inside its area
    subpage_types = []

    class Meta:
        verbose_name = _("news article")

    def clean(self):
        super().clean()
        self.destinations = " ".join(normalise_iata(c) for c in self.destinations.replace(",", " ").split())

    @property
    def destination_codes(self):
        return self.destinations.split()

    def is_personalised(self):
        return self.tiers.exists() or has_segment_blocks(self.body)

    def parent_for_reader(self):
        """The listing this article belongs to, in the reader's language (an English article may be read in Chinese)."""
        from cms.localization import for_reader

        return for_reader(self.get_parent())


class ListsVisibleChildren:
    """Pages that list their children: only those the reader may open (cms.access decides), each once in their language."""

    def get_context(self, request, *args, **kwargs):
        from cms.access import visible_pages
        from cms.localization import children_in_reader_language

        context = super().get_context(request, *args, **kwargs)
        context["children"] = visible_pages(children_in_reader_language(self), request).order_by("path").specific()
        return context


class ServicePage(FallsBackToEnglish, ListsVisibleChildren, Page):
    class Kind(models.TextChoices):
        LOUNGES = "lounges", _("Lounges")
        UPGRADES = "upgrades", _("Upgrades")
        BAGGAGE = "baggage", _("Baggage")
        PARTNERS = "partners", _("Partner programmes")
        OTHER = "other", _("Other services")

    kind = models.CharField(_("kind of service"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [FieldPanel("kind"), FieldPanel("introduction"), FieldPanel("body"),
                                            InlinePanel("variants", heading=_("Variants for segments"), label=_("Variant"))]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ServicePage", "cms.TierAreaPage"]

    class Meta:
        verbose_name = _("service page")

    def variant_for(self, request):
        """The first variant (in the editor's order) whose segment takes this visit; None: the page's own content."""
        from offers.segments.visit import visit_for

        visit = visit_for(request)
        variants = self.variants.select_related("segment").prefetch_related("segment__rules").order_by("sort_order", "pk")
        return next((v for v in variants if v.segment.matches(visit)), None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        variant = self.variant_for(request)
        context["variant"] = variant
        context["introduction"] = variant.introduction if variant else self.introduction
        context["body"] = variant.body if variant else self.body
        return context

    def is_personalised(self):
        return self.variants.exists() or has_segment_blocks(self.body)


class ServicePageVariant(Orderable):
    """Whole-page alternative content for one segment; the first matching variant replaces the introduction and body."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="variants")
    segment = models.ForeignKey("offers.Segment", on_delete=models.PROTECT, related_name="+", verbose_name=_("segment"))
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("body"), blank=True)

    panels = [FieldPanel("segment"), FieldPanel("introduction"), FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = _("variant for a segment")

    def __str__(self):
        return f"{self.page.title} · {self.segment.name}"


class TierAreaPage(FallsBackToEnglish, ListsVisibleChildren, Page):
    """A tier area ("Gold area"): it and every page under it open from `min_tier` up.

    Who sees what is decided in one place, `cms.access` (serving, listings, search,
    sitemap, feed, dashboard); this page only holds the rule's data.
    """

    min_tier = models.ForeignKey("members.Tier", to_field="code", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("minimum tier"),
                                 help_text=_("Members with this tier or a higher one see this area and every page under it."))
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [
        FieldPanel("min_tier"), FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.TierAreaPage"]

    class Meta:
        verbose_name = _("tier area")

    def save(self, *args, **kwargs):
        """An area's translations share its minimum tier: a translation takes its English page's, and a change reaches them all.

        (cms.access also closes every translation with the strictest area of its family.)
        """
        from cms.localization import default_locale

        default = default_locale()
        if self.locale_id != default.pk:
            source = TierAreaPage.objects.filter(translation_key=self.translation_key, locale=default).first()
            if source is not None:
                self.min_tier_id = source.min_tier_id
        result = super().save(*args, **kwargs)
        if self.locale_id == default.pk:
            TierAreaPage.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).update(min_tier=self.min_tier_id)
        return result


class CorporatePage(FallsBackToEnglish, Page):
    """Corporate and group travel, with an enquiry form that stores a lead."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    thank_you = models.CharField(_("thank-you message"), max_length=200,
                                 default="Thank you. Our group sales team will answer within one working day.")

    content_panels = [TranslationStatusPanel()] + Page.content_panels + [
        FieldPanel("introduction"), FieldPanel("body"), FieldPanel("thank_you")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("corporate and group travel page")

    def serve(self, request, *args, **kwargs):
        from cms.forms import EnquiryForm  # forms import models: import here to keep the module graph one-way

        form = EnquiryForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            lead = form.save()
            transaction.on_commit(lambda: notify_sales(lead.pk))
            return redirect(f"{self.url}?sent=1#enquiry")
        context = self.get_context(request, *args, **kwargs)
        context.update(form=form, sent=request.GET.get("sent") == "1")
        return TemplateResponse(request, self.get_template(request), context, status=400 if form.errors else 200)


class CorporateLead(models.Model):
    """An enquiry from the corporate page. Stored before any e-mail is tried, so none is lost."""

    company = models.CharField(_("company"), max_length=120)
    contact_name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    group_size = models.PositiveIntegerField(_("group size"))
    routes = models.CharField(_("routes"), max_length=200, help_text=_("For example JFK-LAX, LGA-ORD"))
    travel_from = models.DateField(_("travel from"))
    travel_to = models.DateField(_("travel until"))
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    sales_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("corporate lead")

    def __str__(self):
        return f"{self.company} ({self.group_size})"

    def clean(self):
        if self.travel_from and self.travel_to and self.travel_to < self.travel_from:
            raise ValidationError({"travel_to": _("The last travel date must be on or after the first.")})


def notify_sales(lead_id):
    """E-mail the sales desk about a lead; a mail failure is logged, the lead stays stored."""
    from django.core.mail import send_mail

    lead = CorporateLead.objects.get(pk=lead_id)
    body = (f"{lead.company}: {lead.group_size} travellers, {lead.routes}, {lead.travel_from} – {lead.travel_to}\n"
            f"{lead.contact_name} <{lead.email}> {lead.phone}\n\n{lead.message}")
    try:
        send_mail(f"Group enquiry: {lead.company}", body, None, [settings.SALES_EMAIL])
    except Exception:  # noqa: BLE001 - any mail failure: keep the lead, tell the log
        log.exception("could not e-mail the sales desk about lead %s", lead_id)
        return False
    CorporateLead.objects.filter(pk=lead_id).update(sales_notified_at=timezone.now())
    return True


