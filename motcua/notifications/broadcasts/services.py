"""Writes for area broadcasts: draft, CSV upload, submit, approve/reject, cancel.

Every state change follows the house recipe (`motcua.core.transitions`): one atomic block, the row
locked with `row_lock`, the action checked against `BROADCAST_MACHINE` (states.py) for the status
and the actor's tie to the broadcast, saved with update_fields, and `audit_record` written in the
same transaction. Sending (start, finish, the periodic dispatch) is in `sending.py`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Hamlet, Unit, User
from motcua.core.transitions import audit_record, row_lock

from ..models import Audience, Broadcast, BroadcastRecipient, Message, MessageStatus
from .csv import CsvReport, parse_recipients_csv
from .selectors import (
    allowed_actions,
    area_unit_choices,
    broadcast_preview_for,
    held_ties,
    opted_out_phones,
    owner_unit_choices,
)
from .states import AUTHOR, BROADCAST_MACHINE, CANCELLABLE_MESSAGE_STATUSES

BATCH_SIZE = 5000
MAX_TITLE = 255
MAX_BODY = 1000  # about 7 unaccented segments: a broadcast is an SMS, not a letter.

# Why an actor without the right tie is refused, per action (the machine says that; these say why).
_REFUSALS = {
    "edit": (gettext_lazy("Chỉ người soạn được sửa thông báo này."), "not_author"),
    "submit": (gettext_lazy("Chỉ người soạn được trình duyệt thông báo này."), "not_author"),
    "approve": (gettext_lazy("Chỉ lãnh đạo của đơn vị gửi được duyệt thông báo."), "approval_forbidden"),
    "reject": (gettext_lazy("Chỉ lãnh đạo của đơn vị gửi được duyệt thông báo."), "approval_forbidden"),
    "cancel": (gettext_lazy("Chỉ người soạn hoặc lãnh đạo được hủy thông báo."), "cancel_forbidden"),
}


def audit(actor, action: str, broadcast: Broadcast, **data) -> None:
    audit_record(actor=actor, action=f"broadcast.{action}", obj=broadcast, object_type="broadcast", data=data)


def invalid_state(broadcast: Broadcast, action: str, actor) -> DomainError:
    """The 409 for an action the broadcast's status does not allow; lists what the actor may do."""
    return DomainError(
        _("Không thể thực hiện thao tác này khi thông báo đang ở trạng thái “%(status)s”.")
        % {"status": broadcast.get_status_display()},
        code="invalid_state",
        status=409,
        details={
            "status": broadcast.status,
            "action": action,
            "allowed": allowed_actions(broadcast=broadcast, user=actor) if actor is not None else [],
        },
    )


def lock(broadcast_id: int) -> Broadcast:
    return row_lock(Broadcast, broadcast_id, related=("owner_unit",), not_found="broadcast_not_found")


def check(broadcast: Broadcast, action: str, actor) -> str:
    """The status `action` leads to; refused for the wrong status (409) or the wrong actor (403)."""
    target = BROADCAST_MACHINE.target(broadcast.status, action)
    if target is None:
        raise invalid_state(broadcast, action, actor)
    held = held_ties(broadcast=broadcast, user=actor)
    if BROADCAST_MACHINE.permits(broadcast.status, action, held) == "role":
        if action in ("approve", "reject") and AUTHOR in held:
            # Two people, always: even a leader never approves what they wrote themselves.
            raise PermissionDenied(
                _("Người soạn thông báo không được tự duyệt; cần một lãnh đạo khác."), code="self_approval_forbidden"
            )
        message, code = _REFUSALS[action]
        raise PermissionDenied(str(message), code=code)
    return target


# --- drafts ------------------------------------------------------------------------------------


def _clean_area(*, owner_unit: Unit, unit_ids, hamlet_ids) -> tuple[list[Unit], list[Hamlet]]:
    unit_ids = {int(pk) for pk in unit_ids or []}
    hamlet_ids = {int(pk) for pk in hamlet_ids or []}
    units = list(area_unit_choices(owner_unit).filter(pk__in=unit_ids))
    hamlets = list(Hamlet.objects.filter(pk__in=hamlet_ids, unit_id__in=[u.pk for u in area_unit_choices(owner_unit)]))
    if len(units) != len(unit_ids) or len(hamlets) != len(hamlet_ids):
        raise PermissionDenied(_("Địa bàn nhận thông báo nằm ngoài phạm vi của đơn vị gửi."), code="not_in_scope")
    return units, hamlets


def _clean_owner(actor: User, owner_unit_id: int | None) -> Unit:
    choices = owner_unit_choices(actor)
    if not choices:
        raise PermissionDenied(_("Tài khoản này không có vai trò được soạn thông báo diện rộng."), code="not_in_scope")
    if owner_unit_id is None:
        return choices[0]
    for unit in choices:
        if unit.pk == int(owner_unit_id):
            return unit
    raise PermissionDenied(_("Tài khoản này không thể gửi thông báo thay cho đơn vị này."), code="not_in_scope")


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Nhập tiêu đề.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("Tiêu đề tối đa %(n)d ký tự.") % {"n": MAX_TITLE}
    if not body:
        errors["body"] = _("Nhập nội dung thông báo.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("Nội dung tối đa %(n)d ký tự.") % {"n": MAX_BODY}
    if errors:
        raise DomainError(_("Thông báo chưa hợp lệ."), code="invalid_broadcast", status=422, details=errors)
    return title, body


def _check_area_present(audience: str, units, hamlets) -> None:
    if audience not in Audience.values:
        raise DomainError(_("Đối tượng nhận không hợp lệ."), code="invalid_audience", status=422)
    if audience != Audience.CSV and not units and not hamlets:
        raise DomainError(
            _("Chọn ít nhất một xã, phường hoặc ấp, khóm nhận thông báo."), code="area_required", status=422
        )


def broadcast_create(
    *,
    actor: User,
    title: str,
    body: str,
    audience: str = Audience.RESIDENTS,
    unit_ids=(),
    hamlet_ids=(),
    unaccented: bool = True,
    scheduled_at: datetime.datetime | None = None,
    owner_unit_id: int | None = None,
) -> Broadcast:
    """A new draft, owned by one of the author's units; the area must lie inside that unit."""
    owner = _clean_owner(actor, owner_unit_id)
    title, body = _clean_text(title, body)
    units, hamlets = _clean_area(owner_unit=owner, unit_ids=unit_ids, hamlet_ids=hamlet_ids)
    _check_area_present(audience, units, hamlets)
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            owner_unit=owner,
            title=title,
            body=body,
            audience=audience,
            unaccented=unaccented,
            scheduled_at=scheduled_at,
            created_by=actor,
        )
        broadcast.units.set(units)
        broadcast.hamlets.set(hamlets)
        _refresh_estimate(broadcast)
        audit(actor, "created", broadcast, audience=audience)
    return broadcast


def broadcast_update(
    *,
    actor: User,
    broadcast: Broadcast,
    title: str,
    body: str,
    audience: str,
    unit_ids=(),
    hamlet_ids=(),
    unaccented: bool = True,
    scheduled_at: datetime.datetime | None = None,
) -> Broadcast:
    """Edit a draft (or a rejected one, which goes back to draft). Only its author edits it."""
    title, body = _clean_text(title, body)
    with transaction.atomic():
        locked = lock(broadcast.pk)
        target = check(locked, "edit", actor)
        units, hamlets = _clean_area(owner_unit=locked.owner_unit, unit_ids=unit_ids, hamlet_ids=hamlet_ids)
        _check_area_present(audience, units, hamlets)
        if locked.audience == Audience.CSV and audience != Audience.CSV:
            BroadcastRecipient.objects.filter(broadcast=locked).delete()
        locked.title, locked.body, locked.audience = title, body, audience
        locked.unaccented, locked.scheduled_at, locked.status = unaccented, scheduled_at, target
        locked.save(update_fields=["title", "body", "audience", "unaccented", "scheduled_at", "status", "updated_at"])
        locked.units.set(units)
        locked.hamlets.set(hamlets)
        _refresh_estimate(locked)
        audit(actor, "edited", locked)
    return locked


def _refresh_estimate(broadcast: Broadcast) -> None:
    preview = broadcast_preview_for(broadcast)
    broadcast.recipient_count = preview.recipients
    broadcast.segments_per_message = preview.segments
    broadcast.estimated_cost = preview.cost
    broadcast.save(update_fields=["recipient_count", "segments_per_message", "estimated_cost", "updated_at"])


def broadcast_csv_upload(*, actor: User, broadcast: Broadcast, content: bytes) -> CsvReport:
    """Replace the draft's audience by the rows of a CSV; bad rows are kept, marked, never sent.

    Raises `csv_invalid` (422, with row details) when the file cannot be read or has no usable row.
    """
    report = parse_recipients_csv(content, owner_unit=broadcast.owner_unit, opted_out=set())
    opted = set(
        opted_out_phones()
        .filter(phone__in=[r.phone for r in report.rows if r.state == "ok"])
        .values_list("phone", flat=True)
    )
    report = report.with_opted_out(opted)
    if not report.good:
        raise DomainError(
            _("Tệp CSV không có dòng nào gửi được."), code="csv_invalid", status=422, details=report.bad_details()
        )
    with transaction.atomic():
        locked = lock(broadcast.pk)
        target = check(locked, "edit", actor)
        BroadcastRecipient.objects.filter(broadcast=locked).delete()
        BroadcastRecipient.objects.bulk_create(
            [
                BroadcastRecipient(
                    broadcast=locked,
                    row_number=r.row_number,
                    name=r.name[:255],
                    phone=r.phone[:32],
                    hamlet_id=r.hamlet_id,
                    unit_id=r.unit_id,
                    state=r.state,
                    error=r.error[:255],
                )
                for r in report.rows
            ],
            batch_size=BATCH_SIZE,
        )
        locked.audience = Audience.CSV
        locked.status = target
        locked.save(update_fields=["audience", "status", "updated_at"])
        _refresh_estimate(locked)
        audit(actor, "csv_uploaded", locked, **report.counts())
    return report


# --- approval ----------------------------------------------------------------------------------


def broadcast_submit(*, actor: User, broadcast: Broadcast, confirm_bad_rows: bool = False) -> Broadcast:
    """Send to a leader for approval. A CSV with bad rows needs the author's explicit confirmation."""
    with transaction.atomic():
        locked = lock(broadcast.pk)
        target = check(locked, "submit", actor)
        _refresh_estimate(locked)
        bad = 0
        if locked.audience == Audience.CSV:
            bad = BroadcastRecipient.objects.filter(broadcast=locked).exclude(state=BroadcastRecipient.State.OK).count()
            if bad and not confirm_bad_rows:
                raise DomainError(
                    _("Danh sách có %(n)d dòng lỗi sẽ không được gửi. Hãy xác nhận chỉ gửi cho các số hợp lệ.")
                    % {"n": bad},
                    code="csv_unconfirmed",
                    status=409,
                    details={"bad_rows": bad, "good_rows": locked.recipient_count, "allowed": ["submit"]},
                )
        if locked.recipient_count == 0:
            raise DomainError(_("Không có người nhận nào trong địa bàn đã chọn."), code="no_recipients", status=422)
        locked.status, locked.submitted_at = target, timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        audit(actor, "submitted", locked, recipients=locked.recipient_count, bad_rows_confirmed=bad)
    return locked


def _decide(*, actor: User, broadcast: Broadcast, action: str, note: str) -> Broadcast:
    with transaction.atomic():
        locked = lock(broadcast.pk)
        target = check(locked, action, actor)
        locked.status, locked.decided_by, locked.decided_at = target, actor, timezone.now()
        locked.decision_note = (note or "").strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit(actor, action + ("d" if action.endswith("e") else "ed"), locked, note=locked.decision_note)
    return locked


def broadcast_approve(*, actor: User, broadcast: Broadcast, note: str = "") -> Broadcast:
    return _decide(actor=actor, broadcast=broadcast, action="approve", note=note)


def broadcast_reject(*, actor: User, broadcast: Broadcast, note: str) -> Broadcast:
    if not (note or "").strip():
        raise DomainError(_("Nhập lý do không duyệt."), code="reason_required", status=422)
    return _decide(actor=actor, broadcast=broadcast, action="reject", note=note)


def broadcast_cancel(*, actor: User, broadcast: Broadcast, note: str = "") -> Broadcast:
    """Stop a broadcast. Messages not yet handed to a provider are cancelled in the same
    transaction; those already handed over cannot be recalled and keep their status."""
    with transaction.atomic():
        locked = lock(broadcast.pk)
        target = check(locked, "cancel", actor)
        # The status filter is re-checked under the row lock, so a message a worker has just
        # claimed (sending) is left alone.
        cancelled = Message.objects.filter(broadcast=locked, status__in=CANCELLABLE_MESSAGE_STATUSES).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
        now = timezone.now()
        locked.status, locked.cancelled_by, locked.cancelled_at = target, actor, now
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
        audit(actor, "cancelled", locked, messages_cancelled=cancelled, note=(note or "").strip())
    return locked
