"""Serving a page inside a tier area: the content, the "which tier opens it" page, or the log-in.

Wired as Wagtail's `on_serve_page` hook (cms/wagtail_hooks.py), so it covers every page
type under a tier area, not only `TierAreaPage` itself. Wagtail's own view restrictions
are checked by Wagtail's hook as before.

A member below the tier gets status 403 with a page of its own: the door is real
(search engines, caches and monitoring read "not for you"), but the member is told which
tier opens it and how many Loyalty Points they are from it. A visitor is sent to log in
with ?next= pointing back. Both answers, and the content itself, are never cached by a
shared cache. A news article aimed at other tiers is a 404 for a member (a log-in for a
visitor); a page with segment-targeted content or variants is private to the reader.
A translation is gated with its English page (cms/access.py): a section under a view
restriction in any language sends the reader to log in in every language, like Wagtail's
own check does for the page that carries the restriction.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from cms.access import aimed_elsewhere, closed_sections, distance_to, in_tier_area, locked_area, member_of
from offers.segments.visit import remember_visit

LOCKED_STATUS = 403


def locked_response(request, area):
    member = member_of(request)
    if member is None:
        response = redirect_to_login(request.get_full_path())
    else:
        from cms.localization import for_reader

        # The area's title in the reader's language (the page asked for may be an English fallback); its tier stays.
        context = {"area": for_reader(area), "tier": area.min_tier, "distance": distance_to(member, area.min_tier)}
        response = TemplateResponse(request, "cms/tier_area_locked.html", context, status=LOCKED_STATUS)
    add_never_cache_headers(response)
    return response


def serve_with_tier_gate(serve):
    def inner(page, request, serve_args, serve_kwargs):
        area = locked_area(page, request)
        if area is not None:
            return locked_response(request, area)
        if page.path.startswith(closed_sections(request).restricted):  # restricted in another language
            response = redirect_to_login(request.get_full_path())
            add_never_cache_headers(response)
            return response
        if aimed_elsewhere(page, request):  # news for other tiers: a visitor logs in, a member finds nothing
            if member_of(request) is None:
                response = redirect_to_login(request.get_full_path())
                add_never_cache_headers(response)
                return response
            raise Http404
        remember_visit(request)
        response = serve(page, request, serve_args, serve_kwargs)
        if in_tier_area(page) or getattr(page.specific, "is_personalised", lambda: False)():
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response

    return inner
