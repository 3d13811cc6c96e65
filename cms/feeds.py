"""`/news/feed/`: the public news as RSS. A feed reader is a visitor, so a tier area's news is never in it.

Each article once, in the request's language (the cookie or `Accept-Language`), English
where it has no live translation; the feed's `<language>` says which.
"""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.access import visible_pages
from cms.localization import in_reader_language

FEED_LENGTH = 20


class NewsFeed(Feed):
    title = _("Wayfare news")
    description = _("Routes, service and programme news from Wayfare.")

    def link(self):
        from cms.models import NewsIndexPage

        index = in_reader_language(NewsIndexPage.objects.live()).first()
        return index.url if index else "/"

    def items(self):
        from cms.models import NewsArticlePage

        return in_reader_language(visible_pages(NewsArticlePage.objects.live(), None)).order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(6)))

    def item_categories(self, item):
        return [item.get_category_display()]
