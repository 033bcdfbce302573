"""The QR code on a queue slip: the address of the ticket's follow page (same settings as the
procedure posters' codes in catalog.qr: medium error correction, standard quiet zone)."""

import io

import segno
from django.conf import settings
from django.urls import reverse

_ERROR = "m"
_BORDER = 4


def follow_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("queue:follow", args=[token])


def follow_qr_svg(token: str) -> str:
    """An inline SVG (no XML declaration, scalable) of the follow page's QR code."""
    out = io.BytesIO()
    segno.make_qr(follow_url(token), error=_ERROR, boost_error=False).save(
        out, kind="svg", scale=4, border=_BORDER, xmldecl=False, svgns=True, omitsize=True, title=None
    )
    return out.getvalue().decode("utf-8")
