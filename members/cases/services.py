"""Customer-service cases: every change of a case goes through here (one transaction each).

Status follows the thread: a member's message (opening or replying) makes the case
`open` (waiting for us); a staff answer makes it `answered` (waiting for the member) and,
the first time, sets `first_response_at`; closing sets `closed_at`. A member's reply
reopens a closed case. The member is e-mailed, in their language, after a staff answer
commits (members.cases.tasks.email_case_answer, once per message).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.cases.models import CaseMessage, ServiceCase
from portal.errors import DomainError


def open_case(*, member, category, subject, message, trip=None, offer_ref="") -> ServiceCase:
    if trip is not None and trip.member_id != member.pk:
        raise DomainError(_("Choose one of your own trips."), field="trip", status_code=404)
    now = timezone.now()
    with transaction.atomic():
        case = ServiceCase.objects.create(member=member, category=category, subject=subject.strip(), trip=trip,
                                          offer_ref=offer_ref, created_at=now, updated_at=now)
        CaseMessage.objects.create(case=case, body=message.strip(), created_at=now)
    return case


def reply_as_member(*, case, member, message) -> CaseMessage:
    if case.member_id != member.pk:
        raise DomainError(_("This case is not yours."), status_code=404)
    now = timezone.now()
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        reply = CaseMessage.objects.create(case=locked, body=message.strip(), created_at=now)
        locked.status, locked.updated_at, locked.closed_at = ServiceCase.Status.OPEN, now, None
        locked.save(update_fields=["status", "updated_at", "closed_at"])
    return reply


def answer_as_staff(*, case, staff, message, close=False) -> CaseMessage:
    """A staff answer (and optionally close the case); the member gets an e-mail once it commits."""
    from members.cases.tasks import email_case_answer

    if not staff.has_perm("members.change_servicecase"):  # superusers, and the Customer service group
        raise DomainError(_("Only customer service staff answer cases."), status_code=403)
    now = timezone.now()
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        answer = CaseMessage.objects.create(case=locked, body=message.strip(), from_staff=True, staff=staff,
                                            created_at=now)
        locked.first_response_at = locked.first_response_at or now
        locked.status = ServiceCase.Status.CLOSED if close else ServiceCase.Status.ANSWERED
        locked.closed_at = now if close else None
        locked.updated_at = now
        locked.save(update_fields=["first_response_at", "status", "closed_at", "updated_at"])
        transaction.on_commit(lambda: email_case_answer.delay(answer.pk))
    return answer


def close_case(*, case, by) -> ServiceCase:
    """Close a case without a message (staff, or the member who no longer needs help)."""
    if case.member_id != by.pk and not by.is_staff:
        raise DomainError(_("This case is not yours."), status_code=404)
    now = timezone.now()
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if not locked.is_closed:
            locked.status, locked.closed_at, locked.updated_at = ServiceCase.Status.CLOSED, now, now
            locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked
