"""Pages in the reader's language: the live translation when there is one, else the English page.

Wagtail keeps one page tree per locale (`WAGTAIL_I18N_ENABLED`); a translation shares its
page's `translation_key` and slug, so it has the same URL (no language prefix: the
language comes from the member's profile, the cookie or the browser, members/language.py).

- Serving: Wagtail routes from `site.root_page.localized` (the reader's home page). A page
  that has no live translation in the reader's language is served in English at the same
  URL (`FallsBackToEnglish.route`), never a 404; a live translation is served even when
  its parents are still drafts.
- Lists (news, search, sitemap, feed, a page's children, the dashboard's news):
  `in_reader_language(queryset)` keeps each page once — the reader's translation when the
  queryset holds it, else the English page. Apply it after `cms.access.visible_pages`,
  which closes a page's translations together with it.
"""

from django.db.models import Q
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page


def default_locale():
    return Locale.get_default()


def reader_locale(language=None):
    """The Locale of `language` (default: the active language); None when it has no locale (English then)."""
    from django.utils.translation import get_supported_language_variant

    try:
        code = get_supported_language_variant(language or translation.get_language() or "")
    except LookupError:
        return None
    return Locale.objects.filter(language_code=code).first()


def in_reader_language(queryset, language=None):
    """Each page of `queryset` once: the translation in the reader's language if the queryset holds it, else English."""
    default = default_locale()
    active = reader_locale(language)
    if active is None or active.pk == default.pk:
        return queryset.filter(locale=default)
    translated = queryset.filter(locale=active).values("translation_key")
    return queryset.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))


def for_reader(page, language=None):
    """The page a reader gets for `page`: its live translation in their language, else its English page, else itself."""
    default = default_locale()
    for candidate in (page.get_translation_or_none(reader_locale(language) or default), page.get_translation_or_none(default)):
        if candidate is not None and candidate.live:
            return candidate.specific
    return page.specific


def family(page):
    """The page and all its translations."""
    return Page.objects.filter(translation_key=page.translation_key)


def children_in_reader_language(page, language=None):
    """The live children of the page or of any of its translations, each once, in the reader's language."""
    under = Q()
    for member in family(page).only("path", "depth"):
        under |= Q(path__startswith=member.path, depth=member.depth + 1)
    return in_reader_language(Page.objects.live().filter(under), language)


_LOCALE_CODES = {}  # Locale pk -> language code; locales are created once and never renamed


def language_of(page):
    if page.locale_id not in _LOCALE_CODES:
        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES.get(page.locale_id, "")


class FallsBackToEnglish:
    """A page type whose missing or unpublished translation is served in English at the same URL."""

    def lang_attribute(self):
        """` lang="en"` on content in another language than the page around it (English on a Chinese page, WCAG 3.1.2)."""
        from django.utils.translation import get_supported_language_variant
        from markupsafe import Markup

        code = language_of(self)
        try:
            active = get_supported_language_variant(translation.get_language() or "")
        except LookupError:
            active = ""
        return Markup(' lang="%s"') % code if code and code != active else Markup("")

    def route(self, request, path_components):
        if not path_components and self.locale_id == default_locale().pk:
            # Reached through the English tree (a parent not translated yet): the reader's live translation, if any.
            localized = self.localized
            if localized.pk != self.pk:
                return localized.specific.route(request, [])
        try:
            return super().route(request, path_components)
        except Http404:
            default = default_locale()
            english = None if self.locale_id == default.pk else self.get_translation_or_none(default)
            if english is None:
                raise
            return english.specific.route(request, path_components)


def translation_status(page):
    """For the editor: [(locale, translation or None)] for every other content language than the page's."""
    translations = {p.locale_id: p for p in family(page).exclude(pk=page.pk)}
    return [(locale, translations.get(locale.pk)) for locale in Locale.objects.exclude(pk=page.locale_id).order_by("language_code")]


def site_pages(root_page):
    """The pages under a site's root page in every language (each locale's tree hangs under the root's translation)."""
    under = Q()
    for root in family(root_page).only("path"):
        under |= Q(path__startswith=root.path)
    return Page.objects.filter(under)
