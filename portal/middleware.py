"""Reliability wiring: a dependency that is down gives a clear 503, never a 500."""

import logging

from django.template.response import TemplateResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    """A Redis error that reaches a view is a request that cannot be served safely: a 503 page.

    Most uses of the cache fall back (portal/cache.py: rate limits count in process
    memory, so log-in works); the ones that must not (a TOTP code's used-marker) raise,
    and end here. docs/operations.md, "When Redis is gone".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (RedisConnectionError, RedisTimeoutError)):
            log.error("cache unavailable while serving %s: %s", request.path, exception)
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response.render()
        return None


class AdminSecondFactorMiddleware:
    """Staff enter the Wagtail admin only with a second factor (docs/privacy.md, "Security").

    - Wagtail's own log-in page (/admin/login/) would sign in with a password alone, so it
      sends everyone to allauth's log-in, which asks for the TOTP code of any account that
      has one.
    - A signed-in user who may use the admin but has no activated TOTP authenticator is
      sent to /accounts/2fa/ to set one up; /admin/ answers only after that.
    - `ADMIN_SECOND_FACTOR_EXEMPT` (the demo editor and manager by default) is honoured
      only while DEBUG is on, so `make run` stays usable and production has no exemption.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        prefix = settings.WAGTAIL_ADMIN_PREFIX
        if request.path.startswith(prefix):
            response = self._check(request, prefix, settings)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, prefix, settings):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext as _

        if request.path.startswith(prefix + "login/"):
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.GET.get('next') or prefix})}")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
            return None  # Wagtail itself keeps members and visitors out
        if settings.DEBUG and user.email.lower() in {e.lower() for e in settings.ADMIN_SECOND_FACTOR_EXEMPT}:
            return None
        if has_totp(user):
            return None
        messages.warning(request, _("Staff use two-factor authentication: set up an authenticator app, then open the admin again."))
        return redirect("mfa_index")


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RateLimitMiddleware:
    """Limits on POSTs to the views named in `RATE_LIMITS`, counted in Django's cache.

    `RATE_LIMITS = {"url name": ("10/m", "user", "reason")}`: at most 10 per minute (s, m,
    h, d; or "5/10m") per signed-in member ("user"; visitors by address) or per address
    ("ip"). Over the limit: a 429 page that says why and when to try again. When Redis
    is down the default cache counts in process memory (portal/cache.py); any other
    cache failure lets the request through (these forms are not worth a 503).
    """

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    @classmethod
    def parse(cls, rate):
        count, _slash, period = rate.partition("/")
        digits = "".join(ch for ch in period if ch.isdigit())
        return int(count), int(digits or 1) * cls.PERIODS[period[len(digits):]]

    def process_view(self, request, view_func, view_args, view_kwargs):
        import time

        from django.conf import settings
        from django.core.cache import cache

        if request.method != "POST" or request.resolver_match is None:
            return None
        rule = settings.RATE_LIMITS.get(request.resolver_match.view_name)
        if rule is None:
            return None
        rate, scope, reason = rule
        limit, seconds = self.parse(rate)
        user = getattr(request, "user", None)
        who = f"u{user.pk}" if scope == "user" and user is not None and user.is_authenticated else f"ip{request.META.get('REMOTE_ADDR', '')}"
        window = int(time.time() // seconds)
        key = f"ratelimit:{request.resolver_match.view_name}:{who}:{window}"
        try:
            cache.add(key, 0, seconds + 5)
            used = cache.incr(key)
        except Exception:  # noqa: BLE001 - no cache: let the request through, say so in the log
            log.warning("rate limit %s not applied: cache unavailable", key, exc_info=True)
            return None
        if used <= limit:
            return None
        retry_after = seconds - int(time.time()) % seconds
        response = TemplateResponse(request, "429.html", {"reason": reason, "retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response.render()


class StaffAuditMiddleware:
    """Logs the admin's list downloads (CSV/XLSX of claims, group enquiries …) in the audit log.

    Wagtail's own screens for one member (the user edit view) are logged by hooks in
    members/privacy/admin_views.py; exports by members by the privacy views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if (request.path.startswith(settings.WAGTAIL_ADMIN_PREFIX) and request.GET.get("export")
                and response.status_code == 200 and getattr(request, "user", None) is not None
                and request.user.is_authenticated):
            from members.privacy import audit

            audit.record(actor=request.user, action=audit.Action.ADMIN_EXPORT,
                         detail=f"{request.path} ({request.GET.get('export')})")
        return response
