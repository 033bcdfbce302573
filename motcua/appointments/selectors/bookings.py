"""Bookings, read by who may see them.

- a citizen: the bookings made for their person or by their account (`bookings_of_citizen`);
- anyone holding the code and the phone number it was made with (`booking_by_code`): the lookup
  page, the API, the switchboard; the phone is the second factor, so a code alone reveals nothing;
- an officer: the bookings of the offices of agencies their roles cover (`core.scope`).
Outside scope is "not found", never "forbidden".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.identity import normalize_phone_or_none

from ..models import Booking

# The group's policy too: every listed booking shows its check-in window (`services.checkin_window`).
_RELATED = ("office", "group", "group__booking_policy", "procedure", "ticket")


def clean_code(code: str) -> str:
    """Codes are read aloud and typed on phones: case and spaces do not matter."""
    return "".join((code or "").split()).upper()[:8]


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy lịch hẹn với mã và số điện thoại này."), code="booking_not_found")


def booking_by_code(code: str, phone: str) -> Booking:
    """The booking with this code when `phone` is the one it was made with."""
    phone = normalize_phone_or_none(phone or "")
    booking = Booking.objects.select_related(*_RELATED).filter(code=clean_code(code)).first()
    if booking is None or not phone or booking.phone != phone:
        raise _not_found()
    return booking


def bookings_of_citizen(user) -> QuerySet[Booking]:
    if not scope.is_signed_in(user):
        return Booking.objects.none()
    condition = Q(created_by=user)
    if user.person_id:
        condition |= Q(person_id=user.person_id)
    return Booking.objects.filter(condition).select_related(*_RELATED).order_by("-slot_start", "-id")


def booking_for_citizen(user, code: str) -> Booking:
    booking = bookings_of_citizen(user).filter(code=clean_code(code)).first()
    if booking is None:
        raise NotFound(_("Không tìm thấy lịch hẹn."), code="booking_not_found")
    return booking


def bookings_for_officer(user) -> QuerySet[Booking]:
    """Bookings at the offices of the agencies the officer covers (every office for a superuser)."""
    if not scope.is_signed_in(user):
        return Booking.objects.none()
    rows = Booking.objects.select_related(*_RELATED, "person")
    if user.is_superuser:
        return rows
    if not scope.is_officer(user):
        return Booking.objects.none()
    return rows.filter(office__agency__in=scope.covered_agencies(user))


def booking_for_officer(user, code: str) -> Booking:
    booking = bookings_for_officer(user).filter(code=clean_code(code)).first()
    if booking is None:
        raise NotFound(_("Không tìm thấy lịch hẹn có mã này tại đơn vị của bạn."), code="booking_not_found")
    return booking


def booking_for_visitor(user, code: str, proven_codes) -> Booking:
    """The booking page's read: a code this browser proved (booked here, or looked up with the
    phone: kept in the session), or one of the signed-in citizen's own bookings."""
    code = clean_code(code)
    if code in set(proven_codes or ()):
        booking = Booking.objects.select_related(*_RELATED).filter(code=code).first()
        if booking is not None:
            return booking
    return booking_for_citizen(user, code)


def booking_for_kiosk(office, code: str) -> Booking:
    """The kiosk at `office` reads only that office's bookings, by code (the citizen is there)."""
    booking = Booking.objects.select_related(*_RELATED).filter(code=clean_code(code), office=office).first()
    if booking is None:
        other = Booking.objects.select_related("office").filter(code=clean_code(code)).first()
        if other is not None:
            raise NotFound(
                _("Mã lịch hẹn này đặt tại %(office)s, không phải tại đây.") % {"office": other.office.name},
                code="booking_wrong_office",
            )
        raise NotFound(_("Không tìm thấy lịch hẹn có mã này."), code="booking_not_found")
    return booking
