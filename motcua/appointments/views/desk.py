"""Check-in pages: the kiosk's "Tôi đã đặt lịch" page (code typed or QR scanned) and the officer's
desk page (code entered by the officer; today's bookings of the offices the officer covers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from motcua.core import scope
from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice

from .. import qr, selectors, services
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
    context = {"error": "", "done": None, "code": ""}
    if request.method == "POST":
        context["code"] = request.POST.get("ma", "")
        try:
            found = selectors.booking_for_officer(user, context["code"])
            context["done"] = services.booking_check_in(booking=found, office=found.office, actor=user, role=OFFICER)
        except DomainError as exc:
            context["error"] = exc.message
    today = timezone.localdate()
    context["today"] = selectors.bookings_for_officer(user).filter(day=today).order_by("slot_start", "id")[:200]
    return render(request, "appointments/desk.html", context)
