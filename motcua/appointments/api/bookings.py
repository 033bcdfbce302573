"""Appointments API: what can be booked, book, look up by code, cancel, move, check in.

Error codes (JSON {"code", "message"}, Vietnamese message):
404 office_not_found, group_not_found, booking_not_found;
409 booking_closed, slot_closed, slot_full, person_limit, booking_past, booking_too_early,
booking_too_late, booking_wrong_office, action_not_allowed;
403 no_show_blocked; 401 unauthenticated;
422 slot_invalid, day_out_of_range, day_off, same_slot, name_required, name_too_long, invalid_phone,
contact_required, procedure_invalid, otp_required, validation_error;
400 otp_invalid, otp_expired, otp_used, otp_attempts; 429 otp_cooldown, otp_daily_cap.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from motcua.catalog.models import Procedure
from motcua.core import calendar, scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import OneStopOffice, Role
from motcua.queue.models import ServiceGroup
from motcua.schemas import ErrorOut, column_text
from motcua.verification.models import OtpPurpose
from motcua.verification.services.otp import mask_phone, otp_issue, otp_verify

from .. import selectors, services
from ..models import Booking, BookingChannel
from ..services.machine import OFFICER, OWNER

router = Router(tags=["Đặt lịch hẹn"])


class BookingOfficeOut(Schema):
    id: int
    name: str
    address: str


class BookingGroupOut(Schema):
    id: int
    office_id: int
    code: str
    name: str
    slot_minutes: int
    days_ahead: int


class BookingSlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    free: int


class BookingOut(Schema):
    code: str
    status: str
    status_label: str
    channel: str
    office_id: int
    office_name: str
    group_id: int
    group_name: str
    slot_start: datetime.datetime
    slot_end: datetime.datetime
    name: str
    phone: str = Field(..., description="Đã che bớt.")
    ticket_code: str | None = None
    checkin_from: datetime.datetime
    checkin_until: datetime.datetime


class BookingOtpIn(Schema):
    phone: column_text(Booking, "name")


class BookingOtpOut(Schema):
    sent_to: str


class BookIn(Schema):
    group_id: int
    slot_start: datetime.datetime
    name: column_text(Booking, "name") = ""
    phone: column_text(Booking, "name") = ""
    otp_code: str = Field("", max_length=12, description="Mã xác thực gửi tới số điện thoại (khi chưa đăng nhập).")
    procedure_id: int | None = None


class BookingPhoneIn(Schema):
    phone: column_text(Booking, "name")


class BookingMoveIn(BookingPhoneIn):
    slot_start: datetime.datetime


class BookingCheckInIn(Schema):
    office_id: int
    phone: column_text(Booking, "name") = Field("", description="Bắt buộc khi không phải cán bộ đăng nhập.")


class BookingDayQuery(Schema):
    day: datetime.date


def booking_out(booking: Booking) -> dict:
    start, until = services.checkin_window(booking)
    return {
        "code": booking.code,
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "channel": booking.channel,
        "office_id": booking.office_id,
        "office_name": booking.office.name,
        "group_id": booking.group_id,
        "group_name": booking.group.name,
        "slot_start": calendar.as_local(booking.slot_start),
        "slot_end": calendar.as_local(booking.slot_end),
        "name": booking.name,
        "phone": mask_phone(booking.phone) if booking.phone else "",
        "ticket_code": booking.ticket.code if booking.ticket_id else None,
        "checkin_from": calendar.as_local(start),
        "checkin_until": calendar.as_local(until),
    }


def _group(group_id: int) -> ServiceGroup:
    group = selectors.bookable_groups().filter(pk=group_id).first()
    if group is None:
        raise NotFound(code="group_not_found")
    return group


@router.get("/appointments/offices", response=list[BookingOfficeOut], summary="Bộ phận một cửa nhận đặt lịch")
def offices(request):
    return [{"id": o.pk, "name": o.name, "address": o.address} for o in selectors.bookable_offices()]


@router.get(
    "/appointments/offices/{office_id}/groups",
    response={200: list[BookingGroupOut], 404: ErrorOut},
    summary="Nhóm dịch vụ nhận đặt lịch của một bộ phận một cửa",
)
def groups(request, office_id: int):
    office = OneStopOffice.objects.filter(pk=office_id, is_active=True).first()
    if office is None:
        raise NotFound(code="office_not_found")
    return [
        {
            "id": g.pk,
            "office_id": g.office_id,
            "code": g.code,
            "name": g.name,
            "slot_minutes": g.booking_policy.slot_minutes,
            "days_ahead": g.booking_policy.days_ahead,
        }
        for g in selectors.bookable_groups(office)
    ]


@router.get(
    "/appointments/groups/{group_id}/days", response={200: list[datetime.date], 404: ErrorOut}, summary="Ngày còn chỗ"
)
def days(request, group_id: int):
    return selectors.bookable_days(_group(group_id))


@router.get(
    "/appointments/groups/{group_id}/slots",
    response={200: list[BookingSlotOut], 404: ErrorOut},
    summary="Khung giờ của một ngày (kể cả khung đã đủ người: free = 0)",
)
def slots_of_day(request, group_id: int, query: Query[BookingDayQuery]):
    return [
        {"start": calendar.as_local(s.start), "end": calendar.as_local(s.end), "capacity": s.capacity, "free": s.free}
        for s in selectors.free_slots(_group(group_id), query.day)
    ]


@router.post(
    "/appointments/otp",
    response={202: BookingOtpOut, 422: ErrorOut, 429: ErrorOut},
    summary="Gửi mã xác thực tới số điện thoại để đặt lịch khi chưa đăng nhập",
)
def request_code(request, payload: BookingOtpIn):
    otp = otp_issue(purpose=OtpPurpose.BOOKING, phone=payload.phone, request=request)
    return Status(202, {"sent_to": mask_phone(otp.phone)})


@router.post(
    "/appointments/bookings",
    response={201: BookingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Đặt lịch (đã đăng nhập, số điện thoại + mã xác thực, hoặc cán bộ đặt giúp công dân)",
)
def book(request, payload: BookIn):
    group = _group(payload.group_id)
    procedure = None
    if payload.procedure_id is not None:
        procedure = Procedure.objects.filter(pk=payload.procedure_id).first()
        if procedure is None:
            raise DomainError("Thủ tục không tồn tại.", code="procedure_invalid", status=422)
    user = request.user
    if scope.is_signed_in(user) and (user.is_superuser or scope.is_officer(user)):
        # An officer books for a citizen: at the desk (a follow-up visit) or as a team member's
        # assisted booking; the citizen's name and phone are required, the officer is `created_by`.
        desk = user.is_superuser or scope.has_role(user, {Role.RECEPTIONIST})
        booking = services.book(
            group=group,
            slot_start=payload.slot_start,
            channel=BookingChannel.DESK if desk else BookingChannel.ASSISTED,
            name=payload.name,
            phone=payload.phone,
            procedure=procedure,
            actor=user,
        )
    elif scope.is_signed_in(user) and user.person_id:
        booking = services.book(
            group=group,
            slot_start=payload.slot_start,
            channel=BookingChannel.PORTAL,
            name=payload.name or user.person.full_name,
            phone=payload.phone,
            person=user.person,
            procedure=procedure,
            actor=user,
        )
    else:
        if not payload.phone or not payload.otp_code:
            raise DomainError(
                "Cần đăng nhập, hoặc nhập số điện thoại và mã xác thực đã gửi tới số đó.",
                code="otp_required",
                status=422,
            )
        # The code is used up outside the booking's transaction (a wrong try counts even if the
        # booking is then refused).
        otp_verify(purpose=OtpPurpose.BOOKING, phone=payload.phone, code=payload.otp_code)
        booking = services.book(
            group=group,
            slot_start=payload.slot_start,
            channel=BookingChannel.PORTAL_OTP,
            name=payload.name,
            phone=payload.phone,
            procedure=procedure,
        )
    return Status(201, booking_out(booking))


@router.get(
    "/appointments/mine", auth=django_auth, response={200: list[BookingOut], 401: ErrorOut}, summary="Lịch hẹn của tôi"
)
def mine(request):
    return [booking_out(b) for b in selectors.bookings_of_citizen(request.user)[:100]]


@router.get(
    "/appointments/bookings/{code}",
    response={200: BookingOut, 404: ErrorOut},
    summary="Tra cứu lịch hẹn bằng mã và số điện thoại",
)
def lookup(request, code: str, query: Query[BookingPhoneIn]):
    return booking_out(selectors.booking_by_code(code, query.phone))


@router.post(
    "/appointments/bookings/{code}/cancel",
    response={200: BookingOut, 404: ErrorOut, 409: ErrorOut},
    summary="Hủy lịch hẹn",
)
def cancel(request, code: str, payload: BookingPhoneIn):
    booking = selectors.booking_by_code(code, payload.phone)
    return booking_out(services.booking_cancel(booking=booking, role=OWNER))


@router.post(
    "/appointments/bookings/{code}/move",
    response={200: BookingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Đổi giờ hẹn (giữ nguyên mã)",
)
def move(request, code: str, payload: BookingMoveIn):
    booking = selectors.booking_by_code(code, payload.phone)
    return booking_out(services.booking_move(booking=booking, slot_start=payload.slot_start, role=OWNER))


@router.post(
    "/appointments/bookings/{code}/check-in",
    response={200: BookingOut, 404: ErrorOut, 409: ErrorOut},
    summary="Xác nhận đến (cấp số thứ tự theo giờ hẹn): cán bộ bằng mã, công dân bằng mã và số điện thoại",
)
def check_in(request, code: str, payload: BookingCheckInIn):
    office = OneStopOffice.objects.filter(pk=payload.office_id, is_active=True).first()
    if office is None:
        raise NotFound(code="office_not_found")
    user = request.user
    if scope.is_signed_in(user) and (user.is_superuser or scope.is_officer(user)):
        booking, role = selectors.booking_for_officer(user, code), OFFICER
    else:
        booking, role = selectors.booking_by_code(code, payload.phone), OWNER
    with transaction.atomic():
        booking = services.booking_check_in(booking=booking, office=office, actor=user, role=role)
    return booking_out(booking)
