"""/api/v1/…: the ninja API, and a JSON 404 for any other path under it (never the site's HTML page)."""

from django.http import JsonResponse
from django.urls import path, re_path

from api.v1 import api


def not_found(request, rest=""):
    return JsonResponse({"detail": "Not found.", "errors": []}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
