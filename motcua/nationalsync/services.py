"""Writes of the national-portal sync: queue a message per status change, resend after a rejection.

Queued always, whatever NATIONAL_SYNC_ENABLED says: the flag only stops the sender, so turning the
sync on later sends the whole history, in order, instead of losing what happened meanwhile.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import DomainError
from motcua.core.models import Role, User
from motcua.core.transitions import audit_record, row_lock
from motcua.dossiers.models import Dossier

from .models import SyncMessage, SyncState
from .payload import build_payload, national_status


def sync_enqueue(*, dossier: Dossier, status: str | None = None, changed_at=None) -> SyncMessage | None:
    """Queue the message for `dossier`'s change to `status` (its current one by default).

    Runs inside the caller's transaction (the dossier is locked by the action that changed it),
    so the next sequence number is read and used without a race. Drafts are never reported.
    """
    status = status or dossier.status
    code = national_status(status)
    if code is None:
        return None
    changed_at = changed_at or timezone.now()
    last = SyncMessage.objects.filter(dossier=dossier).aggregate(last=Max("seq"))["last"] or 0
    message = SyncMessage(dossier=dossier, seq=last + 1, status=status, national_status=code, changed_at=changed_at)
    message.payload = build_payload(
        dossier, status=status, changed_at=changed_at, message_id=message.message_id, seq=message.seq
    )
    message.save()
    return message


def sync_enqueue_for_event(*, dossier: Dossier, from_status: str, event, at=None) -> SyncMessage | None:
    """Subscriber of `dossier.status_changed` (see apps.py)."""
    return sync_enqueue(dossier=dossier, status=dossier.status, changed_at=at or event.at)


def resend_agency_ids(user: User) -> set[int] | None:
    """Ids of the agencies whose dossiers `user` may resend; None = every agency (superuser)."""
    if not scope.is_signed_in(user):
        return set()
    if user.is_superuser:
        return None
    return set(scope.covered_agencies(user, roles=[Role.ADMINISTRATOR]).values_list("pk", flat=True))


def may_resend(user: User, dossier: Dossier, *, agency_ids: set[int] | None | bool = False) -> bool:
    """Administrators covering the dossier's receiving agency (and superusers) may resend.
    `agency_ids` (from `resend_agency_ids`) saves the query when asked for many dossiers."""
    allowed = resend_agency_ids(user) if agency_ids is False else agency_ids
    return allowed is None or dossier.receiving_agency_id in allowed


def sync_resend(*, dossier: Dossier, actor: User, note: str = "") -> SyncMessage:
    """Put the dossier's rejected message back in the queue (with its payload rebuilt from the
    dossier's current data, keeping the status and time of the change), so it and everything after
    it are sent again in order. One transaction; audited."""
    with transaction.atomic():
        locked = row_lock(Dossier, dossier.pk, related=("procedure", "receiving_agency"), not_found="dossier_not_found")
        if not may_resend(actor, locked):
            raise DomainError(
                _("Chỉ quản trị hệ thống của cơ quan tiếp nhận hồ sơ mới được gửi lại."),
                code="sync_resend_forbidden",
                status=403,
            )
        message = (
            SyncMessage.objects.select_for_update(of=("self",))
            .filter(dossier=locked, state=SyncState.REJECTED)
            .order_by("seq")
            .first()
        )
        if message is None:
            raise DomainError(
                _("Hồ sơ %(code)s không có gói tin bị từ chối để gửi lại.") % {"code": locked.code},
                code="sync_nothing_to_resend",
                status=409,
            )
        previous = {"reject_code": message.reject_code, "last_error": message.last_error}
        message.payload = build_payload(
            locked, status=message.status, changed_at=message.changed_at, message_id=message.message_id, seq=message.seq
        )
        message.state = SyncState.PENDING
        message.not_before = None
        message.attempts = 0
        message.resent_count += 1
        message.save(update_fields=["payload", "state", "not_before", "attempts", "resent_count", "updated_at"])
        audit_record(
            actor=actor,
            action="nationalsync.resend",
            obj=message,
            data={"code": locked.code, "seq": message.seq, "note": note[:500], **previous},
        )
    return message
