"""Intake: drafts, uploads, online / assisted submission, desk intake, dossier codes.

Channels:
- online: a citizen for themselves (the applicant is their own Person);
- assisted: an officer or community-team member for a citizen, with the citizen's recorded consent;
- counter / post: a receptionist at the desk; the dossier is created, coded and then received,
  sent back for supplement or refused through the workflow's `dossier_act`, in one transaction.

Every function that stores files runs inside `cleanup_on_error()`, so a failure leaves neither
a row nor a file.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import OnlineLevel, Procedure, RequiredDocument
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.identity import normalize_phone
from motcua.core.models import Agency, AuditEvent, Person, Role, RoleAssignment, User
from motcua.core.scope import units_in_scope
from motcua.dossiers.files import attach_file, check_upload, cleanup_on_error, delete_file_if_unused
from motcua.dossiers.models import (
    Channel,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    ResultDelivery,
)

from .intake_codes import dossier_choose_agency, dossier_code_next, procedure_snapshot

__all__ = [
    "Consent",
    "ConsentHow",
    "Contact",
    "Delivery",
    "dossier_choose_agency",
    "dossier_code_next",
    "dossier_document_reuse",
    "dossier_document_upload",
    "dossier_draft_create",
    "dossier_draft_update",
    "dossier_for_idempotency_key",
    "dossier_get_for_intake",
    "dossier_missing_documents",
    "dossier_online_save",
    "dossier_submit",
    "procedure_snapshot",
    "reusable_documents_for",
]


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


# --- small reads used by intake (the access rules live with the write they guard) -----------


def _assist_allowed(actor: User, person: Person) -> bool:
    """Officers of the person's area and community-team members of it may submit for them."""
    roles = RoleAssignment.objects.filter(user=actor).select_related("unit", "agency__unit")
    if not actor.is_officer:
        roles = roles.filter(role=Role.OUTREACH_MEMBER)
    for role in roles:
        unit = role.unit if role.unit_id else role.agency.unit
        if person.unit_id and units_in_scope(unit).filter(pk=person.unit_id).exists():
            return True
    return actor.is_superuser


def reusable_documents_for(person: Person | None) -> QuerySet[DossierDocument]:
    """The person's digitised documents and results, originals only (reuses point at them).

    A result counts once its dossier is resolved: before that the file may still be replaced."""
    if person is None:
        return DossierDocument.objects.none()
    result_final = Q(dossier__status__in=(DossierStatus.RESOLVED, DossierStatus.RETURNED))
    return (
        DossierDocument.objects.filter(dossier__applicant_person=person, reused_from__isnull=True)
        .filter((Q(is_digitised=True) & ~Q(kind=DocumentKind.RESULT)) | (Q(kind=DocumentKind.RESULT) & result_final))
        .exclude(file="")
        .select_related("dossier")
        .order_by("-created_at", "-id")
    )


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


def dossier_missing_documents(dossier: Dossier) -> list[RequiredDocument]:
    """Required documents with neither a file nor a ticked paper. Documents that apply only in
    some cases (a `condition`) cannot be enforced by the system and are left to the officer."""
    have = set(
        dossier.documents.filter(kind=DocumentKind.INPUT)
        .filter(~Q(file="") | Q(paper_received=True))
        .values_list("required_document_id", flat=True)
    )
    return [d for d in dossier.procedure.documents.all() if d.is_required and not d.condition and d.pk not in have]


def _missing_error(missing: list[RequiredDocument]) -> DomainError:
    names = "; ".join(d.name for d in missing)
    return DomainError(
        _("Hồ sơ còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": names},
        code="missing_documents",
        status=422,
        details={"missing": [{"required_document": d.pk, "name": d.name} for d in missing]},
    )


# --- drafts and documents ---------------------------------------------------------------------


def _audit(*, actor: User | None, action: str, dossier: Dossier, data: dict | None = None) -> None:
    AuditEvent.objects.create(
        actor=actor, action=action, object_type="dossier", object_id=str(dossier.pk), data=data or {}
    )


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
        raise PermissionDenied(_("Bạn không được nộp hồ sơ thay cho công dân này."), code="assist_not_allowed")
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
    fields = _clean_contact(applicant, contact)
    fields.update(_clean_delivery(delivery, fields["applicant_address"]))
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
            _audit(actor=actor, action="dossier.draft_created", dossier=dossier, data=data)
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
        fields = _clean_contact(dossier.applicant_person, contact)
        fields.update(_clean_delivery(delivery, fields["applicant_address"]))
        if agency is not None:
            fields["receiving_agency"] = dossier_choose_agency(dossier.procedure, None, agency=agency)
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.save(update_fields=[*fields.keys(), "updated_at"])
    return dossier


def _required_document(dossier: Dossier, required_document_id: int) -> RequiredDocument:
    document = RequiredDocument.objects.filter(pk=required_document_id, procedure_id=dossier.procedure_id).first()
    if document is None:
        raise DomainError(
            _("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục."), code="invalid_required_document", status=422
        )
    return document


def _replace_input(dossier: Dossier, required: RequiredDocument) -> None:
    for old in dossier.documents.filter(kind=DocumentKind.INPUT, required_document=required):
        name = old.file.name
        old.delete()
        delete_file_if_unused(name, model=DossierDocument)


def dossier_document_upload(
    *, actor: User, dossier: Dossier, required_document_id: int, upload: UploadedFile | bytes
) -> DossierDocument:
    """Attach a file to a draft for one required document (replacing an earlier one).

    The content is checked before anything is written; a refused file leaves nothing behind."""
    checked = check_upload(upload)
    with cleanup_on_error(), transaction.atomic():
        dossier = _editable(dossier, actor)
        required = _required_document(dossier, required_document_id)
        _replace_input(dossier, required)
        document = DossierDocument(
            dossier=dossier,
            kind=DocumentKind.INPUT,
            required_document=required,
            name=required.name,
            uploaded_by=actor,
        )
        attach_file(document, checked)
        document.save()
        _audit(
            actor=actor,
            action="dossier.document_uploaded",
            dossier=dossier,
            data={"document": document.pk, "sha256": checked.sha256, "size": checked.size},
        )
    return document


def dossier_document_reuse(
    *, actor: User, dossier: Dossier, required_document_id: int, source_id: int
) -> DossierDocument:
    """Use a digitised document or result the applicant already has instead of a new upload."""
    with transaction.atomic():
        dossier = _editable(dossier, actor)
        required = _required_document(dossier, required_document_id)
        if not required.reusable_digitised:
            raise DomainError(
                _("Giấy tờ “%(name)s” không dùng lại bản số hóa được, vui lòng tải tệp lên.") % {"name": required.name},
                code="reuse_not_allowed",
                status=422,
            )
        source = reusable_documents_for(dossier.applicant_person).filter(pk=source_id).first()
        if source is None:
            raise DomainError(
                _("Không tìm thấy giấy tờ đã số hóa để dùng lại."), code="reuse_source_not_found", status=422
            )
        _replace_input(dossier, required)
        document = DossierDocument.objects.create(
            dossier=dossier,
            kind=DocumentKind.INPUT,
            required_document=required,
            name=required.name,
            file=source.file.name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            is_digitised=True,
            reused_from=source,
            uploaded_by=actor,
        )
        _audit(
            actor=actor,
            action="dossier.document_reused",
            dossier=dossier,
            data={"document": document.pk, "reused_from": source.pk},
        )
    return document


# --- submission ----------------------------------------------------------------------------------


def _register(*, dossier: Dossier, actor: User, now: datetime.datetime, from_status: str) -> DossierEvent:
    """Code, snapshot, queue: the dossier becomes `registered` (waiting for the desk's check)."""
    procedure = dossier.procedure
    dossier.code = dossier_code_next(agency=dossier.receiving_agency, at=now)
    dossier.status = DossierStatus.REGISTERED
    dossier.submitted_at = now
    dossier.procedure_snapshot = procedure_snapshot(procedure)
    dossier.current_agency = dossier.receiving_agency
    dossier.office = dossier.receiving_agency.offices.filter(is_active=True).order_by("pk").first()
    dossier.save(
        update_fields=[
            "code",
            "status",
            "submitted_at",
            "procedure_snapshot",
            "current_agency",
            "office",
            "updated_at",
        ]
    )
    event = DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        action="submit",
        from_status=from_status,
        to_status=DossierStatus.REGISTERED,
        data={"channel": dossier.channel, "code": dossier.code},
    )
    _audit(actor=actor, action="dossier.submitted", dossier=dossier, data={"code": dossier.code})
    return event


def dossier_submit(*, actor: User, dossier: Dossier, now: datetime.datetime | None = None) -> Dossier:
    """Submit a draft online (or assisted): all required documents present -> registered, coded,
    and the applicant told. Submitting an already submitted dossier returns it unchanged.

    `now` exists for imports of historical dossiers and the demo data; live callers omit it."""
    from motcua.dossiers.events import emit

    with transaction.atomic():
        current = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if current.submitted_by_id != actor.pk:
            raise NotFound(code="dossier_not_found")
        if current.status != DossierStatus.DRAFT:
            return current
        missing = dossier_missing_documents(current)
        if missing:
            raise _missing_error(missing)
        event = _register(dossier=current, actor=actor, now=now or timezone.now(), from_status=DossierStatus.DRAFT)
        note = _(
            "Hồ sơ “%(procedure)s” đã được gửi với mã %(code)s. Bộ phận một cửa %(agency)s sẽ kiểm tra và "
            "thông báo tiếp nhận hoặc yêu cầu bổ sung."
        ) % {"procedure": current.procedure.name, "code": current.code, "agency": current.receiving_agency.name}
        emit(current, "registered", event_id=event.pk, note=note)
        if current.channel == Channel.ASSISTED:
            # A community-team member submitting for a household counts as help given (once).
            from motcua.outreach.services import visit_record_from_dossier

            visit_record_from_dossier(dossier=current)
    return current


def dossier_online_save(
    *,
    actor: User,
    procedure: Procedure,
    dossier: Dossier | None = None,
    idempotency_key: str | None = None,
    person: Person | None = None,
    consent: Consent | None = None,
    contact: Contact | None = None,
    delivery: Delivery | None = None,
    agency: Agency | None = None,
    uploads: dict[int, UploadedFile] | None = None,
    reuses: dict[int, int] | None = None,
    submit: bool = False,
) -> Dossier:
    """The portal form in one go: create or update the draft, attach files and reuses, and
    optionally submit. All or nothing: any refusal leaves the database and storage as they were.
    A repeated submission (same key, or a dossier already submitted) returns the dossier as is."""
    uploads = uploads or {}
    checked = {doc_id: check_upload(upload) for doc_id, upload in uploads.items()}
    with cleanup_on_error(), transaction.atomic():
        if dossier is None:
            dossier, _created = dossier_draft_create(
                actor=actor,
                procedure=procedure,
                person=person,
                contact=contact,
                agency=agency,
                delivery=delivery,
                consent=consent,
                idempotency_key=idempotency_key,
            )
        if dossier.status != DossierStatus.DRAFT:
            return dossier
        if dossier.procedure_id != procedure.pk:
            raise NotFound(code="dossier_not_found")
        dossier_draft_update(actor=actor, dossier=dossier, contact=contact, delivery=delivery, agency=agency)
        for doc_id, content in checked.items():
            dossier_document_upload(actor=actor, dossier=dossier, required_document_id=doc_id, upload=content.content)
        for doc_id, source_id in (reuses or {}).items():
            if doc_id not in checked:
                dossier_document_reuse(actor=actor, dossier=dossier, required_document_id=doc_id, source_id=source_id)
        if submit:
            dossier = dossier_submit(actor=actor, dossier=dossier)
        dossier.refresh_from_db()
    return dossier
