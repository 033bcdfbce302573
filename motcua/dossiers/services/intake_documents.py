"""The documents of a draft: uploads, reuses of the applicant's digitised papers, and what is
still missing before it can be sent.

Every function that stores files runs inside `cleanup_on_error()`, so a failure leaves neither
a row nor a file.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.catalog.models import RequiredDocument
from motcua.core.errors import DomainError
from motcua.core.models import Person, User
from motcua.core.transitions import audit_record
from motcua.dossiers.files import attach_file, check_upload, cleanup_on_error, delete_file_if_unused
from motcua.dossiers.models import DocumentKind, Dossier, DossierDocument, DossierStatus

from .intake_drafts import _editable


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
        audit_record(
            actor=actor,
            action="dossier.document_uploaded",
            obj=dossier,
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
        audit_record(
            actor=actor,
            action="dossier.document_reused",
            obj=dossier,
            data={"document": document.pk, "reused_from": source.pk},
        )
    return document
