"""The standard one-stop forms as PDF (layouts after Circular 01/2018/TT-VPCP, as updated).

Mẫu 01 receipt and appointment, 02 supplement request, 03 refusal, 04 apology and new date,
05 processing control slip, 06 tracking book. Each function takes a dossier whose access the caller
has already checked, and returns PDF bytes. A form that does not apply to the dossier (not received,
no supplement request, no refusal, no apology) raises DomainError `form_not_available` (409).

Which forms apply is decided once, by `forms_available` (pages, API and the PDF endpoint use it):
a form is never linked that would answer 409.
"""

from __future__ import annotations

import datetime

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice
from motcua.core.text import display_name
from motcua.dossiers.models import ApologyLetter, DocumentKind, Dossier, DossierStep
from motcua.dossiers.selectors.lookup import lookup_url
from motcua.dossiers.selectors.stats import tracking_book_rows

from .render import agency_header, day, place_date, render_pdf, when

# The QR on the receipt: medium error correction survives a creased slip; 6 px a module reads well
# from a phone camera and from the PNG embedded in the PDF.
QR_SCALE = 6
QR_BORDER = 4

REFUSAL_ACTIONS = ("refuse_intake", "refuse_after_appraisal")

# URL slug -> (function name, label); the applicant may download those marked public.
FORMS = {
    "giay-tiep-nhan": ("receipt_pdf", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), True),
    "yeu-cau-bo-sung": ("supplement_request_pdf", gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), True),
    "tu-choi": ("refusal_pdf", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), True),
    "xin-loi": ("apology_pdf", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), True),
    "kiem-soat": ("control_slip_pdf", gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"), False),
}


def _not_available(label) -> DomainError:
    return DomainError(
        _("Hồ sơ này không có %(form)s.") % {"form": str(label).lower()}, code="form_not_available", status=409
    )


def _not_received() -> DomainError:
    return DomainError(
        _(
            "Hồ sơ chưa được tiếp nhận hoặc đã bị từ chối tiếp nhận nên không có giấy tiếp nhận hồ sơ và hẹn trả "
            "kết quả."
        ),
        code="form_not_available",
        status=409,
    )


def _form_applies(dossier: Dossier, slug: str) -> bool:
    if slug in ("giay-tiep-nhan", "kiem-soat"):
        # Received (an appointment date exists). Refused at intake, or still waiting at the desk: no slip.
        return dossier.received_at is not None
    if slug == "yeu-cau-bo-sung":
        return dossier.supplement_requests.exists()
    if slug == "tu-choi":
        return dossier.events.filter(action__in=REFUSAL_ACTIONS).exists()
    if slug == "xin-loi":
        return ApologyLetter.objects.filter(dossier=dossier).exists()
    return False


def forms_available(dossier: Dossier, *, officer: bool) -> list[tuple[str, str]]:
    """(slug, label) of the forms that apply to `dossier` now, for its applicant or (`officer`) its officers."""
    return [
        (slug, str(label))
        for slug, (_fn, label, public) in FORMS.items()
        if (public or officer) and _form_applies(dossier, slug)
    ]


def _base(dossier: Dossier, form_no: str) -> dict:
    agency = dossier.receiving_agency
    return {
        "dossier": dossier,
        "form_no": form_no,
        "header": agency_header(agency),
        "place_date": place_date(agency),
        "office_name": dossier.office.name if dossier.office_id else _("Bộ phận Một cửa"),
        "procedure_name": (dossier.procedure_snapshot or {}).get("name") or dossier.procedure.name,
    }


def receipt_qr_png_data_uri(dossier: Dossier) -> str:
    return segno.make_qr(lookup_url(dossier.code), error="m", boost_error=False).png_data_uri(
        scale=QR_SCALE, border=QR_BORDER
    )


def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR to the public lookup."""
    if not _form_applies(dossier, "giay-tiep-nhan"):
        raise _not_received()

    documents = [
        {
            "name": document.name,
            "originals": document.required_document.originals if document.required_document_id else None,
            "copies": document.required_document.copies if document.required_document_id else None,
            "paper": document.paper_received,
            "digitised": document.is_digitised or bool(document.file),
        }
        for document in dossier.documents.filter(kind=DocumentKind.INPUT).select_related("required_document")
    ]
    return render_pdf(
        "dossiers/forms/receipt.html",
        {
            **_base(dossier, "01"),
            "documents": documents,
            "received_when": when(dossier.received_at),
            "due_when": when(dossier.apology_due_at or dossier.due_at),
            "delivery": dossier.get_result_delivery_display(),
            "qr": receipt_qr_png_data_uri(dossier),
            "lookup_url": lookup_url(dossier.code),
        },
    )


def supplement_request_pdf(dossier: Dossier) -> bytes:
    """Mẫu 02: the latest supplement request's complete list."""
    request = dossier.supplement_requests.order_by("-created_at", "-id").first()
    if request is None:
        raise _not_available(FORMS["yeu-cau-bo-sung"][1])
    items = [
        item if isinstance(item, str) else item.get("name") or item.get("text") or str(item)
        for item in (request.items or [])
    ]
    return render_pdf(
        "dossiers/forms/supplement.html",
        {
            **_base(dossier, "02"),
            "request": request,
            "items": items,
            "requested_on": day(request.created_at),
            "received_on": day(dossier.received_at or dossier.submitted_at),
            "officer": display_name(request.requested_by) if request.requested_by_id else "",
            "desk_phone": desk_phone(dossier),
        },
    )


def refusal_pdf(dossier: Dossier) -> bytes:
    """Mẫu 03: the reason is the note of the event that refused the dossier."""
    event = dossier.events.filter(action__in=REFUSAL_ACTIONS).select_related("actor").order_by("-at", "-id").first()
    if event is None:
        raise _not_available(FORMS["tu-choi"][1])
    return render_pdf(
        "dossiers/forms/refusal.html",
        {
            **_base(dossier, "03"),
            "reason": event.note or event.data.get("reason", ""),
            "refused_on": day(event.at),
            "received_on": day(dossier.received_at or dossier.submitted_at),
            "officer": display_name(event.actor) if event.actor_id else "",
        },
    )


def apology_pdf(dossier: Dossier) -> bytes:
    """Mẫu 04: apology with the one new date."""
    letter = getattr(dossier, "apology", None)
    if letter is None:
        raise _not_available(FORMS["xin-loi"][1])
    return render_pdf(
        "dossiers/forms/apology.html",
        {
            **_base(dossier, "04"),
            "letter": letter,
            "received_when": when(dossier.received_at),
            "due_when": when(dossier.due_at),
            "new_due_when": when(letter.new_due_at),
        },
    )


def desk_phone(dossier: Dossier) -> str:
    """The desk's contact phone for the applicant: the one-stop office's, else its agency's."""
    if dossier.office_id and dossier.office.phone:
        return dossier.office.phone
    return dossier.receiving_agency.phone or ""


def _step_party(step: DossierStep | None, dossier: Dossier) -> str:
    if step is None:
        return _("Bộ phận Một cửa")
    who = display_name(step.assignee) if step.assignee_id else ""
    return f"{step.agency.name} – {who}" if who else step.agency.name


def control_slip_pdf(dossier: Dossier) -> bytes:
    """Mẫu 05: each handover between steps, when it happened, who, and whether the step kept its time."""
    if not _form_applies(dossier, "kiem-soat"):
        raise _not_received()
    steps = list(dossier.steps.select_related("agency", "assignee").order_by("order", "id"))
    handovers = {
        event.step_id: event
        for event in dossier.events.filter(step__isnull=False).select_related("actor").order_by("at", "id")
    }
    rows, previous = [], None
    for step in steps:
        if step.finished_at and step.due_at:
            result = _("Đúng hạn") if step.finished_at <= step.due_at else _("Quá hạn")
        elif step.due_at and step.state == DossierStep.State.ACTIVE and step.due_at < timezone.now():
            result = _("Quá hạn")
        elif step.state == DossierStep.State.ACTIVE:
            result = _("Đang xử lý")
        else:
            result = ""
        event = handovers.get(step.pk)
        rows.append(
            {
                "step": step,
                "from": _step_party(previous, dossier),
                "to": _step_party(step, dossier),
                "started": when(step.started_at),
                "finished": when(step.finished_at),
                "officer": display_name(event.actor) if event and event.actor_id else "",
                "result": result,
            }
        )
        if step.state != DossierStep.State.PENDING:
            previous = step
    return render_pdf(
        "dossiers/forms/control_slip.html",
        {
            **_base(dossier, "05"),
            "rows": rows,
            "received_when": when(dossier.received_at),
            "due_when": when(dossier.due_at),
        },
    )


def tracking_book_pdf(*, office: OneStopOffice, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """Mẫu 06: Sổ theo dõi hồ sơ of one office over a period, A4 landscape."""
    rows = tracking_book_rows(office=office, date_from=date_from, date_to=date_to)
    return render_pdf(
        "dossiers/forms/tracking_book.html",
        {
            "form_no": "06",
            "header": agency_header(office.agency),
            "office": office,
            "period": _("Từ ngày %(start)s đến ngày %(end)s") % {"start": day(date_from), "end": day(date_to)},
            "rows": [
                {
                    "dossier": d,
                    "received": day(d.received_at),
                    "due": day(d.apology_due_at or d.due_at),
                    "resolved": day(d.resolved_at),
                    "returned": day(d.returned_at),
                }
                for d in rows
            ],
        },
        landscape=True,
    )


def form_pdf(dossier: Dossier, form: str) -> bytes:
    """The form named by its URL slug (see FORMS)."""
    import sys

    entry = FORMS.get(form)
    if entry is None:
        raise DomainError(_("Biểu mẫu không tồn tại."), code="form_not_found", status=404)
    return getattr(sys.modules[__name__], entry[0])(dossier)


__all__ = [
    "FORMS",
    "apology_pdf",
    "control_slip_pdf",
    "form_pdf",
    "forms_available",
    "receipt_pdf",
    "receipt_qr_png_data_uri",
    "refusal_pdf",
    "supplement_request_pdf",
    "tracking_book_pdf",
]
