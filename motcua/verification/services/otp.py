"""One-time codes: issue (sent through the notifications outbox) and verify.

6 digits from `secrets`; a keyed hash is stored, compared in constant time; good for
OTP_TTL_SECONDS, OTP_MAX_ATTEMPTS wrong tries and one use; another code to the same address
only after OTP_RESEND_SECONDS, and at most OTP_DAILY_CAP codes per address in 24 hours.
"""

from __future__ import annotations

import datetime
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone
from motcua.core.models import Person, User
from motcua.core.net import client_address
from motcua.core.transitions import audit_record
from motcua.notifications.models import ChannelKind
from motcua.notifications.services import message_build, template_active
from motcua.notifications.templates import OTP_PURPOSES
from motcua.verification.models import OneTimeCode, OtpPurpose

_HASH_SALT = "motcua.verification.otp"


def _hash(code: str, nonce: str) -> str:
    return f"{nonce}${salted_hmac(_HASH_SALT, f'{nonce}:{code}', algorithm='sha256').hexdigest()}"


def _matches(code: str, stored: str) -> bool:
    nonce, _sep, _digest = stored.partition("$")
    return constant_time_compare(_hash(code, nonce), stored)


def mask_phone(phone: str) -> str:
    """0912345678 → 091****678: enough for the owner to recognise, not enough to call."""
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) >= 7 else "****"


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _requested_from(request) -> str | None:
    # The one reading of the client's address (behind trusted proxies too); None when it is not an IP.
    address = client_address(request) if request is not None else None
    return address if address and address != "unknown" else None


def _address(phone: str, email: str) -> tuple[str, str]:
    if bool(phone) == bool(email):
        raise DomainError(_("Cần đúng một số điện thoại hoặc một địa chỉ thư điện tử."), code="otp_address")
    if phone:
        try:
            return normalize_phone(phone), ""
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), code="invalid_phone", status=422)
    return "", email.strip().lower()


def _same_address(phone: str, email: str) -> dict:
    return {"phone": phone} if phone else {"email": email}


def otp_issue(
    *,
    purpose: str,
    phone: str = "",
    email: str = "",
    person: Person | None = None,
    user: User | None = None,
    request=None,
    issued_by: User | None = None,
) -> OneTimeCode:
    """Make a code for `purpose` and put its message in the outbox (urgent, secret, no inbox copy).

    Raises DomainError `otp_cooldown` (429) within OTP_RESEND_SECONDS of the last code to the same
    address for the same purpose, `otp_daily_cap` (429) past OTP_DAILY_CAP codes to the address in
    24 hours.
    """
    if purpose not in OtpPurpose.values:
        raise DomainError(_("Mục đích của mã xác thực không hợp lệ."), code="otp_purpose")
    phone, email = _address(phone, email)
    now = timezone.now()
    with transaction.atomic():
        # Two requests at once for the same person or account queue here, so the wait and the
        # daily cap cannot be slipped past by sending both together.
        if person is not None:
            Person.objects.select_for_update().filter(pk=person.pk).first()
        if user is not None and user.pk:
            User.objects.select_for_update().filter(pk=user.pk).first()
        recent = OneTimeCode.objects.filter(**_same_address(phone, email))
        last = recent.filter(purpose=purpose).order_by("-created_at", "-id").first()
        if last is not None:
            wait = settings.OTP_RESEND_SECONDS - (now - last.created_at).total_seconds()
            if wait > 0:
                seconds = math.ceil(wait)
                raise DomainError(
                    _("Vui lòng chờ %(seconds)d giây trước khi yêu cầu mã mới.") % {"seconds": seconds},
                    code="otp_cooldown",
                    status=429,
                    details={"retry_after": seconds},
                )
        if recent.filter(created_at__gt=now - datetime.timedelta(hours=24)).count() >= settings.OTP_DAILY_CAP:
            raise DomainError(
                _("Đã gửi quá nhiều mã tới địa chỉ này trong 24 giờ. Vui lòng thử lại sau hoặc đến bộ phận một cửa."),
                code="otp_daily_cap",
                status=429,
            )
        # Only the newest code for an address and purpose is good.
        recent.filter(purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        otp = OneTimeCode.objects.create(
            purpose=purpose,
            code_hash=_hash(code, secrets.token_hex(8)),
            phone=phone,
            email=email,
            person=person,
            user=user,
            issued_by=issued_by,
            requested_from=_requested_from(request),
            expires_at=now + datetime.timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
        _enqueue(otp=otp, code=code, now=now)
        audit_record(
            actor=issued_by or user,
            action="otp.issued",
            object_type="one_time_code",
            object_id=otp.pk,
            data={
                "purpose": purpose,
                "to": mask_phone(phone) if phone else mask_email(email),
                "person_id": person.pk if person else None,
            },
        )
    return otp


def _enqueue(*, otp: OneTimeCode, code: str, now: datetime.datetime) -> None:
    channel = ChannelKind.SMS if otp.phone else ChannelKind.EMAIL
    event = f"otp.{otp.purpose}"
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    label = str(OTP_PURPOSES[otp.purpose])
    fallback = _(
        "Mã xác thực %(purpose)s của ông/bà là %(code)s, hiệu lực %(minutes)d phút. "
        "Không cung cấp mã này cho bất kỳ ai, kể cả cán bộ."
    ) % {"purpose": label, "code": code, "minutes": minutes}
    message = message_build(
        channel=channel,
        recipient=otp.phone or otp.email,
        event=event,
        dedupe_key=f"otp:{otp.pk}:{channel}",
        params={"ma_xac_thuc": code, "so_phut": str(minutes), "muc_dich": label},
        subject=_("Mã xác thực"),
        body=fallback,
        template=template_active(event, channel),
        # A code is wanted now, even at night; it is never a broadcast, so opt-outs do not apply.
        urgent=True,
        secret=True,
        now=now,
    )
    message.params = {"muc_dich": label}  # the code lives only in the text that goes out
    message.save()


def _refusal(code: str) -> DomainError:
    messages = {
        "otp_expired": _("Mã xác thực đã hết hạn hoặc đã được thay bằng mã mới. Vui lòng yêu cầu mã mới."),
        "otp_used": _("Mã xác thực này đã được dùng. Vui lòng yêu cầu mã mới."),
        "otp_attempts": _("Đã nhập sai quá số lần cho phép. Vui lòng yêu cầu mã mới."),
    }
    return DomainError(messages[code], code=code, status=400)


def otp_verify(
    *,
    purpose: str,
    code: str,
    phone: str = "",
    email: str = "",
    person: Person | None = None,
    user: User | None = None,
) -> OneTimeCode:
    """Check `code` against the newest code for this purpose and address, and use it up.

    Must not run inside the caller's transaction: a wrong try is counted and kept even though
    the caller's action does not happen. Raises DomainError `otp_invalid` (with the tries left),
    `otp_expired`, `otp_used` or `otp_attempts`.
    """
    phone, email = _address(phone, email)
    code = "".join((code or "").split())
    now = timezone.now()
    outcome = None
    with transaction.atomic():
        rows = OneTimeCode.objects.select_for_update().filter(purpose=purpose, **_same_address(phone, email))
        if person is not None:
            rows = rows.filter(person=person)
        if user is not None:
            rows = rows.filter(user=user)
        otp = rows.order_by("-created_at", "-id").first()
        if otp is None or otp.expires_at <= now:
            outcome = "otp_expired"
        elif otp.used_at is not None:
            outcome = "otp_used"
        elif otp.attempts >= settings.OTP_MAX_ATTEMPTS:
            outcome = "otp_attempts"
        else:
            otp.attempts += 1
            good = len(code) == 6 and code.isdigit() and _matches(code, otp.code_hash)
            if good:
                otp.used_at = now
                otp.save(update_fields=["attempts", "used_at"])
                return otp
            otp.save(update_fields=["attempts"])
            left = settings.OTP_MAX_ATTEMPTS - otp.attempts
            outcome = "otp_invalid"
    if outcome == "otp_invalid":
        if left <= 0:
            raise _refusal("otp_attempts")
        raise DomainError(
            _("Mã xác thực không đúng. Còn %(left)d lần thử.") % {"left": left},
            code="otp_invalid",
            status=400,
            details={"attempts_left": left},
        )
    raise _refusal(outcome)
