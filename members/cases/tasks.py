"""Celery tasks of members.cases (listed in CELERY_IMPORTS). Thin: ids in, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from members.cases.models import CaseMessage
from members.emails import send_to_member
from members.models import EmailSent


def answer_email(answer):
    """(subject, text, html) of the e-mail telling the member their case was answered."""
    case = answer.case
    context = {"case": case, "answer": answer, "member": case.member,
               "url": f"{settings.SITE_URL}/me/cases/{case.pk}/"}
    subject = _("Your question %(reference)s has an answer: %(subject)s") % {"reference": case.reference,
                                                                             "subject": case.subject}
    return (subject, render_to_string("emails/case_answer.txt", context),
            render_to_string("emails/case_answer.html", context))


@shared_task(autoretry_for=(DatabaseError, OSError), retry_backoff=30, max_retries=5, acks_late=True)
def email_case_answer(message_id):
    """E-mail the member about one staff answer; once per answer (EmailSent's key is the message id)."""
    answer = CaseMessage.objects.select_related("case__member").filter(pk=message_id, from_staff=True).first()
    if answer is None:  # the member was erased in the meantime
        return False
    sent = send_to_member(member=answer.case.member, kind=EmailSent.Kind.CASE_REPLY, key=answer.pk,
                          render=lambda: answer_email(answer))
    return sent is not None
