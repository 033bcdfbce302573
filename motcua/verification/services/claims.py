"""Claiming the records the counter keeps under an ID: a code to the phone on record, or desk
verification by an officer with the chip card (which sends a code to the phone the citizen gives).

Until a claim completes, the caller has no account on those records and sees nothing of them.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone, parse_chip_qr, validate_personal_id
from motcua.core.models import Person, PersonProof, User
from motcua.core.selectors import person_get_for, user_is_officer
from motcua.core.services.accounts import ACCOUNT_EXISTS_MESSAGE
from motcua.core.services.links import account_link_person_proven, account_take_id_as_username
from motcua.core.text import fold
from motcua.core.transitions import audit_record
from motcua.verification.models import OneTimeCode, OtpPurpose
from motcua.verification.services.notices import account_notice, person_phone_replace
from motcua.verification.services.otp import mask_phone, otp_issue, otp_verify

CLAIM_PURPOSES = (OtpPurpose.CLAIM, OtpPurpose.DESK_CLAIM)


@dataclass(frozen=True)
class ClaimStarted:
    sent_to: str  # masked phone


def _clean_id(personal_id: str) -> str:
    try:
        return validate_personal_id(personal_id)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_personal_id", status=422)


def _mismatch() -> DomainError:
    return DomainError(
        _("Thông tin không khớp với hồ sơ đã lưu. Vui lòng kiểm tra lại hoặc đến bộ phận một cửa."),
        code="claim_mismatch",
        status=422,
    )


def _held_by_account(person: Person) -> bool:
    return User.objects.filter(person=person, is_active=True).exists()


def claim_start(*, personal_id: str, date_of_birth: datetime.date | None, request=None) -> ClaimStarted:
    """Send a claim code to the phone on record of the person with this ID.

    Raises DomainError `claim_mismatch` (no such record, or another birth date: one answer for
    both), `claim_account_exists` (409) when an account already holds the record,
    `claim_no_phone` (409) when no phone is on record, and the otp_issue refusals.
    """
    clean_id = _clean_id(personal_id)
    person = Person.objects.filter(personal_id=clean_id).first()
    if person is None or date_of_birth is None or person.date_of_birth != date_of_birth:
        raise _mismatch()
    if _held_by_account(person):
        raise DomainError(str(ACCOUNT_EXISTS_MESSAGE), code="claim_account_exists", status=409)
    if not person.phone:
        raise DomainError(
            _(
                "Hồ sơ chưa có số điện thoại để gửi mã. Vui lòng mang thẻ căn cước đến bộ phận một cửa "
                "để được xác minh."
            ),
            code="claim_no_phone",
            status=409,
        )
    otp_issue(purpose=OtpPurpose.CLAIM, phone=person.phone, person=person, request=request)
    return ClaimStarted(sent_to=mask_phone(person.phone))


def desk_verify(*, officer: User, person_id: int, chip_qr: str, phone: str, request=None) -> ClaimStarted:
    """An officer checks the chip card of the person in front of them and sends a code to the phone
    they give; with that code the citizen completes the claim (proof: desk).

    Raises NotFound outside the officer's scope, DomainError `chip_mismatch` (422) when the card is
    not this person's, `invalid_chip_qr`, `invalid_phone` and the otp_issue refusals.
    """
    if not user_is_officer(officer):
        raise NotFound()
    person = person_get_for(officer, person_id)
    try:
        card = parse_chip_qr(chip_qr)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_chip_qr", status=422)
    same = (
        person.personal_id
        and card.personal_id == person.personal_id
        and fold(card.full_name) == fold(person.full_name)
        and (person.date_of_birth is None or card.date_of_birth == person.date_of_birth)
    )
    if not same:
        raise DomainError(
            _("Thẻ căn cước vừa quét không khớp với công dân này (số định danh, họ tên hoặc ngày sinh)."),
            code="chip_mismatch",
            status=422,
        )
    try:
        clean_phone = normalize_phone(phone)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_phone", status=422)
    with transaction.atomic():
        otp_issue(purpose=OtpPurpose.DESK_CLAIM, phone=clean_phone, person=person, issued_by=officer, request=request)
        audit_record(
            actor=officer,
            action="person.desk_verified",
            obj=person,
            data={"method": "chip_qr", "phone": mask_phone(clean_phone)},
        )
    return ClaimStarted(sent_to=mask_phone(clean_phone))


def _phone_changed() -> DomainError:
    return DomainError(
        _("Số điện thoại của hồ sơ đã thay đổi. Vui lòng yêu cầu mã mới."), code="otp_expired", status=400
    )


def claim_complete(*, personal_id: str, code: str, password: str) -> User:
    """With the code from claim_start or desk_verify, make the owner's account and link it.

    The password is checked before the code, so a weak one does not use the code up. A desk code
    also makes its phone the phone on record (the code proved it), telling the old number.
    """
    clean_id = _clean_id(personal_id)
    person = Person.objects.filter(personal_id=clean_id).first()
    if person is None:
        raise _mismatch()
    try:
        validate_password(password, User(username=clean_id, first_name=person.full_name))
    except ValidationError as exc:
        raise DomainError(
            " ".join(exc.messages), code="invalid_password", status=422, details={"fields": {"password": exc.messages}}
        )
    pending = (
        OneTimeCode.objects.filter(person=person, purpose__in=CLAIM_PURPOSES, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if pending is None:
        raise DomainError(
            _("Mã xác thực đã hết hạn hoặc đã được thay bằng mã mới. Vui lòng yêu cầu mã mới."),
            code="otp_expired",
            status=400,
        )
    if pending.purpose != OtpPurpose.DESK_CLAIM and pending.phone != person.phone:
        # Checked before the code is spent too, so a refusal here does not use up a valid code.
        raise _phone_changed()
    otp = otp_verify(purpose=pending.purpose, code=code, phone=pending.phone, person=person)
    method = PersonProof.DESK if otp.purpose == OtpPurpose.DESK_CLAIM else PersonProof.CODE
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if method == PersonProof.CODE and otp.phone != person.phone:
            # The number on record changed after the code was sent: the code proves nothing now.
            raise _phone_changed()
        user = User(username=f"cd{secrets.token_hex(6)}", first_name=person.full_name, email=person.email)
        user.set_password(password)
        user.save()
        user = account_link_person_proven(user=user, person=person, method=method)
        user = account_take_id_as_username(user=user, personal_id=clean_id)
        if method == PersonProof.DESK and otp.phone != person.phone:
            person_phone_replace(person=person, new_phone=otp.phone, actor=user, proof="desk_code")
        user.person = person
        account_notice(
            user=user,
            event="account.person_linked",
            title=_("Hồ sơ công dân của ông/bà đã được liên kết với tài khoản trên Cổng dịch vụ công"),
        )
        audit_record(
            actor=user,
            action="account.claimed",
            obj=user,
            data={"person_id": person.pk, "method": method, "at": timezone.now().isoformat()},
        )
    return user
