"""The QR printed on the confirmation: the kiosk check-in address with the booking code."""

import segno
from django.conf import settings
from django.urls import reverse

from .models import Booking


def checkin_url(booking: Booking) -> str:
    path = reverse("appointments:checkin", args=[booking.office_id])
    return f"{settings.PUBLIC_BASE_URL}{path}?ma={booking.code}"


def checkin_qr(booking: Booking) -> segno.QRCode:
    # Medium error correction, as the catalog's posters: survives a cracked phone screen.
    return segno.make_qr(checkin_url(booking), error="m", boost_error=False)


def checkin_qr_svg(booking: Booking) -> str:
    """Inline SVG of `checkin_url` for the confirmation page."""
    return checkin_qr(booking).svg_inline(scale=5, border=4)


def code_from_scan(text: str) -> str:
    """What the kiosk's input got: a typed code, or the whole QR text (the address with ?ma=CODE)."""
    text = (text or "").strip()
    if "ma=" in text:
        text = text.split("ma=", 1)[1].split("&", 1)[0]
    return text
