"""Signing an issued document: the signer's certificate, then the agency's seal, where Decree 30 puts them.

Appendix I (electronic documents): the signer's signature image sits over the signer's name, in the
signature space; the agency's signature (the digital seal) sits over about a third of it, to its
left. We find the signer's name on the last page, place the signer's stamp above it and the seal's
box a third to the left. Both signatures go through `signing.services.signing.pdf_sign`, so each is
a SignedDocument whose token the public verification page knows.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.signing.models import SignedDocument
from motcua.signing.services.signing import agency_certificate, certificate_for_actor, pdf_sign
from motcua.signing.signers import STAMP_SIZE, stamp_box_for

Box = tuple[int, int, int, int]


def _name_position(pdf_bytes: bytes, name: str) -> tuple[float, float] | None:
    """(x, y) in points of the signer's name on the last page, or None."""
    from pypdf import PdfReader

    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if name and text.strip() and text.strip() in name and len(text.strip()) >= 3:
            # the text matrix's origin through the current transformation matrix (WeasyPrint flips y)
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    try:
        PdfReader(io.BytesIO(pdf_bytes)).pages[-1].extract_text(visitor_text=visit)
    except Exception:  # an unusual file falls back to the default stamp place
        return None
    return found[-1] if found else None


def signature_boxes(pdf_bytes: bytes, signer_name: str) -> tuple[Box, Box]:
    """The signer's box over the signature space and the seal's box overlapping its left third."""
    width, height = 200, STAMP_SIZE[1] - 10  # fits the 30 mm signature space under the position
    where = _name_position(pdf_bytes, signer_name)
    if where is None:
        signer = stamp_box_for(pdf_bytes)
    else:
        x, y = where
        centre = min(max(x + 40, 300), 460)
        left = int(centre - width / 2)
        signer = (left, int(y + 14), left + width, int(y + 14 + height))
    # The seal's stamp is narrower and covers the left third of the signer's.
    seal_right = signer[0] + (signer[2] - signer[0]) // 3
    seal = (seal_right - 140, signer[1], seal_right, signer[3])
    return signer, seal


def sign_issued(document, pdf_bytes: bytes) -> bytes:
    """Sign with the signer's own certificate, then the agency's seal; returns the signed PDF.

    The signer approved the text; their key is used in their name at issue (`actor` = the signer,
    as `pdf_sign` demands for a personal certificate). Raises DomainError 409 `signer_certificate_missing`
    or `seal_certificate_missing` when either is not on file, and whatever `pdf_sign` raises.
    """
    signer = document.signer
    personal = certificate_for_actor(signer) if signer is not None else None
    if personal is None:
        raise DomainError(
            _("Người ký chưa có chứng thư số còn hiệu lực."), code="signer_certificate_missing", status=409
        )
    seal = agency_certificate(document.agency_id)
    if seal is None:
        raise DomainError(
            _("Cơ quan ban hành chưa có chứng thư số (con dấu số) còn hiệu lực."),
            code="seal_certificate_missing",
            status=409,
        )
    from motcua.core.text import display_name

    signer_box, seal_box = signature_boxes(pdf_bytes, display_name(signer))
    label = document.code or document.title[:80]
    first = pdf_sign(
        pdf_bytes=pdf_bytes,
        certificate=personal,
        actor=signer,
        kind=SignedDocument.Kind.OFFICIAL,
        reason=_("Ký ban hành văn bản %(code)s") % {"code": label},
        organisation=document.agency.name,
        box=signer_box,
    )
    second = pdf_sign(
        pdf_bytes=first.signed_bytes,
        certificate=seal,
        actor=None,
        kind=SignedDocument.Kind.OFFICIAL,
        reason=_("Đóng dấu số của cơ quan trên văn bản %(code)s") % {"code": label},
        organisation=document.agency.name,
        box=seal_box,
    )
    return second.signed_bytes


def issued_pdf(document) -> bytes:
    """The PDF filed at issue: the national layout, signed by the signer and sealed when both
    certificates are on file (an agency without them issues an unsigned PDF, which an outside
    recipient will refuse)."""
    from motcua.documents.layout.render import render_pdf
    from motcua.signing.services.signing import agency_certificate, certificate_for_actor

    pdf = render_pdf(document)
    if document.signer is None or certificate_for_actor(document.signer) is None:
        return pdf
    if agency_certificate(document.agency_id) is None:
        return pdf
    return sign_issued(document, pdf)
