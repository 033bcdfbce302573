"""The visible part of a signature: a box with the verification QR, who signed and when.

Drawn by WeasyPrint (Noto Sans through fontconfig, so Vietnamese diacritics shape correctly) as a
one-page PDF the size of the signature box; pyHanko then places that page as the field's
appearance. The QR is a PNG (segno) so it prints crisp and can be read back from the file.
"""

from __future__ import annotations

import base64
import datetime
import io
from html import escape

import segno
from django.utils import timezone

from motcua.signing.signers import STAMP_BOX

_CSS = """
@page { size: %(w)spt %(h)spt; margin: 0 }
html, body { margin: 0; padding: 0 }
body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 7pt; line-height: 1.3; color: #0b3d91 }
.box { box-sizing: border-box; width: %(w)spt; height: %(h)spt; border: 1pt solid #0b3d91; border-radius: 3pt;
       padding: 3pt; display: flex; gap: 5pt; align-items: center; background: #fff }
.qr { width: %(qr)spt; height: %(qr)spt; flex: none; image-rendering: pixelated }
.t { overflow: hidden }
.h { font-weight: bold; font-size: 7.5pt; color: #b00020; text-transform: uppercase }
.n { font-weight: bold; font-size: 8pt }
.d { font-weight: bold; color: #b00020 }
"""


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def appearance_pdf(
    *, signer_name: str, organisation: str, signed_at: datetime.datetime, url: str, box=STAMP_BOX, demo: bool = False
) -> bytes:
    """`demo`: the certificate chains to a demo root; the stamp says it has no legal value."""
    from weasyprint import HTML  # heavy import, only when a document is signed

    width, height = box[2] - box[0], box[3] - box[1]
    qr = height - 8
    when = timezone.localtime(signed_at).strftime("%H:%M:%S ngày %d/%m/%Y")
    png = base64.b64encode(qr_png(url)).decode("ascii")
    lines = [
        '<div class="h">Đã ký số</div>',
        '<div class="d">Chứng thư thử nghiệm, không có giá trị pháp lý</div>' if demo else "",
        f'<div class="n">{escape(signer_name)}</div>',
        f"<div>{escape(organisation)}</div>" if organisation else "",
        f"<div>Thời gian ký: {escape(when)}</div>",
        "<div>Quét mã QR để xác thực</div>",
    ]
    html = (
        f"<!doctype html><html lang=vi><meta charset=utf-8><style>{_CSS % {'w': width, 'h': height, 'qr': qr}}</style>"
        f'<div class="box"><img class="qr" alt="" src="data:image/png;base64,{png}">'
        f'<div class="t">{"".join(lines)}</div></div></html>'
    )
    return HTML(string=html).write_pdf()
