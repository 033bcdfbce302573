"""HTML → PDF of an outgoing document in the Decree 30 Appendix I layout (WeasyPrint, as the forms).

The parts, where Appendix I puts them: national motto and slogan top right over the place and date;
the superior body and the issuing body top left over "Số: …"; the type and summary centred (an
official letter, công văn, has its summary "V/v …" under its number instead); the body; "Nơi nhận"
bottom left; the signing authority, position, signature space and name bottom right.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.text import display_name
from motcua.dossiers.forms_pdf.render import agency_header, place_date

# Urgency is printed under the number (Appendix I, position 10b); "normal" prints nothing.
_URGENCY = {"urgent": "KHẨN", "very_urgent": "THƯỢNG KHẨN", "flash": "HỎA TỐC"}


@dataclass
class Layout:
    agency_name: str
    code_display: str  # "15/QĐ-UBND", or "     /QĐ-UBND" before the number is given
    type_name: str  # "Quyết định"
    summary: str
    place_date: str  # "Tân Thành, ngày 07 tháng 12 năm 2026"
    signer_position: str
    signer_name: str
    parent_name: str = ""
    competence: str = ""  # "TM. ỦY BAN NHÂN DÂN"
    about: str = ""  # công văn: "V/v …" under the number, no centred title
    urgency_label: str = ""
    paragraphs: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def _code_display(document) -> str:
    if document.code:
        return document.code
    office = getattr(document.agency, "document_office", None)
    abbreviation = getattr(office, "abbreviation", "") if office else ""
    in_code = getattr(document.doc_type, "in_code", document.doc_type.code != "CV")
    notation = "-".join(p for p in (document.doc_type.code if in_code else "", abbreviation) if p)
    return "\u00a0" * 6 + f"/{notation}"


def layout_of(document, *, on: datetime.datetime | None = None) -> Layout:
    """Read an OutgoingDocument into the layout's plain data."""
    header = agency_header(document.agency)
    is_letter = not getattr(document.doc_type, "in_code", document.doc_type.code != "CV")
    summary = document.summary or document.title
    recipients = [line.strip(" -;") for line in (document.recipients_text or "").splitlines() if line.strip(" -;")]
    if not any(line.startswith("Lưu") for line in recipients):
        recipients.append(_("Lưu: VT"))
    return Layout(
        agency_name=header["name"],
        parent_name=header["parent"],
        code_display=_code_display(document),
        type_name=document.doc_type.name,
        summary=summary,
        about=summary if is_letter else "",
        place_date=place_date(document.agency, on or document.issued_at or timezone.now()),
        competence=getattr(document, "competence", ""),
        signer_position=document.signer_position,
        signer_name=display_name(document.signer),
        urgency_label=_URGENCY.get(document.urgency, ""),
        paragraphs=[p.strip() for p in (document.body or "").split("\n") if p.strip()],
        recipients=[f"{line};" if not line.endswith((";", ".")) else line for line in recipients],
    )


def render_layout(layout: Layout) -> bytes:
    from weasyprint import HTML  # heavy import, only when a document is drawn
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string("documents/layout/official.html", {"d": layout})
    return HTML(string=html).write_pdf(font_config=FontConfiguration())


def render_pdf(document) -> bytes:
    """The document's PDF in the national layout (the contract the documents app calls at issue)."""
    return render_layout(layout_of(document))
