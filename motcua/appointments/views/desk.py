"""Check-in pages: the kiosk's "Tôi đã đặt lịch" page (code typed or QR scanned) and the officer's
desk page (code entered by the officer; today's bookings of the offices the officer covers)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import calendar, scope
from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice
from motcua.core.shortcuts import id_param

from .. import qr, selectors, services
from ..models import BookingChannel
from ..services.machine import OFFICER, OWNER


@require_http_methods(["GET", "POST"])
def checkin(request, office_id: int):
    office = OneStopOffice.objects.filter(pk=office_id, is_active=True).first()
    if office is None:
        raise Http404
    context = {"office": office, "code": qr.code_from_scan(request.GET.get("ma", "")), "error": "", "booking": None}
    if request.method == "POST":
        code = qr.code_from_scan(request.POST.get("ma", ""))
        context["code"] = code
        try:
            found = selectors.booking_for_kiosk(office, code)
            context["booking"] = services.booking_check_in(booking=found, office=office, role=OWNER)
        except DomainError as exc:
            context["error"] = exc.message
    return render(request, "appointments/checkin.html", context, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def desk(request):
    user = request.user
    if not (user.is_superuser or scope.is_officer(user)):
        raise Http404
    groups = selectors.bookable_groups_for_officer(user)
    context = {"error": "", "done": None, "booked": None, "code": "", "groups": groups, "form": request.POST}
    if request.method == "POST":
        try:
            if request.POST.get("buoc") == "dat":
                context["booked"] = _book_for_citizen(request, groups)
            else:
                context["code"] = request.POST.get("ma", "")
                found = selectors.booking_for_officer(user, context["code"])
                context["done"] = services.booking_check_in(
                    booking=found, office=found.office, actor=user, role=OFFICER
                )
        except DomainError as exc:
            context["error"] = exc.message
    today = timezone.localdate()
    context["today"] = selectors.bookings_for_officer(user).filter(day=today).order_by("slot_start", "id")[:200]
    return render(request, "appointments/desk.html", context)


def _book_for_citizen(request, groups):
    """A follow-up visit booked at the desk: group of the officer's offices, a slot, name and phone."""
    group = groups.filter(pk=id_param(request.POST.get("nhom"))).first()
    if group is None:
        raise DomainError(_("Vui lòng chọn nhóm thủ tục."), code="group_not_found", status=422)
    try:
        start = calendar.as_local(datetime.datetime.fromisoformat(request.POST.get("gio", "")))
    except ValueError:
        raise DomainError(_("Vui lòng chọn ngày giờ hẹn."), code="slot_invalid", status=422) from None
    return services.book(
        group=group,
        slot_start=start,
        channel=BookingChannel.DESK,
        name=request.POST.get("ho_ten", ""),
        phone=request.POST.get("dien_thoai", ""),
        actor=request.user,
    )
