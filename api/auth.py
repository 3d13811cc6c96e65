"""Who is calling: a signed-in member (session cookie, CSRF on unsafe methods) or a token.

`request.auth` becomes a `Caller`. Tokens are tried first: a request that presents a
token is judged by it alone (no CSRF: a bearer token is not sent by the browser on its
own). Outcomes: no credentials → 401; a token that is unknown, expired or revoked → 401;
a valid token without the operation's scope → 403; a session POST without a valid CSRF
token → 403.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from api.models import ApiToken, Scope, digest

LAST_USED_RESOLUTION = timedelta(minutes=1)  # write `last_used_at` at most once a minute per token
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


@dataclass(frozen=True)
class Caller:
    member: object | None  # the member the request acts for; None for a service token
    token: ApiToken | None = None

    @property
    def rate_key(self):
        return f"token:{self.token.pk}" if self.token else f"member:{self.member.pk}"

    @property
    def rate_limit(self):
        return (self.token.rate_limit if self.token else "") or settings.API_RATE_LIMIT

    def __str__(self):
        return self.rate_key


class TokenAuth(HttpBearer):
    """`Authorization: Bearer wf_…` with the scope the operation needs."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            raise AuthenticationError(message="The token is not valid.")
        row = ApiToken.objects.usable().select_related("member").filter(secret_digest=digest(token.strip())).first()
        if row is None or (row.member is not None and not row.member.is_active):
            raise AuthenticationError(message="The token is not valid, has expired or was revoked.")
        if not row.has_scope(self.scope):
            raise AuthorizationError(message=f"This token does not have the {self.scope} scope.")
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return Caller(member=row.member if self.scope == Scope.MEMBER else None, token=row)


class SessionAuth(APIKeyCookie):
    """The member signed in to the portal; unsafe methods need Django's CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)  # checked below, only once we know a member is signed in

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method in SAFE_METHODS:
            get_token(request)  # any GET hands a signed-in browser the csrftoken cookie its writes will need
        elif check_csrf(request) is not None:
            raise AuthorizationError(message="CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.")
        return Caller(member=user)


member_auth = [TokenAuth(Scope.MEMBER), SessionAuth()]
ingest_auth = [TokenAuth(Scope.CHANNEL_INGEST)]
agent_auth = [TokenAuth(Scope.AGENT_LOOKUP)]
