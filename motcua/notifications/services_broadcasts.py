"""Writes for area broadcasts: draft, CSV upload, submit, approve/reject, send, cancel, finish.

Every state change follows the house recipe: one atomic block, the row re-read with
select_for_update, the action checked against `TRANSITIONS` (selectors_broadcasts), saved with
update_fields, and an AuditEvent written in the same transaction.

Sending resolves the audience into BroadcastRecipient rows and writes one outbox Message per
phone in the same transaction (bulk inserts in batches): either every message is enqueued or
none is, and the unique dedupe key "broadcast:<id>:<phone>" means a retried start never writes a
second one. The delivery worker does the rest (rate limits, quiet hours: broadcasts are never
urgent).
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEvent, Hamlet, Unit, User

from . import sms
from .broadcasts_csv import CsvReport, parse_recipients_csv
from .models import Audience, Broadcast, BroadcastRecipient, BroadcastStatus, Message, MessageStatus
from .selectors_broadcasts import (
    CANCELLABLE_MESSAGE_STATUSES,
    PENDING_STATUSES,
    TRANSITIONS,
    allowed_actions,
    area_unit_choices,
    audience_rows,
    broadcast_preview_for,
    is_approver_for,
    message_text,
    opted_out_phones,
    owner_unit_choices,
)

BATCH_SIZE = 5000
MAX_TITLE = 255
MAX_BODY = 1000  # about 7 unaccented segments: a broadcast is an SMS, not a letter.


def _audit(actor, action: str, broadcast: Broadcast, **data) -> None:
    AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=f"broadcast.{action}",
        object_type="broadcast",
        object_id=str(broadcast.pk),
        data=data,
    )


def _invalid_state(broadcast: Broadcast, action: str, actor) -> DomainError:
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


def _lock(broadcast_id: int) -> Broadcast:
    return Broadcast.objects.select_for_update().get(pk=broadcast_id)


def _check(broadcast: Broadcast, action: str, actor) -> str:
    target = TRANSITIONS.get(broadcast.status, {}).get(action)
    if target is None:
        raise _invalid_state(broadcast, action, actor)
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
        raise PermissionDenied(_("Bạn không có vai trò được soạn thông báo diện rộng."), code="not_in_scope")
    if owner_unit_id is None:
        return choices[0]
    for unit in choices:
        if unit.pk == int(owner_unit_id):
            return unit
    raise PermissionDenied(_("Bạn không thể gửi thông báo thay cho đơn vị này."), code="not_in_scope")


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
        _audit(actor, "created", broadcast, audience=audience)
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
        locked = _lock(broadcast.pk)
        target = _check(locked, "edit", actor)
        if locked.created_by_id != actor.pk:
            raise PermissionDenied(_("Chỉ người soạn được sửa thông báo này."), code="not_author")
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
        _audit(actor, "edited", locked)
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
        locked = _lock(broadcast.pk)
        _check(locked, "edit", actor)
        if locked.created_by_id != actor.pk:
            raise PermissionDenied(_("Chỉ người soạn được sửa thông báo này."), code="not_author")
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
        locked.status = TRANSITIONS[locked.status]["edit"]
        locked.save(update_fields=["audience", "status", "updated_at"])
        _refresh_estimate(locked)
        _audit(actor, "csv_uploaded", locked, **report.counts())
    return report


# --- approval ----------------------------------------------------------------------------------


def broadcast_submit(*, actor: User, broadcast: Broadcast, confirm_bad_rows: bool = False) -> Broadcast:
    """Send to a leader for approval. A CSV with bad rows needs the author's explicit confirmation."""
    with transaction.atomic():
        locked = _lock(broadcast.pk)
        target = _check(locked, "submit", actor)
        if locked.created_by_id != actor.pk:
            raise PermissionDenied(_("Chỉ người soạn được trình duyệt thông báo này."), code="not_author")
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
        _audit(actor, "submitted", locked, recipients=locked.recipient_count, bad_rows_confirmed=bad)
    return locked


def _decide(*, actor: User, broadcast: Broadcast, action: str, note: str) -> Broadcast:
    with transaction.atomic():
        locked = _lock(broadcast.pk)
        target = _check(locked, action, actor)
        # Two people, always: even a leader never approves what they wrote themselves.
        if locked.created_by_id == actor.pk:
            raise PermissionDenied(
                _("Người soạn thông báo không được tự duyệt; cần một lãnh đạo khác."), code="self_approval_forbidden"
            )
        if not is_approver_for(actor, locked):
            raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị gửi được duyệt thông báo."), code="approval_forbidden")
        locked.status, locked.decided_by, locked.decided_at = target, actor, timezone.now()
        locked.decision_note = (note or "").strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        _audit(actor, action + ("d" if action.endswith("e") else "ed"), locked, note=locked.decision_note)
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
        locked = _lock(broadcast.pk)
        target = _check(locked, "cancel", actor)
        if locked.created_by_id != actor.pk and not is_approver_for(actor, locked):
            raise PermissionDenied(_("Chỉ người soạn hoặc lãnh đạo được hủy thông báo."), code="cancel_forbidden")
        # The status filter is re-checked under the row lock, so a message a worker has just
        # claimed (sending) is left alone.
        cancelled = Message.objects.filter(broadcast=locked, status__in=CANCELLABLE_MESSAGE_STATUSES).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
        now = timezone.now()
        locked.status, locked.cancelled_by, locked.cancelled_at = target, actor, now
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
        _audit(actor, "cancelled", locked, messages_cancelled=cancelled, note=(note or "").strip())
    return locked


# --- sending -----------------------------------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _resolve_recipients(broadcast: Broadcast) -> int:
    """Write one BroadcastRecipient per distinct phone (the lowest person id wins); returns the count.

    One INSERT … SELECT: a province's audience never travels through Python (bulk_create of
    100,000 rows took a minute on the bench machine; this takes seconds).
    """
    units = list(broadcast.units.values_list("pk", flat=True))
    hamlets = list(broadcast.hamlets.values_list("pk", flat=True))
    ok = BroadcastRecipient.State.OK
    if broadcast.audience == Audience.CSV:
        # Someone may have opted out between upload and sending.
        BroadcastRecipient.objects.filter(broadcast=broadcast, state=ok, phone__in=opted_out_phones()).update(
            state=BroadcastRecipient.State.OPTED_OUT, error=_("Đã từ chối nhận thông báo diện rộng")
        )
        return BroadcastRecipient.objects.filter(broadcast=broadcast, state=ok).count()
    BroadcastRecipient.objects.filter(broadcast=broadcast).delete()
    rows = audience_rows(audience=broadcast.audience, unit_ids=units, hamlet_ids=hamlets).order_by()
    inner_sql, inner_params = rows.query.sql_with_params()
    sql = (
        f"INSERT INTO {_table(BroadcastRecipient)} "
        "(broadcast_id, person_id, name, phone, unit_id, hamlet_id, state, error) "
        "SELECT %s, person_id, COALESCE(name, ''), contact, unit_id, hamlet_id, %s, '' FROM ("
        "SELECT sub.*, ROW_NUMBER() OVER (PARTITION BY sub.contact ORDER BY sub.person_id) AS rn "
        f"FROM ({inner_sql}) sub) ranked WHERE rn = 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [broadcast.pk, ok, *inner_params])
        return cursor.rowcount


def _enqueue(broadcast: Broadcast, now: datetime.datetime) -> int:
    """One outbox row per good recipient, in one INSERT … SELECT; an existing dedupe key is kept."""
    text = message_text(body=broadcast.body, unaccented=broadcast.unaccented)
    segments = sms.segments(text).segments
    params_json = Message._meta.get_field("params").get_db_prep_save({}, connection)
    sql = (
        f"INSERT INTO {_table(Message)} "
        "(created_at, updated_at, person_id, channel, recipient, event, subject_type, subject_id, subject, body, "
        "params, urgent, broadcast_id, status, attempts, claimed_by, provider, provider_message_id, last_error, "
        "segments, cost, dedupe_key) "
        "SELECT %s, %s, person_id, 'sms', phone, 'broadcast', 'broadcast', %s, %s, %s, "
        "%s, %s, broadcast_id, %s, 0, '', '', '', '', %s, %s, %s || phone "
        f"FROM {_table(BroadcastRecipient)} WHERE broadcast_id = %s AND state = %s ORDER BY id "
        "ON CONFLICT (dedupe_key) DO NOTHING"
    )
    params = [
        now,
        now,
        str(broadcast.pk),
        broadcast.title[:255],
        text,
        params_json,
        False,
        MessageStatus.CREATED,
        segments,
        sms.cost(segments),
        f"broadcast:{broadcast.pk}:",
        broadcast.pk,
        BroadcastRecipient.State.OK,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def broadcast_start(*, broadcast_id: int, now: datetime.datetime | None = None) -> int | None:
    """Resolve the audience and enqueue every message, in one transaction. Returns the count
    enqueued, or None when the broadcast was not startable (already started, cancelled, not due).

    Called by `broadcasts_dispatch` when an approved broadcast's time has come; a broadcast
    that is no longer approved (cancelled meanwhile) is left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(broadcast_id)
        if "start" not in TRANSITIONS.get(locked.status, {}):
            return None
        if locked.scheduled_at and locked.scheduled_at > now:
            return None
        count = _resolve_recipients(locked)
        enqueued = _enqueue(locked, now)
        segments = sms.segments(message_text(body=locked.body, unaccented=locked.unaccented)).segments
        locked.status, locked.started_at = TRANSITIONS[locked.status]["start"], now
        locked.recipient_count, locked.segments_per_message = count, segments
        locked.estimated_cost = sms.cost(segments, count)
        locked.save(
            update_fields=[
                "status",
                "started_at",
                "recipient_count",
                "segments_per_message",
                "estimated_cost",
                "updated_at",
            ]
        )
        _audit(None, "started", locked, recipients=count, enqueued=enqueued)
    return enqueued


def broadcast_finish_if_done(*, broadcast_id: int, now: datetime.datetime | None = None) -> bool:
    """Mark a sending broadcast done once no message of it is pending on our side."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(broadcast_id)
        if "finish" not in TRANSITIONS.get(locked.status, {}):
            return False
        if Message.objects.filter(broadcast=locked, status__in=PENDING_STATUSES).exists():
            return False
        locked.status, locked.finished_at = TRANSITIONS[locked.status]["finish"], now
        locked.save(update_fields=["status", "finished_at", "updated_at"])
        _audit(None, "finished", locked)
    return True


def broadcasts_dispatch(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic entry point: start what is due, close what is finished. Safe to run twice."""
    now = now or timezone.now()
    started = finished = enqueued = 0
    due = Broadcast.objects.filter(status=BroadcastStatus.APPROVED).exclude(scheduled_at__gt=now)
    for pk in list(due.order_by("scheduled_at", "id").values_list("pk", flat=True)):
        count = broadcast_start(broadcast_id=pk, now=now)
        if count is not None:
            started += 1
            enqueued += count
    for pk in list(Broadcast.objects.filter(status=BroadcastStatus.SENDING).values_list("pk", flat=True)):
        finished += broadcast_finish_if_done(broadcast_id=pk, now=now)
    return {"started": started, "enqueued": enqueued, "finished": finished}


__all__ = [
    "broadcast_approve",
    "broadcast_cancel",
    "broadcast_create",
    "broadcast_csv_upload",
    "broadcast_finish_if_done",
    "broadcast_reject",
    "broadcast_start",
    "broadcast_submit",
    "broadcast_update",
    "broadcasts_dispatch",
]
