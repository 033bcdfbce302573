"""The A4 poster an office prints and pins up: one field's procedures, each with its QR code and name."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from . import selectors
from .models import AgencyLevel, Field
from .qr import procedure_qr_png_data_uri

# Four pixels per module, drawn without smoothing (image-rendering: pixelated), prints as sharp as a
# vector and keeps each code a few hundred bytes.
POSTER_QR_SCALE = 4
POSTER_COLUMNS = 2


def _rows(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def field_poster_html(
    *, field: Field, level: str | None = None, office_name: str | None = None, today: datetime.date | None = None
) -> str:
    """The poster as HTML (WeasyPrint's input); split out so the layout can be looked at in a browser."""
    procedures = selectors.procedure_list_public(field=field, level=level)
    cards = [{"procedure": p, "qr": procedure_qr_png_data_uri(p, scale=POSTER_QR_SCALE)} for p in procedures]
    title = _("Danh mục thủ tục hành chính – Lĩnh vực %(field)s") % {"field": field.name}
    return render_to_string(
        "catalog/poster.html",
        {
            "title": title,
            "field": field,
            "level_label": AgencyLevel(level).label if level else "",
            "office_name": office_name or "",
            "rows": _rows(cards, POSTER_COLUMNS),
            "count": len(cards),
            "public_base_url": settings.PUBLIC_BASE_URL,
            "today": today or timezone.localdate(),
        },
    )


def field_poster_pdf(*, field: Field, level: str | None = None, office_name: str | None = None) -> bytes:
    """A4 portrait PDF of the field's active procedures (optionally one level), fonts embedded."""
    html = field_poster_html(field=field, level=level, office_name=office_name)
    font_config = FontConfiguration()
    return HTML(string=html, base_url=settings.PUBLIC_BASE_URL).write_pdf(font_config=font_config)
