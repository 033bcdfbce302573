"""Accounts and people: sign-in with lock-out and TOTP, citizen registration, people at the counter."""

import datetime
import hashlib
import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.auth import fold_identifier
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.identity import normalize_phone, validate_personal_id
from motcua.core.models import Hamlet, Person, PersonProof, Sex, Unit, User
from motcua.core.selectors.people import user_is_officer, user_scope_units, user_sees_all_people
from motcua.core.services import signin_limits
from motcua.core.transitions import audit_record

TOTP_ISSUER = "Một cửa"


ACCOUNT_EXISTS_MESSAGE = gettext_lazy(
    "Số định danh này đã có tài khoản. Hãy đăng nhập hoặc dùng “Quên mật khẩu”; nếu tài khoản đó không "
    "phải của ông/bà, hãy liên hệ bộ phận một cửa để được xác minh."
)


CLAIM_NEEDED_MESSAGE = gettext_lazy(
    "Số định danh này đã có hồ sơ trong hệ thống. Hãy nhận hồ sơ bằng mã xác thực gửi tới số điện thoại "
    "đã lưu, hoặc liên hệ bộ phận một cửa để được xác minh."
)
# Password checked, code still to come: how long the half-signed-in state lives in the session.
PENDING_LOGIN_KEY = "motcua_login_pending"
PENDING_LOGIN_SECONDS = 300


@dataclass(frozen=True)
class LoginOutcome:
    user: User
    logged_in: bool
    # Password was right and the account has TOTP: ask for the code next (login_totp_complete).
    totp_needed: bool = False
    # Signed in, but TOTP is required and not set up yet: send them to the set-up page.
    totp_enrolment_needed: bool = False


def _audit(*, actor: User | None, action: str, obj, data: dict | None = None) -> None:
    audit_record(actor=actor, action=action, object_type=obj._meta.model_name, object_id=str(obj.pk), data=data or {})


# --- lock-out: motcua.core.services.signin_limits --------------------------------------------

# The reset and one-time-code flows call this to let the owner back in at once.
login_failures_clear = signin_limits.login_failures_clear


# --- TOTP -----------------------------------------------------------------------------------


def totp_required_for(user: User) -> bool:
    return user.totp_required or (user.is_officer and settings.OFFICER_TOTP_REQUIRED)


def totp_secret_new() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=TOTP_ISSUER)


def _totp_accepts(secret: str, code: str | None, *, user_pk: int) -> bool:
    code = "".join((code or "").split())
    if not (secret and len(code) == 6 and code.isdigit()):
        return False
    if not pyotp.TOTP(secret).verify(code, valid_window=1):
        return False
    # A code is good for ~90 s; refuse it a second time so a shoulder-surfed code is useless.
    # Keyed by a hash of the secret too, so a re-enrolled secret starts clean.
    secret_tag = hashlib.sha256(secret.encode()).hexdigest()[:12]
    return cache.add(f"totp-used:{user_pk}:{secret_tag}:{code}", True, timeout=120)


def user_totp_enable(*, user: User, secret: str, code: str) -> User:
    """Turn on TOTP with a secret the user has just scanned, proven by one code from their app."""
    if not _totp_accepts(secret, code, user_pk=user.pk):
        raise DomainError(
            _("Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng."), code="totp_invalid"
        )
    with transaction.atomic():
        user.totp_secret = secret
        user.totp_required = True
        user.save(update_fields=["totp_secret", "totp_required"])
        _audit(actor=user, action="account.totp_enabled", obj=user)
    return user


def user_totp_reset(*, user: User, actor: User) -> User:
    """An administrator removes a lost authenticator; the user sets up a new one at next sign-in."""
    with transaction.atomic():
        user.totp_secret = ""
        user.save(update_fields=["totp_secret"])
        _audit(actor=actor, action="account.totp_reset", obj=user)
    return user


# --- sign-in --------------------------------------------------------------------------------


def _complete_login(*, request, user: User, ticket: signin_limits.SigninTicket) -> LoginOutcome:
    signin_limits.signin_succeeded(ticket)
    request.session.pop(PENDING_LOGIN_KEY, None)
    login(request, user, backend="motcua.core.auth.IdentifierBackend")
    _audit(actor=user, action="account.login", obj=user)
    return LoginOutcome(
        user=user, logged_in=True, totp_enrolment_needed=totp_required_for(user) and not user.totp_secret
    )


def login_attempt(*, request, identifier: str, password: str, totp_code: str | None = None) -> LoginOutcome:
    """Sign in with personal ID, phone or username and a password, then TOTP where it applies.

    Raises DomainError: `login_locked` (429) while the account is locked, `login_slow_down` (429)
    while the client's address must wait, `invalid_credentials` (401). Failures count on the account
    whichever identifier was typed (see signin_limits). Without a code for an account that has TOTP,
    returns `totp_needed` and remembers the half-done sign-in in the session for `login_totp_complete`.
    """
    if not fold_identifier(identifier) or not password:
        raise DomainError(_("Vui lòng nhập tài khoản và mật khẩu."), code="credentials_missing", status=400)
    ticket = signin_limits.signin_begin(request=request, account=signin_limits.account_key(identifier=identifier))
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        raise signin_limits.signin_failed(
            ticket,
            _("Số định danh, số điện thoại, tên đăng nhập hoặc mật khẩu không đúng."),
            "invalid_credentials",
        )
    if not user.totp_secret:
        return _complete_login(request=request, user=user, ticket=ticket)
    if not (totp_code or "").strip():
        signin_limits.signin_paused(ticket)
        request.session[PENDING_LOGIN_KEY] = {"user_id": user.pk, "at": time.time()}
        return LoginOutcome(user=user, logged_in=False, totp_needed=True)
    if not _totp_accepts(user.totp_secret, totp_code, user_pk=user.pk):
        raise signin_limits.signin_failed(ticket, _("Mã xác thực không đúng hoặc đã hết hạn."), "totp_invalid")
    return _complete_login(request=request, user=user, ticket=ticket)


def login_totp_complete(*, request, totp_code: str) -> LoginOutcome:
    """Second step of a page sign-in: the TOTP code for the password checked just before."""
    pending = request.session.get(PENDING_LOGIN_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        raise DomainError(_("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."), code="login_expired", status=401)
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None or not user.totp_secret:
        request.session.pop(PENDING_LOGIN_KEY, None)
        raise DomainError(_("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."), code="login_expired", status=401)
    try:
        ticket = signin_limits.signin_begin(request=request, account=signin_limits.account_key(user=user))
    except DomainError:
        request.session.pop(PENDING_LOGIN_KEY, None)
        raise
    if not _totp_accepts(user.totp_secret, totp_code, user_pk=user.pk):
        error = signin_limits.signin_failed(ticket, _("Mã xác thực không đúng hoặc đã hết hạn."), "totp_invalid")
        if error.code == "login_locked":
            request.session.pop(PENDING_LOGIN_KEY, None)
        raise error
    return _complete_login(request=request, user=user, ticket=ticket)


def login_pending(request) -> bool:
    pending = request.session.get(PENDING_LOGIN_KEY)
    return bool(pending) and time.time() - pending.get("at", 0) <= PENDING_LOGIN_SECONDS


# --- people ---------------------------------------------------------------------------------


class _FieldErrors:
    """Collects one message per form field so a form can show every problem at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def check(self, field: str, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(field, message)
            return None

    def raise_if_any(self, message: str, code: str) -> None:
        if self.errors:
            raise DomainError(message, code=code, status=422, details={"fields": self.errors})


def _check_name(errors: _FieldErrors, full_name: str) -> str:
    name = " ".join((full_name or "").split())
    if not name:
        errors.add("full_name", _("Vui lòng nhập họ và tên."))
    elif any(ch.isdigit() for ch in name) or len(name) > 120:
        errors.add("full_name", _("Họ và tên không hợp lệ."))
    return name


def _check_birth(errors: _FieldErrors, date_of_birth: datetime.date | None, *, required: bool) -> None:
    if date_of_birth is None:
        if required:
            errors.add("date_of_birth", _("Vui lòng nhập ngày sinh."))
    elif date_of_birth > timezone.localdate() or date_of_birth.year < 1900:
        errors.add("date_of_birth", _("Ngày sinh không hợp lệ."))


def citizen_register(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: datetime.date | None,
    sex: str,
    phone: str,
    password: str,
    email: str = "",
    address: str = "",
    unit: Unit | None = None,
) -> User:
    """A citizen's own account for an ID the system does not know yet: a new Person and a User.

    An ID already on record is never linked here (anyone can read the name and birth date off a
    card): DomainError `claim_needed` (409) sends the caller to claim it with proof. Raises
    DomainError `invalid_registration` (422) with `details.fields` listing every problem.
    """
    errors = _FieldErrors()
    name = _check_name(errors, full_name)
    if sex not in Sex.values:
        errors.add("sex", _("Vui lòng chọn giới tính."))
    _check_birth(errors, date_of_birth, required=True)
    clean_id = errors.check(
        "personal_id",
        validate_personal_id,
        personal_id,
        date_of_birth=date_of_birth if "date_of_birth" not in errors.errors else None,
        sex=sex if sex in Sex.values else None,
    )
    clean_phone = errors.check("phone", normalize_phone, phone)
    errors.check("password", validate_password, password, User(username=clean_id or "", first_name=name, email=email))

    if clean_id:
        existing = Person.objects.filter(personal_id=clean_id).select_related("user").first()
        if User.objects.filter(username=clean_id).exists() or (existing and hasattr(existing, "user")):
            errors.add("personal_id", str(ACCOUNT_EXISTS_MESSAGE))
        elif existing:
            # Name and birth date are printed on the card, so they prove nothing: the records the
            # counter keeps under this ID are claimed with a code or at the desk (verification app).
            raise DomainError(
                str(CLAIM_NEEDED_MESSAGE),
                code="claim_needed",
                status=409,
                details={"fields": {"personal_id": [str(CLAIM_NEEDED_MESSAGE)]}, "personal_id": clean_id},
            )
    if clean_phone and User.objects.filter(person__phone=clean_phone, is_officer=False).exists():
        errors.add("phone", _("Số điện thoại này đã được dùng cho một tài khoản khác."))
    errors.raise_if_any(_("Thông tin đăng ký chưa hợp lệ."), "invalid_registration")

    try:
        with transaction.atomic():
            person = Person.objects.create(
                personal_id=clean_id,
                full_name=name,
                date_of_birth=date_of_birth,
                sex=sex,
                phone=clean_phone,
                email=email,
                address=address,
                unit=unit,
            )
            user = User(
                username=clean_id, first_name=name, email=email, person=person, person_proof=PersonProof.SELF_DECLARED
            )
            user.set_password(password)
            user.save()
            _audit(actor=user, action="account.registered", obj=user, data={"person_id": person.pk})
    except IntegrityError:
        # Someone registered the same ID between our checks and the insert.
        raise DomainError(
            str(ACCOUNT_EXISTS_MESSAGE),
            code="invalid_registration",
            status=422,
            details={"fields": {"personal_id": [str(ACCOUNT_EXISTS_MESSAGE)]}},
        )
    return user


def person_create(
    *,
    actor: User,
    full_name: str,
    unit: Unit,
    personal_id: str = "",
    old_id: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    hamlet: Hamlet | None = None,
    id_issued_on: datetime.date | None = None,
) -> Person:
    """An officer records a person (at the counter, or for an assisted submission) in their area.

    Raises PermissionDenied for non-officers or a unit outside the officer's scope, and
    DomainError `invalid_person` (422) with `details.fields`.
    """
    if not user_is_officer(actor):
        raise PermissionDenied()
    if unit is None or not (user_sees_all_people(actor) or unit.pk in user_scope_units(actor)):
        raise PermissionDenied(
            _("Chỉ được thêm công dân cư trú trên địa bàn được phân công phụ trách."), code="unit_out_of_scope"
        )
    errors = _FieldErrors()
    name = _check_name(errors, full_name)
    if sex and sex not in Sex.values:
        errors.add("sex", _("Giới tính không hợp lệ."))
    _check_birth(errors, date_of_birth, required=False)
    clean_id = None
    if (personal_id or "").strip():
        clean_id = errors.check(
            "personal_id",
            validate_personal_id,
            personal_id,
            date_of_birth=date_of_birth if "date_of_birth" not in errors.errors else None,
            sex=sex or None,
        )
        if clean_id and Person.objects.filter(personal_id=clean_id).exists():
            errors.add("personal_id", _("Công dân có số định danh này đã có trong hệ thống."))
    clean_phone = errors.check("phone", normalize_phone, phone) if (phone or "").strip() else ""
    if hamlet is not None and hamlet.unit_id != unit.pk:
        errors.add("hamlet", _("Ấp, khóm không thuộc xã, phường đã chọn."))
    errors.raise_if_any(_("Thông tin công dân chưa hợp lệ."), "invalid_person")

    try:
        with transaction.atomic():
            person = Person.objects.create(
                personal_id=clean_id,
                old_id=(old_id or "").strip(),
                full_name=name,
                date_of_birth=date_of_birth,
                sex=sex,
                phone=clean_phone or "",
                email=email,
                address=" ".join((address or "").split()),
                unit=unit,
                hamlet=hamlet,
                id_issued_on=id_issued_on,
            )
            _audit(actor=actor, action="person.created", obj=person, data={"unit_id": unit.pk})
    except IntegrityError:
        raise DomainError(
            _("Công dân có số định danh này đã có trong hệ thống."),
            code="invalid_person",
            status=422,
            details={"fields": {"personal_id": [_("Công dân có số định danh này đã có trong hệ thống.")]}},
        )
    return person
