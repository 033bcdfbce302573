"""Notices and the periodic job: presentation to the leader, overdue handling escalated once."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.models import User
from motcua.notifications.services import notify

from ..access import heads_of
from ..models import IncomingDocument, IncomingStatus


def _tell(users, document, *, event: str, title: str, key: str, urgent: bool = False) -> int:
    sent = 0
    link = reverse("documents:incoming_detail", args=[document.pk])
    for user in users:
        if user.person_id is None:
            continue
        notify(
            person=user.person,
            event=event,
            title=title,
            body=document.summary[:300],
            link=link,
            subject_type="incoming_document",
            subject_id=str(document.pk),
            dedupe_key=f"{key}:{document.pk}:{user.pk}",
            urgent=urgent,
        )
        sent += 1
    return sent


def leaders_notify(document: IncomingDocument) -> int:
    """Tell the agency head a document waits for instruction (urgent ones at registration)."""
    users = User.objects.filter(pk__in=heads_of(document.agency))
    return _tell(
        users,
        document,
        event="documents.present",
        title=_("Văn bản đến số %(n)s chờ cho ý kiến") % {"n": document.incoming_number},
        key="documents.present",
        urgent=document.urgency != "normal",
    )


def assignees_notify(document: IncomingDocument) -> int:
    users = User.objects.filter(pk__in=document.assignments.filter(user__isnull=False).values("user_id"))
    return _tell(
        users,
        document,
        event="documents.assigned",
        title=_("Được giao xử lý văn bản đến số %(n)s") % {"n": document.incoming_number},
        key=f"documents.assigned:{document.updated_at:%Y%m%d%H%M%S}",
    )


def documents_jobs(*, now=None) -> dict:
    """Safe to run twice: notices are deduplicated, escalation happens once per assignment."""
    now = now or timezone.now()
    presented = 0
    for document in IncomingDocument.objects.filter(
        status=IncomingStatus.REGISTERED, present_due__lte=now
    ).select_related("agency"):
        with transaction.atomic():
            presented += leaders_notify(document)
    escalated = 0
    overdue = IncomingDocument.objects.filter(
        status__in=[IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS],
        handling_due__lt=now,
        escalated_at__isnull=True,
    ).select_related("agency")
    for document in overdue:
        with transaction.atomic():
            updated = IncomingDocument.objects.filter(pk=document.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not updated:
                continue
            users = User.objects.filter(
                pk__in={*heads_of(document.agency), *document.assignments.values_list("user_id", flat=True)} - {None}
            )
            _tell(
                users,
                document,
                event="documents.overdue",
                title=_("Văn bản đến số %(n)s quá hạn xử lý") % {"n": document.incoming_number},
                key="documents.overdue",
                urgent=True,
            )
            escalated += 1
    return {"presented": presented, "escalated": escalated}
