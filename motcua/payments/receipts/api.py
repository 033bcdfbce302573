"""E-receipts API: list (scoped), one receipt, its PDF, cancel, replace, and the public check by token.

Error codes (JSON {"code", "message"}): unauthenticated (401), forbidden (403, not a cashier of the
receipt's agency), receipt_not_found (404, also outside the reader's scope), receipt_not_issued (409,
already cancelled or replaced), reason_required / receipt_items_invalid / receipt_amount_mismatch /
payer_name_required (400), validation_error (422).
"""

from __future__ import annotations

import datetime

from django.http import FileResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from motcua.schemas import ErrorOut

from ..models import Receipt, ReceiptStatus
from . import selectors
from .pdf import verify_url
from .services import receipt_cancel, receipt_pdf_ensure, receipt_replace
from .words import amount_in_words

router = Router(tags=["Biên lai điện tử"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_LIMIT = 200


class ReceiptItemOut(Schema):
    name: str
    amount: int = Field(..., description="Đồng.")


class ReceiptOut(Schema):
    id: int
    agency: str
    form: str = Field(..., description="Ký hiệu mẫu biên lai, ví dụ 01BLP0-001.")
    symbol: str = Field(..., description="Ký hiệu biên lai, ví dụ BL-26E.")
    number: str = Field(..., description="Số biên lai, 7 chữ số.")
    issued_at: datetime.datetime
    status: str
    status_label: str
    payer_name: str
    payer_address: str
    dossier_code: str | None
    method: str
    items: list[ReceiptItemOut]
    amount: int
    amount_in_words: str
    cancel_reason: str
    cancelled_at: datetime.datetime | None
    replaces_id: int | None
    replaced_by_id: int | None
    verify_url: str
    pdf_sha256: str


class ReceiptListOut(Schema):
    items: list[ReceiptOut]
    count: int


class ReceiptFilter(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: ReceiptStatus | None = None
    dossier: str | None = Field(None, description="Mã hồ sơ.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class CancelIn(Schema):
    reason: str = Field(..., max_length=500)


class ReplaceItemIn(Schema):
    name: str = Field(..., max_length=255)
    amount: int


class ReplaceIn(Schema):
    reason: str = Field(..., max_length=500)
    payer_name: str | None = Field(None, max_length=255)
    payer_address: str | None = Field(None, max_length=255)
    payer_personal_id: str | None = Field(None, max_length=14)
    items: list[ReplaceItemIn] | None = Field(
        None, description="Bỏ trống để giữ nguyên; tổng phải bằng số tiền đã nộp."
    )


class VerifyOut(Schema):
    genuine: bool
    status: str
    status_label: str
    agency: str
    form: str
    symbol: str
    number: str
    amount: int
    issued_at: datetime.datetime
    payer_masked: str = Field(..., description="Tên người nộp đã che, ví dụ T*** T** M**.")
    cancel_reason: str
    cancelled_at: datetime.datetime | None
    replaced_by: str | None
    replaces: str | None
    pdf_sha256: str
    tax_code: str = Field("", description="Mã số thuế của đơn vị thu, như in trên biên lai.")


def _successors(receipts: list[Receipt]) -> dict[int, int]:
    """{receipt id: id of the receipt that replaced it}, in one query for a whole page."""
    return dict(Receipt.objects.filter(replaces__in=receipts).values_list("replaces_id", "pk"))


def _out(receipt: Receipt, successors: dict[int, int] | None = None) -> dict:
    if successors is None:
        successors = _successors([receipt])
    successor = successors.get(receipt.pk)
    return {
        "id": receipt.pk,
        "agency": receipt.series.agency.name,
        "form": receipt.series.form,
        "symbol": receipt.series.symbol,
        "number": f"{receipt.number:07d}",
        "issued_at": receipt.issued_at,
        "status": receipt.status,
        "status_label": receipt.get_status_display(),
        "payer_name": receipt.payer_name,
        "payer_address": receipt.payer_address,
        "dossier_code": receipt.dossier.code if receipt.dossier_id else None,
        "method": receipt.method,
        "items": [{"name": str(i.get("name", "")), "amount": int(i.get("amount") or 0)} for i in receipt.items],
        "amount": receipt.amount,
        "amount_in_words": amount_in_words(receipt.amount),
        "cancel_reason": receipt.cancel_reason,
        "cancelled_at": receipt.cancelled_at,
        "replaces_id": receipt.replaces_id,
        "replaced_by_id": successor,
        "verify_url": verify_url(receipt),
        "pdf_sha256": receipt.pdf_sha256,
    }


@router.get(
    "/receipts/verify/{token}",
    response={200: VerifyOut, 404: ErrorOut},
    auth=None,
    summary="Kiểm tra biên lai theo mã QR (công khai)",
)
def receipt_verify(request, token: str):
    result = selectors.receipt_verify(token)
    return {k: v for k, v in result.__dict__.items() if k != "amount_text"}


@router.get(
    "/receipts",
    response={200: ReceiptListOut, **ERRORS},
    summary="Danh sách biên lai",
)
def receipt_list(request, filters: Query[ReceiptFilter]):
    receipts = selectors.receipt_list_for(
        request.auth,
        date_from=filters.date_from,
        date_to=filters.date_to,
        status=filters.status.value if filters.status else None,
        dossier_code=filters.dossier,
    )
    page = list(receipts[filters.offset : filters.offset + filters.limit])
    successors = _successors(page)
    return {"items": [_out(r, successors) for r in page], "count": receipts.count()}


@router.get(
    "/receipts/{int:receipt_id}",
    response={200: ReceiptOut, **ERRORS},
    summary="Một biên lai",
)
def receipt_get(request, receipt_id: int):
    return _out(selectors.receipt_get_for(request.auth, receipt_id))


@router.get(
    "/receipts/{int:receipt_id}/pdf",
    response={200: None, **ERRORS},
    summary="Tệp PDF của biên lai",
    openapi_extra={
        "responses": {
            200: {
                "description": "PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def receipt_pdf_download(request, receipt_id: int):
    receipt = receipt_pdf_ensure(selectors.receipt_get_for(request.auth, receipt_id))
    name = f"bien-lai-{receipt.series.symbol}-{receipt.number:07d}.pdf"
    return FileResponse(receipt.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@router.post(
    "/receipts/{int:receipt_id}/cancel",
    response={200: ReceiptOut, **ERRORS},
    summary="Hủy biên lai (thu ngân)",
)
def receipt_cancel_api(request, receipt_id: int, payload: CancelIn):
    receipt = selectors.receipt_get_for(request.auth, receipt_id)
    receipt = receipt_cancel(receipt=receipt, actor=request.auth, reason=payload.reason)
    return _out(selectors.receipt_get_for(request.auth, receipt.pk))


@router.post(
    "/receipts/{int:receipt_id}/replace",
    response={201: ReceiptOut, **ERRORS},
    summary="Lập biên lai thay thế (thu ngân)",
)
def receipt_replace_api(request, receipt_id: int, payload: ReplaceIn):
    receipt = selectors.receipt_get_for(request.auth, receipt_id)
    new = receipt_replace(
        receipt=receipt,
        actor=request.auth,
        reason=payload.reason,
        payer_name=payload.payer_name,
        payer_address=payload.payer_address,
        payer_personal_id=payload.payer_personal_id,
        items=[item.dict() for item in payload.items] if payload.items is not None else None,
    )
    return Status(201, _out(selectors.receipt_get_for(request.auth, new.pk)))
