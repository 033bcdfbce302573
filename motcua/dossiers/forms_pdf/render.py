"""HTML → PDF for the official forms: WeasyPrint with embedded Noto Sans (DejaVu Sans as fallback)."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration


def when(moment: datetime.datetime | None) -> str:
    """'14 giờ 30 phút, ngày 15 tháng 3 năm 2026' — the wording the official forms use."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(h)02d giờ %(m)02d phút, ngày %(d)02d tháng %(mo)02d năm %(y)d") % {
        "h": local.hour,
        "m": local.minute,
        "d": local.day,
        "mo": local.month,
        "y": local.year,
    }


def day(moment: datetime.datetime | datetime.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return moment.strftime("%d/%m/%Y")


def place_date(agency, moment: datetime.datetime | None = None) -> str:
    """'Cà Mau, ngày 15 tháng 3 năm 2026' under the motto: the agency's place, today's date."""
    local = timezone.localtime(moment or timezone.now())
    place = agency.unit.name if getattr(agency, "unit", None) else ""
    for prefix in ("Tỉnh ", "Thành phố ", "Xã ", "Phường ", "Đặc khu "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
            break
    text = _("ngày %(d)02d tháng %(mo)02d năm %(y)d") % {"d": local.day, "mo": local.month, "y": local.year}
    return f"{place}, {text}" if place else text.capitalize()


def agency_header(agency) -> dict:
    """Top-left of every form: the superior body (if any) over the agency, both in capitals."""
    return {
        "parent": agency.parent.name.upper() if agency.parent_id else "",
        "name": agency.name.upper(),
    }


def render_pdf(template: str, context: dict, *, landscape: bool = False) -> bytes:
    html = render_to_string(template, {"landscape": landscape, **context})
    return HTML(string=html, base_url=settings.PUBLIC_BASE_URL).write_pdf(font_config=FontConfiguration())
