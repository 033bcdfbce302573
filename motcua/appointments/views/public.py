"""Citizens' booking pages: office → group → day → slot → confirm; the booking page (code, QR,
cancel, move); "Tra cứu lịch hẹn" (code + phone). Plain forms, no JavaScript needed.

A browser that booked, or looked a booking up with its phone number, keeps the code in its
session (`SESSION_KEY`); that, or being the signed-in owner, opens the booking page.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import calendar, scope
from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice
from motcua.core.shortcuts import found_or_404
from motcua.verification.models import OtpPurpose
from motcua.verification.services.otp import mask_phone, otp_issue, otp_verify

from .. import qr, selectors, services
from ..models import BookingChannel, BookingStatus
from ..services.machine import OWNER

SESSION_KEY = "appointments_codes"
SESSION_MAX = 20


def remember(request, code: str) -> None:
    """This browser proved `code` (booked it, here or in the assistant's chat, or looked it up)."""
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = [*codes, code][-SESSION_MAX:]


def _group_or_404(group_id: int):
    group = selectors.bookable_groups().filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


def _parse_day(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def _parse_moment(text: str | None) -> datetime.datetime | None:
    # A "+07:00" typed into an address arrives as " 07:00" (a plus is a space in a query string).
    try:
        moment = datetime.datetime.fromisoformat((text or "").strip().replace(" ", "+"))
    except ValueError:
        return None
    return calendar.as_local(moment)


def index(request):
    mine = selectors.bookings_of_citizen(request.user).filter(status=BookingStatus.BOOKED)[:10]
    return render(request, "appointments/index.html", {"offices": selectors.bookable_offices(), "mine": mine})


def office(request, office_id: int):
    found = OneStopOffice.objects.filter(pk=office_id, is_active=True).first()
    if found is None:
        raise Http404
    return render(request, "appointments/office.html", {"office": found, "groups": selectors.bookable_groups(found)})


def group(request, group_id: int):
    chosen = _group_or_404(group_id)
    days = selectors.bookable_days(chosen)
    day = _parse_day(request.GET.get("ngay"))
    slots = selectors.free_slots(chosen, day) if day else []
    return render(
        request,
        "appointments/group.html",
        {"group": chosen, "days": days, "day": day, "slots": slots, "move_code": request.GET.get("doi", "")},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, group_id: int):
    chosen = _group_or_404(group_id)
    start = _parse_moment(request.POST.get("gio") or request.GET.get("gio"))
    if start is None:
        return redirect("appointments:group", group_id=chosen.pk)
    user = request.user
    signed_in = scope.is_signed_in(user) and user.person_id is not None
    context = {
        "group": chosen,
        "start": start,
        "start_value": start.isoformat(),
        "signed_in": signed_in,
        "name": request.POST.get("ho_ten", user.person.full_name if signed_in else ""),
        "phone": request.POST.get("dien_thoai", ""),
        "error": "",
        "code_sent_to": "",
    }
    if request.method == "POST":
        try:
            if request.POST.get("buoc") == "gui_ma" and not signed_in:
                otp = otp_issue(purpose=OtpPurpose.BOOKING, phone=context["phone"], request=request)
                context["code_sent_to"] = mask_phone(otp.phone)
            else:
                booking = _book(request, chosen, start, context, signed_in)
                remember(request, booking.code)
                return redirect("appointments:booking", code=booking.code)
        except DomainError as exc:
            context["error"] = exc.message
            context["code_sent_to"] = request.POST.get("da_gui", "")
    return render(request, "appointments/confirm.html", context)


def _book(request, group, start, context, signed_in):
    user = request.user
    if signed_in:
        return services.book(
            group=group,
            slot_start=start,
            channel=BookingChannel.PORTAL,
            name=context["name"],
            phone=context["phone"],
            person=user.person,
            actor=user,
        )
    if not context["phone"].strip():
        raise DomainError(_("Vui lòng nhập số điện thoại và bấm “Gửi mã xác thực”."), code="otp_required", status=422)
    otp_verify(purpose=OtpPurpose.BOOKING, phone=context["phone"], code=request.POST.get("ma_xac_thuc", ""))
    return services.book(
        group=group, slot_start=start, channel=BookingChannel.PORTAL_OTP, name=context["name"], phone=context["phone"]
    )


def _visible(request, code: str):
    return found_or_404(selectors.booking_for_visitor, request.user, code, request.session.get(SESSION_KEY, []))


def booking(request, code: str):
    found = _visible(request, code)
    start, until = services.checkin_window(found)
    return render(
        request,
        "appointments/booking.html",
        {
            "booking": found,
            "qr_svg": qr.checkin_qr_svg(found),
            "checkin_url": qr.checkin_url(found),
            "checkin_from": start,
            "checkin_until": until,
            "can_change": found.status == BookingStatus.BOOKED,
        },
    )


@require_POST
def cancel(request, code: str):
    found = _visible(request, code)
    try:
        services.booking_cancel(booking=found, actor=request.user, role=OWNER)
    except DomainError as exc:
        return render(request, "appointments/refused.html", {"message": exc.message, "booking": found}, status=409)
    return redirect("appointments:booking", code=found.code)


@require_POST
def move(request, code: str):
    found = _visible(request, code)
    start = _parse_moment(request.POST.get("gio"))
    try:
        if start is None:
            raise DomainError(_("Vui lòng chọn giờ hẹn mới."), code="slot_invalid", status=422)
        services.booking_move(booking=found, slot_start=start, actor=request.user, role=OWNER)
    except DomainError as exc:
        return render(request, "appointments/refused.html", {"message": exc.message, "booking": found}, status=409)
    return redirect("appointments:booking", code=found.code)


@require_http_methods(["GET", "POST"])
def lookup(request):
    context = {"error": "", "code": request.POST.get("ma", ""), "phone": ""}
    if request.method == "POST":
        try:
            found = selectors.booking_by_code(request.POST.get("ma", ""), request.POST.get("dien_thoai", ""))
        except DomainError as exc:
            context["error"] = exc.message
        else:
            remember(request, found.code)
            return redirect(reverse("appointments:booking", args=[found.code]))
    return render(request, "appointments/lookup.html", context)
