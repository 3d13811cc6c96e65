"""Which language a page is in: the member's own (their profile), else the cookie or the browser.

`Member.language` is set at the first sign-in from the language the member was reading
in (members/sign_ins.py), on the profile, and by the language switcher when a signed-in
member uses it. `MemberLanguageMiddleware` (after Django's LocaleMiddleware, which
reads the cookie and `Accept-Language`) switches to it for every request of a signed-in
member, so the same member reads the same language on every device, and gets e-mails in
it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class MemberLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
        if language in SUPPORTED and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def switch_language(request):
    """Django's set_language (cookie, safe `next` redirect), and for a member their profile's language too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in SUPPORTED and getattr(request.user, "is_authenticated", False) and request.user.language != language:
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
        request.user.language = language
    return response
