"""Every successful sign-in is a `SignIn` row (the member's timeline, their security record), and the
site language the member signed in with becomes the language of their e-mails (until they choose
another on their profile). Connected in members/apps.py."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import get_supported_language_variant


@receiver(user_logged_in, dispatch_uid="members.sign_ins.record")
def record_sign_in(sender, request, user, **kwargs):
    from members.models import SignIn

    if not getattr(user, "pk", None) or user._meta.label != "members.Member":
        return
    match = getattr(request, "resolver_match", None)
    SignIn.objects.create(member=user, method=(getattr(match, "url_name", "") or "")[:32])
    language = getattr(request, "LANGUAGE_CODE", None)
    if language and not user.language:
        try:
            user.language = get_supported_language_variant(language)
        except LookupError:
            return
        type(user).objects.filter(pk=user.pk).update(language=user.language)
