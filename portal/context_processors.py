from django.conf import settings


def site(request):
    """What the base layout needs on every page."""
    return {"site_name": settings.WAGTAIL_SITE_NAME, "languages": settings.LANGUAGES}
