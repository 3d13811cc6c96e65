"""Site search and the sitemap: both list pages through `cms.access.visible_pages`, each once in the reader's language."""

import re

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from cms.access import visible_pages
from cms.localization import in_reader_language, site_pages

SEARCH_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def _site_pages(request):
    site = Site.find_for_request(request) or Site.objects.select_related("root_page").get(is_default_site=True)
    return site_pages(site.root_page).live()


def summary_of(page):
    """The line a search result shows under its title: the page's own summary or introduction."""
    for name in ("summary", "introduction", "search_description"):
        text = getattr(page, name, "")
        if text:
            return text
    return ""


def search(request):
    """`/search/?q=`: Wagtail's database backend over the pages this reader may see, 10 a page.

    The reader's closed sections are excluded *before* the search runs, so a result
    count, a title or a page number never tells anyone what a tier area holds.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results, found = None, []
    if query:
        # Words only for the engine: SQLite's FTS5 takes quotes and brackets as syntax (a 500 on `"><img …`).
        words = " ".join(re.findall(r"\w+", query))
        # Each page once, in the reader's language (English where it has no live translation), narrowed before the search.
        pages = in_reader_language(visible_pages(_site_pages(request), request)).search(words) if words else Page.objects.none()
        results = Paginator(pages, SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page"))
        specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in results]).specific()}
        found = [(page, summary_of(page)) for page in (specific.get(p.pk) for p in results) if page is not None]
    return TemplateResponse(request, "search/results.html", {"query": query, "results": results, "found": found})


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, narrowed to what a visitor may open (no tier area, no restricted section).

    One URL per page: a page and its translations share it, so each is listed once
    (the reader's language, English where there is no live translation).
    """

    def items(self):
        pages = site_pages(self.get_wagtail_site().root_page).live().public()
        return in_reader_language(visible_pages(pages, None)).order_by("path").defer_streamfields().specific()


def sitemap(request):
    return sitemap_views.sitemap(request, {"pages": PublicSitemap(request)}, template_name="cms/sitemap.xml")
