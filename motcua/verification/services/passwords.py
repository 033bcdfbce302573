"""Password reset by a code (phone on record, else e-mail), password change, phone change.

A new password changes the session hash, so every other session is signed out; a change made
while signed in keeps the current session. Every change is told to the holder. A reset leaves
TOTP alone: an officer who lost the authenticator goes to an administrator (user_totp_reset).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.auth import find_user_by_identifier
from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone
from motcua.core.models import Person, User
from motcua.core.services.signin_limits import login_failures_clear
from motcua.core.transitions import audit_record
from motcua.verification.models import OneTimeCode, OtpPurpose
from motcua.verification.services.notices import account_notice, person_phone_replace
from motcua.verification.services.otp import mask_email, mask_phone, otp_issue, otp_verify


@dataclass(frozen=True)
class CodeSent:
    sent_to: str  # masked phone or e-mail; "" when nothing could be sent (not told to the caller)


def _check_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            " ".join(exc.messages),
            code="invalid_password",
            status=422,
            details={"fields": {"new_password": exc.messages}},
        )


def _reset_address(user: User) -> tuple[str, str]:
    person = user.person
    if person is not None and person.phone:
        return person.phone, ""
    email = user.email or (person.email if person is not None else "")
    return "", email


def password_reset_start(*, identifier: str, request=None) -> CodeSent:
    """Send a reset code to the phone on record (or the e-mail) of the account this names.

    An unknown account gets the same answer as a known one, so the page does not reveal who
    has an account. Raises only the otp_issue refusals (cooldown, daily cap).
    """
    user = find_user_by_identifier(identifier)
    if user is None or not user.is_active:
        return CodeSent(sent_to="")
    phone, email = _reset_address(user)
    if not (phone or email):
        return CodeSent(sent_to="")
    otp_issue(
        purpose=OtpPurpose.PASSWORD_RESET, phone=phone, email=email, person=user.person, user=user, request=request
    )
    return CodeSent(sent_to=mask_phone(phone) if phone else mask_email(email))


def password_reset_complete(*, identifier: str, code: str, new_password: str) -> User:
    """Set a new password with the reset code; every session of the account is signed out."""
    user = find_user_by_identifier(identifier)
    pending = (
        OneTimeCode.objects.filter(user=user, purpose=OtpPurpose.PASSWORD_RESET, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
        if user is not None and user.is_active
        else None
    )
    if pending is None:
        raise DomainError(
            _("Mã xác thực đã hết hạn hoặc đã được thay bằng mã mới. Vui lòng yêu cầu mã mới."),
            code="otp_expired",
            status=400,
        )
    _check_new_password(new_password, user)
    otp_verify(purpose=OtpPurpose.PASSWORD_RESET, code=code, phone=pending.phone, email=pending.email, user=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # The owner proved themselves with the code: a lock set by someone guessing is lifted at once.
        login_failures_clear(user=user, reason="reset")
        audit_record(actor=user, action="account.password_reset", obj=user, data={"totp_kept": bool(user.totp_secret)})
        account_notice(
            user=user, event="account.password_changed", title=_("Mật khẩu tài khoản của ông/bà đã được đặt lại")
        )
    return user


def password_change(*, request, user: User, old_password: str, new_password: str) -> User:
    """Change the password while signed in; this session stays, the others are signed out."""
    if not user.check_password(old_password or ""):
        raise DomainError(
            _("Mật khẩu hiện tại không đúng."),
            code="wrong_password",
            status=400,
            details={"fields": {"old_password": [_("Mật khẩu hiện tại không đúng.")]}},
        )
    _check_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password_changed", obj=user)
        account_notice(
            user=user, event="account.password_changed", title=_("Mật khẩu tài khoản của ông/bà đã được đổi")
        )
    update_session_auth_hash(request, user)
    return user


def phone_change_start(*, user: User, new_phone: str, request=None) -> CodeSent:
    """Send a code to the new number; the phone on record changes only when it comes back."""
    if user.person_id is None:
        raise DomainError(_("Tài khoản chưa gắn với hồ sơ công dân."), code="no_person", status=409)
    try:
        phone = normalize_phone(new_phone)
    except ValidationError as exc:
        raise DomainError(
            " ".join(exc.messages), code="invalid_phone", status=422, details={"fields": {"phone": exc.messages}}
        )
    if phone == user.person.phone:
        raise DomainError(_("Đây đã là số điện thoại hiện tại."), code="phone_same", status=422)
    if User.objects.filter(person__phone=phone, is_officer=False).exclude(pk=user.pk).exists():
        raise DomainError(_("Số điện thoại này đã được dùng cho một tài khoản khác."), code="phone_taken", status=409)
    otp_issue(purpose=OtpPurpose.PHONE_CHANGE, phone=phone, person=user.person, user=user, request=request)
    return CodeSent(sent_to=mask_phone(phone))


def phone_change_complete(*, user: User, code: str) -> Person:
    """The code from the new number proves it: it becomes the phone on record; the old one is told."""
    pending = (
        OneTimeCode.objects.filter(user=user, purpose=OtpPurpose.PHONE_CHANGE, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if pending is None or user.person_id is None:
        raise DomainError(
            _("Mã xác thực đã hết hạn hoặc đã được thay bằng mã mới. Vui lòng yêu cầu mã mới."),
            code="otp_expired",
            status=400,
        )
    otp = otp_verify(purpose=OtpPurpose.PHONE_CHANGE, code=code, phone=pending.phone, user=user)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=user.person_id)
        person_phone_replace(person=person, new_phone=otp.phone, actor=user, proof="code")
        user.person = person
        account_notice(
            user=user,
            event="account.phone_changed",
            title=_("Số điện thoại nhận thông báo đã đổi sang %(phone)s") % {"phone": mask_phone(otp.phone)},
        )
    return person
