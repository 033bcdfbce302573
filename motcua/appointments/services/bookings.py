"""Booking writes: create (every channel), cancel, move.

Every booking of a group takes the lock on the group's `BookingPolicy` row first, so the places
left in a slot, the per-person daily limit and the no-show limit are counted one booking at a
time (two people pressing "confirm" for the last place: one gets it, the other is told it is
full). One transaction per action; an event row and an audit row with each change; the
confirmation goes into the outbox in the same transaction.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone
from motcua.core.transitions import audit_record, row_lock

from .. import slots
from ..models import ACTIVE_STATUSES, Booking, BookingChannel, BookingEvent, BookingPolicy, BookingStatus
from . import notices
from .machine import MACHINE, OWNER

# No 0/O, 1/I: codes are read aloud on the phone and typed from SMS.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NAME_MAX = Booking._meta.get_field("name").max_length


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _error(code: str, message: str, status: int = 409, **details) -> DomainError:
    return DomainError(message, code=code, status=status, details=details or None)


def _lock_policy(group) -> BookingPolicy:
    policy = (
        BookingPolicy.objects.select_for_update(of=("self",))
        .select_related("group", "group__office")
        .filter(group_id=group.pk)
        .first()
    )
    if policy is None or not policy.is_enabled or not policy.group.is_active or not policy.group.office.is_active:
        raise _error("booking_closed", _("Nhóm dịch vụ này hiện không nhận đặt lịch."))
    return policy


def _clean_phone(phone: str) -> str:
    if not (phone or "").strip():
        return ""
    try:
        return normalize_phone(phone)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_phone", status=422)


def _check_slot(policy: BookingPolicy, slot_start, now) -> tuple[datetime.datetime, datetime.datetime]:
    """(start, end) of the slot `slot_start` names, or the refusal that says why it cannot be had."""
    if not isinstance(slot_start, datetime.datetime):
        raise _error("slot_invalid", _("Giờ hẹn không hợp lệ."), 422)
    start = calendar.as_local(slot_start)
    day = start.date()
    first, last = slots.day_range(policy, now)
    if not first <= day <= last:
        raise _error(
            "day_out_of_range",
            _("Chỉ đặt được lịch từ hôm nay đến %(days)d ngày tới.") % {"days": policy.days_ahead},
            422,
        )
    if not calendar.is_working_day(day):
        raise _error("day_off", _("Ngày %(day)s là ngày nghỉ, không nhận lịch hẹn.") % {"day": f"{day:%d/%m/%Y}"}, 422)
    match = next((pair for pair in slots.day_slot_times(day, policy.slot_minutes) if pair[0] == start), None)
    if match is None:
        raise _error("slot_invalid", _("Giờ hẹn không nằm trong các khung giờ nhận lịch."), 422)
    if not slots.is_open(start, policy, now):
        raise _error(
            "slot_closed",
            _("Khung giờ này đã hết hạn đặt (phải đặt trước giờ hẹn ít nhất %(minutes)d phút).")
            % {"minutes": policy.cutoff_minutes},
        )
    return match


def _check_capacity(policy: BookingPolicy, start, *, exclude=None) -> None:
    taken = Booking.objects.filter(group_id=policy.group_id, slot_start=start, status__in=ACTIVE_STATUSES)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.count() >= slots.policy_capacity(policy):
        raise _error("slot_full", _("Khung giờ này đã đủ người. Vui lòng chọn giờ khác."))


def _same_person(person, phone) -> Q:
    condition = Q(pk__in=[])
    if person is not None:
        condition |= Q(person=person)
    if phone:
        condition |= Q(phone=phone)
    return condition


def _check_person_day(policy: BookingPolicy, day, person, phone, *, exclude=None) -> None:
    who = _same_person(person, phone)
    rows = Booking.objects.filter(who, group__office_id=policy.group.office_id, day=day).filter(
        status__in=(BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if rows.count() >= policy.max_per_person_per_day:
        raise _error(
            "person_limit",
            _("Mỗi người chỉ được đặt %(n)d lịch hẹn trong một ngày tại bộ phận một cửa này.")
            % {"n": policy.max_per_person_per_day},
        )


def no_show_block_until(policy: BookingPolicy, person, phone, now) -> datetime.datetime | None:
    """When repeated no-shows stop this person booking: the end of the block, or None.

    Blocked while, for some no-show L, there are at least `no_show_limit` no-shows in the
    `no_show_window_days` ending at L and `now` is less than `no_show_block_days` after L.
    """
    if not policy.no_show_limit or (person is None and not phone):
        return None
    window = datetime.timedelta(days=policy.no_show_window_days)
    block = datetime.timedelta(days=policy.no_show_block_days)
    times = list(
        Booking.objects.filter(
            _same_person(person, phone), status=BookingStatus.NO_SHOW, slot_start__gt=now - window - block
        )
        .order_by("-slot_start")
        .values_list("slot_start", flat=True)
    )
    for latest in times:
        if now >= latest + block:
            break
        if sum(1 for t in times if latest - window < t <= latest) >= policy.no_show_limit:
            return latest + block
    return None


def _check_no_shows(policy, person, phone, now) -> None:
    until = no_show_block_until(policy, person, phone, now)
    if until is not None:
        raise _error(
            "no_show_blocked",
            _(
                "Ông/bà đã vắng mặt %(n)d lần trong %(days)d ngày mà không hủy lịch, nên tạm thời không đặt "
                "lịch được đến ngày %(until)s. Vui lòng đến trực tiếp bộ phận một cửa để lấy số thứ tự."
            )
            % {
                "n": policy.no_show_limit,
                "days": policy.no_show_window_days,
                "until": f"{calendar.as_local(until):%d/%m/%Y}",
            },
            403,
            until=until.isoformat(),
        )


def event_write(booking: Booking, *, action: str, actor=None, from_status="", note="", data=None) -> BookingEvent:
    return BookingEvent.objects.create(
        booking=booking,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=booking.status,
        note=note,
        data=data or {},
    )


def booking_create(
    *,
    group,
    slot_start: datetime.datetime,
    channel: str,
    name: str,
    phone: str = "",
    person=None,
    procedure=None,
    actor=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `slot_start` at `group` for a person (or a phone number); any channel.

    Refusals (DomainError codes): booking_closed, channel_invalid, name_required, name_too_long,
    invalid_phone, contact_required, procedure_invalid, day_out_of_range, day_off, slot_invalid,
    slot_closed, slot_full, person_limit, no_show_blocked.
    """
    now = now or timezone.now()
    if channel not in BookingChannel.values:
        raise _error("channel_invalid", _("Kênh đặt lịch không hợp lệ."), 422)
    name = " ".join((name or (person.full_name if person is not None else "")).split())
    if not name:
        raise _error("name_required", _("Vui lòng nhập họ và tên người đến làm thủ tục."), 422)
    if len(name) > NAME_MAX:
        raise _error("name_too_long", _("Họ và tên dài quá %(max)d ký tự.") % {"max": NAME_MAX}, 422)
    phone = _clean_phone(phone) or (person.phone if person is not None else "")
    if person is None and not phone:
        raise _error("contact_required", _("Cần số điện thoại để gửi mã lịch hẹn và lời nhắc."), 422)
    with transaction.atomic():
        policy = _lock_policy(group)
        listed = policy.group.procedures
        if procedure is not None and listed.exists() and not listed.filter(pk=procedure.pk).exists():
            raise _error("procedure_invalid", _("Thủ tục này không thuộc nhóm dịch vụ đã chọn."), 422)
        start, end = _check_slot(policy, slot_start, now)
        _check_no_shows(policy, person, phone, now)
        _check_person_day(policy, start.date(), person, phone)
        _check_capacity(policy, start)
        booking = None
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(
                        code=new_code(),
                        office_id=policy.group.office_id,
                        group=policy.group,
                        day=start.date(),
                        slot_start=start,
                        slot_end=end,
                        channel=channel,
                        person=person,
                        phone=phone,
                        name=name,
                        procedure=procedure,
                        created_by=actor if getattr(actor, "pk", None) else None,
                    )
                break
            except IntegrityError:
                continue  # a code already taken: draw again
        if booking is None:
            raise _error("code_unavailable", _("Không tạo được mã lịch hẹn, vui lòng thử lại."), 503)
        event_write(booking, action="book", actor=actor, data={"channel": channel, "slot_start": start.isoformat()})
        audit_record(
            actor=actor, action="appointment.book", obj=booking, data={"code": booking.code, "channel": channel}
        )
        notices.confirmation(booking)
    return booking


# The name the other helpers (switchboard, assistant) call.
book = booking_create


def _act(booking_id: int, action: str, role: str):
    booking = row_lock(Booking, booking_id, related=("group", "office"), not_found="booking_not_found")
    reason = MACHINE.permits(booking.status, action, {role})
    if reason:
        raise MACHINE.refusal(action=action, reason=reason, status_label=booking.get_status_display())
    return booking


def booking_cancel(
    *, booking: Booking, actor=None, role: str = OWNER, reason: str = "", notify: bool = True, now=None
) -> Booking:
    """Cancel a booking that has not happened yet; its place is free again at once."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _act(booking.pk, "cancel", role)
        if role == OWNER and booking.slot_start <= now:
            raise _error("booking_past", _("Giờ hẹn đã qua, không hủy được lịch hẹn này."))
        old = booking.status
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        event_write(booking, action="cancel", actor=actor, from_status=old, note=reason)
        audit_record(actor=actor, action="appointment.cancel", obj=booking, data={"code": booking.code, "role": role})
        if notify:
            notices.cancelled(booking, reason=reason or _("theo yêu cầu"))
    return booking


def booking_move(
    *, booking: Booking, slot_start: datetime.datetime, actor=None, role: str = OWNER, now=None
) -> Booking:
    """Move a booking to another slot of the same group; the code stays, reminders start over."""
    now = now or timezone.now()
    with transaction.atomic():
        policy = _lock_policy(booking.group)
        booking = _act(booking.pk, "move", role)
        start, end = _check_slot(policy, slot_start, now)
        if start == booking.slot_start:
            raise _error("same_slot", _("Lịch hẹn đang ở đúng khung giờ này."), 422)
        _check_person_day(policy, start.date(), booking.person, booking.phone, exclude=booking)
        _check_capacity(policy, start, exclude=booking)
        old_start = booking.slot_start
        booking.slot_start, booking.slot_end, booking.day = start, end, start.date()
        booking.day_reminder_at = booking.hour_reminder_at = None
        booking.save(
            update_fields=["slot_start", "slot_end", "day", "day_reminder_at", "hour_reminder_at", "updated_at"]
        )
        event_write(
            booking,
            action="move",
            actor=actor,
            from_status=booking.status,
            data={"from": old_start.isoformat(), "to": start.isoformat()},
        )
        audit_record(actor=actor, action="appointment.move", obj=booking, data={"code": booking.code})
        notices.confirmation(booking, key=f"moved:{start.isoformat()}")
    return booking
