"""E-mails to one member, in their language, each recorded once (`EmailSent`, on the member's timeline).

`send_to_member` is the one way the portal's member e-mails go out (the weekly offers in
cms/weekly_email.py, customer-service answers in members/cases/services.py). The row and
the sending share one transaction: a second call with the same `(member, kind, key)` —
a rerun, a redelivered task, a concurrent worker — finds the row and sends nothing, and
a send that fails rolls the row back, so the next try sends it.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import translation

from members.models import EmailSent


def send_to_member(*, member, kind, key, render, headers=None, connection=None):
    """Send the e-mail `render()` writes — `(subject, text, html or None)`, called in the member's
    language — unless `(member, kind, key)` was sent before. `render()` may return None (nothing to
    say): nothing is sent or recorded. Returns the new `EmailSent`, or None."""
    language = member.email_language()
    with transaction.atomic():
        row, created = EmailSent.objects.get_or_create(member=member, kind=kind, key=str(key),
                                                       defaults={"subject": "", "language": language})
        if not created:
            return None
        with translation.override(language):
            written = render()
            if written is None:
                transaction.set_rollback(True)
                return None
            subject, text, html = written
            message = EmailMultiAlternatives(str(subject), text, to=[member.email], headers=headers or {},
                                             connection=connection)
            if html:
                message.attach_alternative(html, "text/html")
        message.send()
        row.subject = str(subject)[:255]
        row.save(update_fields=["subject"])
    return row
