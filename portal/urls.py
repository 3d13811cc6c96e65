from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.feeds import NewsFeed
from members.language import switch_language
from portal.health import health
from recommendations.views import not_interested, tracked_click

urlpatterns = [
    path("health/", health, name="health"),
    path("api/v1/", include("api.urls")),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("members.urls")),
    path("flights/", include("offers.urls")),
    path("trips/", include("offers.trip_urls")),
    path("offers/", include("offers.offer_urls")),
    path("r/not-interested/", not_interested, name="not_interested"),
    path("r/<str:token>/", tracked_click, name="tracked_click"),
    path("search/", cms_views.search, name="search"),
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    path("news/feed/", NewsFeed(), name="news_feed"),  # before Wagtail's catch-all, which serves /news/
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
