"""API tokens: personal (a member's own) or service (another channel), with scopes.

The secret is shown once, when the token is made (`manage.py create_api_token`), and
stored only as a SHA-256 digest: a token is 32 random bytes, so a fast digest is as safe
as a slow password hash here and costs one indexed look-up per request. The visible
prefix (`wf_ab12cd34`) names the token in the admin and in logs without revealing it.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "wf_"
RATE_PATTERN = r"^\d+/(s|sec|m|min|h|hour|d|day)$"


class Scope(models.TextChoices):
    MEMBER = "member", _("member: act as the token's member (/me, offers, trips, search)")
    CHANNEL_INGEST = "channel:ingest", _("channel:ingest: send activity events from another channel")
    AGENT_LOOKUP = "agent:lookup", _("agent:lookup: look a member up by number (service agents)")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at))


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=80, help_text=_("Who or what uses it, e.g. “Call centre CRM”."))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="wayfare_api_tokens",
        verbose_name=_("member"), help_text=_("A personal token acts as this member; empty for a service token."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.CharField(
        _("rate limit"), max_length=16, blank=True, validators=[RegexValidator(RATE_PATTERN, _("Write it as 600/m."))],
        help_text=_("Requests per period, e.g. 600/m. Empty: the default (API_RATE_LIMIT)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        unknown = [s for s in self.scopes or [] if s not in Scope.values]
        if unknown:
            raise ValidationError({"scopes": _("Unknown scopes: %(list)s") % {"list": ", ".join(unknown)}})
        if Scope.MEMBER in (self.scopes or []) and self.member_id is None:
            raise ValidationError({"member": _("A token with the member scope needs a member.")})

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def is_usable(self):
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @classmethod
    def issue(cls, *, name, scopes, member=None, rate_limit="", expires_at=None):
        """Make a token; returns (row, the secret token). The secret is not stored and cannot be shown again."""
        prefix = TOKEN_PREFIX + secrets.token_hex(4)
        token = f"{prefix}_{secrets.token_urlsafe(32)}"
        row = cls(name=name, member=member, scopes=sorted(set(scopes)), prefix=prefix, secret_digest=digest(token),
                  rate_limit=rate_limit, expires_at=expires_at)
        row.full_clean()
        row.save()
        return row, token
