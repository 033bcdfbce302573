"""Payment channels over JSON: bank statement upload and results, gateway start, gateway IPN, bank webhook.

Thin: check who may act (statements: cashiers of the account's agency; gateway start: the
applicant), call the service, shape the answer. The IPN and the bank webhook are called by the
gateway and the bank, not by a signed-in user: their signatures are the authentication.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.schemas import ErrorOut

from ..models import LineOutcome
from . import selectors as sel
from .services.bank_notify import SIGNATURE_HEADER, bank_notify_receive
from .services.gateway import gateway_ipn, gateway_start
from .services.statements import statement_import

router = Router(tags=["Thanh toán – sao kê, cổng thanh toán, ngân hàng"], auth=django_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_LINES = 1000


class StatementOut(Schema):
    id: int
    file_name: str
    account_id: int | None
    line_count: int
    summary: dict[str, int]
    created_at: datetime.datetime


class LineOut(Schema):
    line_no: int
    bank_txn_id: str
    booked_at: datetime.datetime | None
    amount: int | None
    description: str
    outcome: str
    request_reference: str | None
    error: str


class StatementDetailOut(StatementOut):
    lines: list[LineOut]


class GatewayStartOut(Schema):
    txn_ref: str
    amount: int
    provider: str
    redirect_url: str


class IpnOut(Schema):
    RspCode: str
    Message: str


class BankNotifyOut(Schema):
    code: str
    payment_id: int | None
    status: str | None


def _statement(statement) -> dict:
    return {
        "id": statement.pk,
        "file_name": statement.file_name,
        "account_id": statement.account_id,
        "line_count": statement.line_count,
        "summary": statement.summary,
        "created_at": statement.created_at,
    }


@router.post(
    "/payments/statements",
    response={201: StatementOut, **ERRORS},
    summary="Nhập sao kê ngân hàng (CSV hoặc Excel) và đối soát",
    description=(
        "Tệp sao kê tài khoản thu (multipart: `file`, `account_id`). Mỗi dòng tiền vào được đối chiếu theo mã "
        "thanh toán trong nội dung: matched / partial / overpaid / unmatched / duplicate / invalid / ignored. "
        "Cả tệp được ghi trong một giao dịch. 409 `statement_already_imported` khi tệp đã nhập."
    ),
)
def statement_upload(request, file: File[UploadedFile], account_id: Form[int]):
    sel.require_money_officer(request.auth)
    account = sel.account_get_for(request.auth, account_id)
    statement = statement_import(
        account=account, file_name=file.name or "sao-ke", content=file.read(), actor=request.auth
    )
    return Status(201, _statement(statement))


@router.get(
    "/payments/statements",
    response={200: list[StatementOut], **ERRORS},
    summary="Các sao kê đã nhập (trong phạm vi cơ quan của người dùng)",
)
def statement_list(request, limit: int = 50):
    return [_statement(s) for s in sel.statements_for(request.auth).order_by("-created_at")[: max(1, min(limit, 200))]]


@router.get(
    "/payments/statements/{statement_id}",
    response={200: StatementDetailOut, **ERRORS},
    summary="Kết quả đối soát từng dòng của một sao kê",
    description="Lọc theo `outcome`; phân trang bằng `offset`/`limit` (tối đa 1000 dòng).",
)
def statement_detail(request, statement_id: int, outcome: str | None = None, offset: int = 0, limit: int = 200):
    statement = sel.statement_get_for(request.auth, statement_id)
    outcome = outcome if outcome in LineOutcome.values else None
    offset, limit = max(0, offset), max(1, min(limit, MAX_LINES))
    lines = sel.statement_lines(statement, outcome=outcome)[offset : offset + limit]
    return {
        **_statement(statement),
        "lines": [
            {
                "line_no": line.line_no,
                "bank_txn_id": line.bank_txn_id,
                "booked_at": line.booked_at,
                "amount": line.amount,
                "description": line.description,
                "outcome": line.outcome,
                "request_reference": line.request.reference if line.request else None,
                "error": line.error,
            }
            for line in lines
        ],
    }


@router.post(
    "/payments/gateway/start/{reference}",
    response={201: GatewayStartOut, **ERRORS},
    summary="Bắt đầu thanh toán qua cổng thanh toán",
    description="Tạo một lần thanh toán cho số tiền còn phải nộp và trả về địa chỉ cổng thanh toán để chuyển trình duyệt.",
)
def gateway_start_api(request, reference: str):
    payment_request = sel.request_for_citizen(request.auth, reference)
    started = gateway_start(
        request=payment_request,
        actor=request.auth,
        client_ip=request.META.get("REMOTE_ADDR", ""),
        return_url=request.build_absolute_uri(reverse("payment_channels:gateway_return")),
    )
    txn = started.transaction
    return Status(
        201,
        {"txn_ref": txn.txn_ref, "amount": txn.amount, "provider": txn.provider, "redirect_url": started.redirect_url},
    )


@router.get(
    "/payments/gateway/ipn",
    auth=None,
    response={200: IpnOut},
    summary="IPN: cổng thanh toán báo kết quả (máy chủ tới máy chủ)",
    description=(
        "Tham số `vnp_*` theo VNPAY 2.1.0, ký HMAC-SHA512 (`vnp_SecureHash`). Trả lời `RspCode`: 00 đã ghi nhận, "
        "02 giao dịch đã được xác nhận trước đó, 04 sai số tiền, 97 sai chữ ký, 01 không tìm thấy giao dịch. "
        "Cũng phục vụ tại /thanh-toan/kenh/cong/ipn/."
    ),
)
def gateway_ipn_api(request):
    return gateway_ipn(params=request.GET.dict())


@router.post(
    "/payments/bank/notifications",
    auth=None,
    response={200: BankNotifyOut, 400: ErrorOut, 401: ErrorOut},
    summary="Ngân hàng báo biến động số dư (một giao dịch ghi có)",
    description=(
        "Thân JSON {transactionId, amount, creditDebit, description, transactionDate, payerName, accountNumber}, "
        f"ký HMAC-SHA256 trên thân thô bằng khóa chung, hex, ở header `{SIGNATURE_HEADER}`. Gửi lại cùng "
        "transactionId không ghi nhận hai lần (code `duplicate`)."
    ),
)
def bank_notify_api(request):
    notified = bank_notify_receive(raw=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    payment = notified.payment
    return {
        "code": "ignored" if notified.ignored else ("recorded" if notified.created else "duplicate"),
        "payment_id": payment.pk if payment else None,
        "status": payment.status if payment else None,
    }
