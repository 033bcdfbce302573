"""QR codes that lead a citizen from a printed poster or a counter to a procedure's public page."""

import io

import segno
from django.conf import settings

from .models import Procedure

# Medium error correction survives a smudged or creased printout while keeping the code small
# enough (version 3–4 for our URLs) to scan from a cheap phone camera at arm's length.
_ERROR = "m"
# The quiet zone the QR standard asks for; smaller borders fail on busy posters.
_BORDER = 4


def procedure_public_url(procedure: Procedure) -> str:
    """The absolute address of the procedure's page, as printed and encoded in its QR code."""
    return settings.PUBLIC_BASE_URL + procedure.get_absolute_url()


def _procedure_qr(procedure: Procedure) -> segno.QRCode:
    return segno.make_qr(procedure_public_url(procedure), error=_ERROR, boost_error=False)


def procedure_qr_svg(procedure: Procedure) -> str:
    """A standalone SVG document (with XML declaration) of the procedure's QR code."""
    out = io.BytesIO()
    _procedure_qr(procedure).save(
        out,
        kind="svg",
        scale=4,
        border=_BORDER,
        title=procedure.code,
        svgclass=None,
        lineclass=None,
        # A viewBox without a fixed size lets the page (or a print shop) scale it sharply to any size.
        omitsize=True,
    )
    return out.getvalue().decode("utf-8")


def procedure_qr_png(procedure: Procedure, scale: int = 10) -> bytes:
    """The procedure's QR code as a PNG, `scale` pixels per module."""
    out = io.BytesIO()
    _procedure_qr(procedure).save(out, kind="png", scale=scale, border=_BORDER)
    return out.getvalue()


def procedure_qr_png_data_uri(procedure: Procedure, scale: int = 10) -> str:
    """PNG data URI for embedding in a printed document (the poster)."""
    return _procedure_qr(procedure).png_data_uri(scale=scale, border=_BORDER)
