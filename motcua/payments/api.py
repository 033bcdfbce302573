"""Payments API: a dossier's payment request, its VietQR code, cash at the desk, unmatched money.

Errors are JSON {"code", "message"}: unauthenticated (401), payment_request_forbidden / cash_forbidden
(403), payment_request_not_found / payment_not_found / dossier_not_found (404), payment_request_closed /
payment_not_unmatched / not_overpaid (409), amount_invalid / nothing_due / items_invalid / fee_item_unknown /
amount_not_editable / exemption_reason_required / note_required (400), validation_error (422).
Requests and payments outside the reader's scope are 404, like ones that do not exist.
"""

from __future__ import annotations

import base64
import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from motcua.core.errors import DomainError, PermissionDenied
from motcua.dossiers.selectors import dossier_get_for
from motcua.schemas import ErrorOut, column_text

from . import selectors
from .models import Payment, PaymentRequest
from .services.apply import payment_assign, payment_refund
from .services.cash import cash_record
from .services.requests import overpayment_refund, payment_request_ask, payment_request_cancel
from .services.vietqr import collection_account_for, payload_for, payload_for_request, qr_png, qr_svg

router = Router(tags=["Thanh toán – phí, lệ phí"], auth=django_auth)
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ItemOut(Schema):
    """One line of the assessment (requests made before fee schedules had structure carry fewer fields)."""

    name: str
    amount: int = Field(..., description="Số tiền phải nộp của khoản này (0 nếu được miễn), đồng.")
    index: int | None = Field(None, description="Vị trí khoản trong biểu phí của thủ tục (từ 0).")
    kind: Literal["base", "alternative", "extra"] | None = Field(
        None, description="base: luôn thu; alternative: phương án đã chọn trong nhóm; extra: khoản thu thêm"
    )
    group: str = ""
    condition: str = Field("", description="Trường hợp áp dụng của phương án, khoản thu thêm.")
    per_unit: str = ""
    legal_basis: str = ""
    list_amount: int | None = Field(None, description="Mức thu trong biểu phí (trước mức giảm tạm thời).")
    unit_amount: int | None = None
    quantity: int | None = None
    full_amount: int | None = None
    exempt: bool = False
    exemption: str = ""
    exemption_basis: str = Field("", description="Căn cứ miễn.")
    overridden: bool = False
    reduced: bool = Field(False, description="Đã áp dụng mức giảm tạm thời.")
    reduction_basis: str = ""


class PaymentOut(Schema):
    id: int
    method: str
    status: str
    amount: int
    external_id: str | None
    payer_name: str
    description: str
    received_at: datetime.datetime
    request: str | None = Field(None, description="Mã thanh toán của yêu cầu (nếu có).")
    resolution_note: str = ""

    @staticmethod
    def resolve_request(payment: Payment) -> str | None:
        return payment.request.reference if payment.request_id else None


class RequestOut(Schema):
    reference: str
    dossier: str
    agency: str
    status: str
    status_label: str
    items: list[ItemOut]
    amount_due: int
    amount_paid: int
    amount_outstanding: int
    note: str
    change_reason: str = Field("", description="Khác mức thu mặc định ở đâu, và lý do cán bộ ghi.")
    created_at: datetime.datetime
    paid_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    payments: list[PaymentOut] = []


class ItemIn(Schema):
    index: int | None = Field(None, description="Vị trí khoản thu trong danh mục phí của thủ tục (từ 0).")
    name: str | None = None
    quantity: int = 1
    exempt: bool = False
    exemption: str = Field("", description="Đối tượng được miễn (bắt buộc khi exempt).")
    exemption_basis: str = Field("", description="Căn cứ miễn (mặc định: căn cứ ghi trong biểu phí).")
    amount: int | None = Field(None, description="Mức thu khác, chỉ với khoản do địa phương quy định.")


class RequestIn(Schema):
    items: list[ItemIn] | None = Field(
        None, description="Bỏ trống: mức mặc định (phương án theo thông tin hồ sơ, không có khoản thu thêm)."
    )
    amount: int | None = Field(None, description="Tổng số tiền (khi không liệt kê khoản thu).")
    note: str = ""
    reason: str = Field("", description="Lý do khi chọn khác mức mặc định (bắt buộc khi đó).")


class VietQROut(Schema):
    reference: str
    payload: str = Field(..., description="Chuỗi EMVCo (VietQR) để quét bằng ứng dụng ngân hàng.")
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    amount: int
    content: str = Field(..., description="Nội dung chuyển khoản cần ghi.")
    png_base64: str
    is_demo: bool = Field(False, description="Tài khoản thử nghiệm (hệ thống dùng thử): không chuyển tiền thật.")


class CashIn(Schema):
    amount: int
    slip_id: column_text(Payment, "external_id") | None = Field(
        None, description="Mã phiếu thu; gửi lại cùng mã sẽ không ghi hai lần."
    )
    payer_name: column_text(Payment, "payer_name") = ""
    note: str = ""


class CashOut(Schema):
    created: bool
    payment: PaymentOut
    request: RequestOut


class AssignIn(Schema):
    reference: column_text(PaymentRequest, "reference")
    note: str = ""


class NoteIn(Schema):
    note: str


class ReasonIn(Schema):
    reason: column_text(PaymentRequest, "cancel_reason")


def _request_out(r: PaymentRequest, *, payments: bool = True) -> dict:
    return {
        "reference": r.reference,
        "dossier": r.dossier.code,
        "agency": r.agency.name,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "items": r.items,
        "amount_due": r.amount_due,
        "amount_paid": r.amount_paid,
        "amount_outstanding": r.amount_outstanding,
        "note": r.note,
        "change_reason": r.change_reason,
        "created_at": r.created_at,
        "paid_at": r.paid_at,
        "cancelled_at": r.cancelled_at,
        "cancel_reason": r.cancel_reason,
        "payments": list(selectors.request_payments(r)) if payments else [],
    }


@router.get(
    "/payments/dossiers/{code}/request",
    response={200: RequestOut, **READ_ERRORS},
    summary="Yêu cầu nộp phí, lệ phí của một hồ sơ",
)
def dossier_request(request, code: str):
    _dossier, payment_request = selectors.dossier_payment_for(request.auth, code)
    return _request_out(payment_request)


@router.post(
    "/payments/dossiers/{code}/request",
    response={201: RequestOut, **WRITE_ERRORS},
    summary="Yêu cầu hồ sơ nộp phí, lệ phí (cán bộ)",
    description="Hồ sơ đang xử lý: thực hiện thao tác request_fees (tạm dừng thời hạn). Hồ sơ đã chờ nộp "
    "phí: tạo yêu cầu mới thay yêu cầu chưa nộp.",
)
def dossier_request_create(request, code: str, body: RequestIn):
    dossier = dossier_get_for(request.auth, code)
    if not request.auth.is_officer:
        raise PermissionDenied(code="payment_request_forbidden")
    items = [i.model_dump(exclude_none=True) for i in body.items] if body.items else None
    created = payment_request_ask(
        dossier=dossier, actor=request.auth, items=items, amount=body.amount, note=body.note, reason=body.reason
    )
    return Status(201, _request_out(created))


@router.get(
    "/payments/requests/{reference}",
    response={200: RequestOut, **READ_ERRORS},
    summary="Một yêu cầu nộp theo mã thanh toán",
)
def request_get(request, reference: str):
    return _request_out(selectors.request_get_for(request.auth, reference))


@router.get(
    "/payments/requests/{reference}/vietqr",
    response={200: VietQROut, **WRITE_ERRORS},
    summary="Mã VietQR chuyển khoản cho yêu cầu nộp",
)
def request_vietqr(request, reference: str):
    payment_request = selectors.request_get_for(request.auth, reference)
    account = collection_account_for(payment_request)
    payload = payload_for(payment_request, account)
    if payload is None or account is None:
        raise DomainError(
            _("Yêu cầu này không còn số tiền phải chuyển khoản hoặc cơ quan chưa có tài khoản thu."),
            code="vietqr_unavailable",
            status=409,
        )
    return {
        "reference": payment_request.reference,
        "payload": payload,
        "bank_bin": account.bank_bin,
        "bank_name": account.bank_name,
        "account_number": account.account_number,
        "account_name": account.account_name,
        "amount": payment_request.amount_outstanding,
        "content": payment_request.reference,
        "png_base64": base64.b64encode(qr_png(payload)).decode("ascii"),
        "is_demo": account.is_demo,
    }


@router.get(
    "/payments/requests/{reference}/vietqr.svg",
    response={200: None, **WRITE_ERRORS},
    summary="Ảnh SVG mã VietQR",
)
def request_vietqr_svg(request, reference: str):
    payload = payload_for_request(selectors.request_get_for(request.auth, reference))
    if payload is None:
        raise DomainError(_("Không có mã VietQR cho yêu cầu này."), code="vietqr_unavailable", status=409)
    return HttpResponse(qr_svg(payload), content_type="image/svg+xml")


@router.post(
    "/payments/requests/{reference}/cash",
    response={200: CashOut, **WRITE_ERRORS},
    summary="Ghi nhận tiền mặt nộp tại quầy (thu ngân)",
)
def request_cash(request, reference: str, body: CashIn):
    payment_request = selectors.desk_request_get(request.auth, reference)
    recorded = cash_record(
        request=payment_request,
        actor=request.auth,
        amount=body.amount,
        slip_id=body.slip_id,
        payer_name=body.payer_name,
        note=body.note,
    )
    payment_request.refresh_from_db()
    return {
        "created": recorded.created,
        "payment": recorded.payment,
        "request": _request_out(payment_request),
    }


@router.post(
    "/payments/requests/{reference}/cancel",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Hủy yêu cầu nộp (thu ngân)",
)
def request_cancel(request, reference: str, body: ReasonIn):
    payment_request = selectors.desk_request_get(request.auth, reference)
    return _request_out(payment_request_cancel(request=payment_request, actor=request.auth, reason=body.reason))


@router.post(
    "/payments/requests/{reference}/refund-excess",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Ghi nhận đã hoàn trả tiền nộp thừa",
)
def request_refund_excess(request, reference: str, body: NoteIn):
    payment_request = selectors.desk_request_get(request.auth, reference)
    return _request_out(overpayment_refund(request=payment_request, actor=request.auth, note=body.note))


@router.get(
    "/payments/unmatched",
    response={200: list[PaymentOut], **READ_ERRORS},
    summary="Khoản tiền chưa xác định hồ sơ (thu ngân)",
)
def unmatched(request):
    return list(selectors.unmatched_payments_for(request.auth)[: selectors.MAX_ROWS])


@router.post(
    "/payments/received/{payment_id}/assign",
    response={200: PaymentOut, **WRITE_ERRORS},
    summary="Tính khoản tiền chưa xác định vào một yêu cầu nộp",
)
def assign(request, payment_id: int, body: AssignIn):
    payment = selectors.payment_get_for(request.auth, payment_id)
    target = selectors.desk_request_get(request.auth, body.reference)
    return payment_assign(payment=payment, request=target, actor=request.auth, note=body.note)


@router.post(
    "/payments/received/{payment_id}/refund",
    response={200: PaymentOut, **WRITE_ERRORS},
    summary="Ghi nhận đã hoàn trả khoản tiền chưa xác định",
)
def refund(request, payment_id: int, body: NoteIn):
    payment = selectors.payment_get_for(request.auth, payment_id)
    return payment_refund(payment=payment, actor=request.auth, note=body.note)
