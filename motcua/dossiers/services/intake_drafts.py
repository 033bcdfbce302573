"""Drafts: the portal's dossier before it is sent, made by a citizen for themselves or, with
the citizen's recorded consent, by an officer or community-team member for them (assisted).

The applicant's contact details and the result delivery are checked here for every channel
(the desk's intake uses the same checks).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.core import scope
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.identity import normalize_phone
from motcua.core.models import Agency, Person, Role, User
from motcua.core.transitions import audit_record
from motcua.dossiers.models import Channel, Dossier, DossierEvent, DossierStatus, ResultDelivery

from .intake_codes import dossier_choose_agency


class ConsentHow(models.TextChoices):
    SIGNED = "signed", gettext_lazy("Ký xác nhận trên giấy")
    VERBAL = "verbal", gettext_lazy("Đồng ý bằng lời nói, trực tiếp")
    PHONE = "phone", gettext_lazy("Đồng ý qua điện thoại")
    ELECTRONIC = "electronic", gettext_lazy("Xác nhận điện tử (tin nhắn, ứng dụng)")


@dataclass(frozen=True)
class Contact:
    """Contact details the applicant may change for this dossier (name and ID come from the person)."""

    phone: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class Consent:
    text: str
    how: str
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class Delivery:
    method: str = ResultDelivery.DESK
    address: str = ""


@dataclass
class _Fields:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


# --- who may file for whom ------------------------------------------------------------------


def _assist_allowed(actor: User, person: Person) -> bool:
    """Officers of the person's area and community-team members of it may submit for them."""
    # A community-team member's role counts even on a resident's own (non-officer) account.
    roles = None if actor.is_officer else [Role.OUTREACH_MEMBER]
    for unit in scope.role_units(actor, roles=roles, any_account=True):
        if person.unit_id and scope.units_in_scope(unit).filter(pk=person.unit_id).exists():
            return True
    return actor.is_superuser


def dossier_get_for_intake(*, actor: User, ref: str | int) -> Dossier:
    """A dossier this user submitted or applied for, by id (drafts have no code) or code."""
    text = str(ref).strip()
    lookup = Q(pk=int(text)) if text.isdecimal() else Q(code=text)
    owner = Q(submitted_by=actor)
    if getattr(actor, "person_id", None):
        owner |= Q(applicant_person_id=actor.person_id)
    dossier = Dossier.objects.filter(lookup & owner).select_related("procedure", "receiving_agency").first()
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    return dossier


def _clean_contact(person: Person, contact: Contact | None) -> dict:
    contact = contact or Contact()
    errors = _Fields()
    phone = person.phone
    if contact.phone.strip():
        try:
            phone = normalize_phone(contact.phone)
        except ValidationError as exc:
            errors.add("phone", " ".join(exc.messages))
    email = contact.email.strip() or person.email
    if email and ("@" not in email or len(email) > 254):
        errors.add("email", _("Địa chỉ thư điện tử không hợp lệ."))
    if errors.errors:
        raise DomainError(
            _("Thông tin người nộp chưa hợp lệ."),
            code="invalid_applicant",
            status=422,
            details={"fields": errors.errors},
        )
    return {
        "applicant_person": person,
        "applicant_name": person.full_name,
        "applicant_personal_id": person.personal_id or person.old_id or "",
        "applicant_phone": phone or "",
        "applicant_address": " ".join((contact.address or person.address or "").split()),
        "applicant_email": email or "",
    }


def _clean_delivery(delivery: Delivery | None, applicant_address: str) -> dict:
    delivery = delivery or Delivery()
    if delivery.method not in ResultDelivery.values:
        raise DomainError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_delivery", status=422)
    address = " ".join((delivery.address or "").split())
    if delivery.method == ResultDelivery.POST:
        address = address or applicant_address
        if not address:
            raise DomainError(
                _("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."), code="delivery_address_required", status=422
            )
    return {"result_delivery": delivery.method, "delivery_address": address}


def applicant_fields(person: Person, contact: Contact | None, delivery: Delivery | None) -> dict:
    """A dossier's applicant and result-delivery fields, checked: the person's own details unless
    `contact` gives others, and the applicant's address for delivery by post unless one is given."""
    fields = _clean_contact(person, contact)
    fields.update(_clean_delivery(delivery, fields["applicant_address"]))
    return fields


def _applicant_and_channel(*, actor: User, person: Person | None, consent: Consent | None) -> tuple[Person, str]:
    if person is None or person.pk == actor.person_id:
        if actor.person_id is None:
            raise DomainError(
                _("Tài khoản chưa gắn với công dân nào. Cán bộ nộp thay phải chọn người nộp."),
                code="applicant_required",
                status=422,
            )
        return actor.person, Channel.ONLINE
    if not _assist_allowed(actor, person):
        raise PermissionDenied(
            _("Tài khoản này không được nộp hồ sơ thay cho công dân này."), code="assist_not_allowed"
        )
    if consent is None or not consent.text.strip() or consent.how not in ConsentHow.values:
        raise DomainError(
            _("Cần ghi nhận sự đồng ý của công dân (nội dung và hình thức đồng ý) trước khi nộp thay."),
            code="consent_required",
            status=422,
        )
    return person, Channel.ASSISTED


def dossier_for_idempotency_key(*, actor: User, key: str | None) -> Dossier | None:
    """The dossier this user already made with this key, if any (a retried request)."""
    if not key or not getattr(actor, "is_authenticated", False):
        return None
    return Dossier.objects.filter(submitted_by=actor, idempotency_key=key[:64]).first()


def dossier_draft_create(
    *,
    actor: User,
    procedure: Procedure,
    person: Person | None = None,
    contact: Contact | None = None,
    agency: Agency | None = None,
    delivery: Delivery | None = None,
    consent: Consent | None = None,
    idempotency_key: str | None = None,
) -> tuple[Dossier, bool]:
    """A draft (no code) for the actor or, with consent, for a citizen they assist.

    Returns (dossier, created); the same idempotency key from the same user returns the dossier
    it made the first time, whatever became of it."""
    existing = dossier_for_idempotency_key(actor=actor, key=idempotency_key)
    if existing is not None:
        return existing, False
    if not procedure.is_active:
        raise NotFound(code="procedure_not_found")
    if procedure.online_level == OnlineLevel.NONE:
        raise DomainError(
            _("Thủ tục này chưa được nộp trực tuyến. Vui lòng nộp tại bộ phận một cửa."), code="procedure_not_online"
        )
    applicant, channel = _applicant_and_channel(actor=actor, person=person, consent=consent)
    if consent is not None and consent.at is not None and timezone.is_naive(consent.at):
        consent = Consent(text=consent.text, how=consent.how, at=timezone.make_aware(consent.at))
    fields = applicant_fields(applicant, contact, delivery)
    receiving = dossier_choose_agency(procedure, applicant.unit, agency=agency)
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                procedure=procedure,
                channel=channel,
                status=DossierStatus.DRAFT,
                receiving_agency=receiving,
                submitted_by=actor,
                idempotency_key=(idempotency_key or None) and idempotency_key[:64],
                consent_text=consent.text.strip() if channel == Channel.ASSISTED else "",
                # A consent time sent by a client may be earlier (given on paper first), never later.
                consent_at=min(consent.at or timezone.now(), timezone.now()) if channel == Channel.ASSISTED else None,
                **fields,
            )
            data = {"channel": channel}
            if channel == Channel.ASSISTED:
                data["consent_how"] = consent.how
            DossierEvent.objects.create(
                dossier=dossier, actor=actor, action="draft", to_status=DossierStatus.DRAFT, data=data, public=False
            )
            audit_record(actor=actor, action="dossier.draft_created", obj=dossier, data=data)
    except IntegrityError:
        # The same key raced in from a second request: hand back what the first one made.
        existing = dossier_for_idempotency_key(actor=actor, key=idempotency_key)
        if existing is None:
            raise
        return existing, False
    return dossier, True


def _editable(dossier: Dossier, actor: User) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
    if dossier.submitted_by_id != actor.pk:
        raise NotFound(code="dossier_not_found")
    if dossier.status != DossierStatus.DRAFT:
        raise DomainError(
            _("Hồ sơ đã nộp, không sửa được nữa."),
            code="dossier_not_draft",
            status=409,
            details={"status": dossier.status},
        )
    return dossier


def dossier_draft_update(
    *,
    actor: User,
    dossier: Dossier,
    contact: Contact | None = None,
    delivery: Delivery | None = None,
    agency: Agency | None = None,
) -> Dossier:
    """Change a draft's contact details, delivery choice or receiving agency."""
    with transaction.atomic():
        dossier = _editable(dossier, actor)
        fields = applicant_fields(dossier.applicant_person, contact, delivery)
        if agency is not None:
            fields["receiving_agency"] = dossier_choose_agency(dossier.procedure, None, agency=agency)
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.save(update_fields=[*fields.keys(), "updated_at"])
    return dossier
