"""Accounts API: claim recorded records with a code, forgotten password, password and phone change,
desk verification. Thin: validate, call a service, shape the answer."""

import datetime

from django.contrib.auth import login
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from motcua.schemas import ErrorOut
from motcua.verification.services import claims, passwords

router = Router(tags=["Tài khoản"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class SentOut(Schema):
    sent_to: str = Field(..., description="Số điện thoại hoặc thư điện tử đã che bớt; rỗng khi không gửi được.")


class ClaimStartIn(Schema):
    personal_id: str = Field(..., max_length=20)
    date_of_birth: datetime.date


class ClaimCompleteIn(Schema):
    personal_id: str = Field(..., max_length=20)
    code: str = Field(..., max_length=8)
    password: str = Field(..., max_length=128)


class AccountOut(Schema):
    id: int
    username: str
    person_id: int | None
    person_proof: str


class ResetStartIn(Schema):
    identifier: str = Field(..., max_length=150, description="Số định danh, số điện thoại hoặc tên đăng nhập.")


class ResetCompleteIn(Schema):
    identifier: str = Field(..., max_length=150)
    code: str = Field(..., max_length=8)
    new_password: str = Field(..., max_length=128)


class PasswordChangeIn(Schema):
    old_password: str = Field(..., max_length=128)
    new_password: str = Field(..., max_length=128)


class PhoneIn(Schema):
    phone: str = Field(..., max_length=20)


class CodeIn(Schema):
    code: str = Field(..., max_length=8)


class DeskVerifyIn(Schema):
    chip_qr: str = Field(..., max_length=2000, description="Chuỗi đọc từ mã QR trên thẻ căn cước gắn chip.")
    phone: str = Field(..., max_length=20, description="Số điện thoại công dân đang dùng; mã được gửi tới số này.")


@router.post(
    "/accounts/claim/start",
    response={200: SentOut, **ERRORS},
    summary="Nhận hồ sơ đã có: gửi mã tới số điện thoại đã lưu",
    description=(
        "Số định danh đã có hồ sơ (do bộ phận một cửa ghi nhận) không đăng ký lại được: mã xác thực được gửi tới "
        "số điện thoại đã lưu trong hồ sơ. Sai thông tin hoặc không có hồ sơ đều trả `claim_mismatch`."
    ),
)
def claim_start(request, payload: ClaimStartIn):
    started = claims.claim_start(personal_id=payload.personal_id, date_of_birth=payload.date_of_birth, request=request)
    return {"sent_to": started.sent_to}


@router.post(
    "/accounts/claim/complete",
    response={200: AccountOut, **ERRORS},
    summary="Nhận hồ sơ đã có: nhập mã, tạo tài khoản và đăng nhập",
)
def claim_complete(request, payload: ClaimCompleteIn):
    user = claims.claim_complete(personal_id=payload.personal_id, code=payload.code, password=payload.password)
    login(request, user, backend="motcua.core.auth.IdentifierBackend")
    return user


@router.post(
    "/accounts/password-reset/start",
    response={200: SentOut, **ERRORS},
    summary="Quên mật khẩu: gửi mã",
    description="Trả lời như nhau dù tài khoản có tồn tại hay không (`sent_to` rỗng).",
)
def password_reset_start(request, payload: ResetStartIn):
    passwords.password_reset_start(identifier=payload.identifier, request=request)
    return {"sent_to": ""}


@router.post(
    "/accounts/password-reset/complete",
    response={204: None, **ERRORS},
    summary="Quên mật khẩu: nhập mã và mật khẩu mới",
    description="Mọi phiên đăng nhập của tài khoản bị đăng xuất; mã TOTP của cán bộ không thay đổi.",
)
def password_reset_complete(request, payload: ResetCompleteIn):
    passwords.password_reset_complete(
        identifier=payload.identifier, code=payload.code, new_password=payload.new_password
    )
    return Status(204, None)


@router.post(
    "/accounts/password",
    auth=django_auth,
    response={204: None, **ERRORS},
    summary="Đổi mật khẩu",
    description="Phiên hiện tại được giữ, các phiên khác bị đăng xuất; có thông báo gửi tới chủ tài khoản.",
)
def password_change(request, payload: PasswordChangeIn):
    passwords.password_change(
        request=request, user=request.auth, old_password=payload.old_password, new_password=payload.new_password
    )
    return Status(204, None)


@router.post(
    "/accounts/phone/start",
    auth=django_auth,
    response={200: SentOut, **ERRORS},
    summary="Đổi số điện thoại: gửi mã tới số mới",
)
def phone_change_start(request, payload: PhoneIn):
    return {
        "sent_to": passwords.phone_change_start(user=request.auth, new_phone=payload.phone, request=request).sent_to
    }


@router.post(
    "/accounts/phone/complete",
    auth=django_auth,
    response={204: None, **ERRORS},
    summary="Đổi số điện thoại: nhập mã từ số mới",
    description="Số cũ nhận thông báo về thay đổi.",
)
def phone_change_complete(request, payload: CodeIn):
    passwords.phone_change_complete(user=request.auth, code=payload.code)
    return Status(204, None)


@router.post(
    "/people/{person_id}/desk-verification",
    auth=django_auth,
    response={200: SentOut, **ERRORS},
    summary="Xác minh tài khoản tại quầy bằng thẻ căn cước gắn chip",
    description="Cán bộ trong phạm vi phụ trách; ngoài phạm vi trả 404.",
)
def desk_verification(request, person_id: int, payload: DeskVerifyIn):
    sent = claims.desk_verify(
        officer=request.auth, person_id=person_id, chip_qr=payload.chip_qr, phone=payload.phone, request=request
    )
    return {"sent_to": sent.sent_to}
