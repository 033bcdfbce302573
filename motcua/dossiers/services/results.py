"""Result documents: the officer attaches the signed result (PDF) before it is handed back.

A result is stored as a DossierDocument of kind `result`, always digitised: it is the electronic
original the citizen downloads and may reuse in later dossiers (see
`intake.reusable_documents_for`). Several files may be attached (a decision and a certificate);
none can be added once the result has been returned.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import AuditEvent, Role, User
from motcua.dossiers.files import attach_file, check_upload, cleanup_on_error
from motcua.dossiers.models import DocumentKind, Dossier, DossierDocument, DossierEvent, DossierStatus

S = DossierStatus
# Received and not yet returned: on the standard workflow the leader's approval resolves the
# dossier, and the desk attaches the signed file while it waits to be handed back.
RESULT_UPLOAD_STATUSES = (S.RECEIVED, S.PROCESSING, S.RESOLVED)
RESULT_UPLOAD_ROLES = frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER})
MAX_NAME = 500


def result_upload_allowed(*, dossier: Dossier, actor: User | None) -> bool:
    """Whether `actor` may attach a result file to `dossier` now (for showing the form)."""
    from .workflow import actor_roles  # workflow imports the step handlers, which import deadlines

    if dossier.status not in RESULT_UPLOAD_STATUSES or actor is None:
        return False
    return bool(actor_roles(actor, dossier) & RESULT_UPLOAD_ROLES)


def dossier_result_upload(
    *, actor: User, dossier: Dossier, upload: UploadedFile | bytes, name: str = ""
) -> DossierDocument:
    """Attach a result PDF to a received dossier that has not been returned yet.

    Raises DomainError: 415 `result_not_pdf` for anything but a PDF (checked by content), the
    file checks of `files.check_upload`, 409 `result_upload_not_allowed` in another status, 403
    `action_forbidden` for an officer without a processing role on the dossier.
    """
    from .workflow import actor_roles

    checked = check_upload(upload)
    if checked.ext != "pdf":
        raise DomainError(
            _("Tệp kết quả phải là tệp PDF (bản ký số hoặc bản quét của văn bản kết quả)."),
            code="result_not_pdf",
            status=415,
        )
    title = " ".join((name or "").split())[:MAX_NAME]
    with cleanup_on_error(), transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("procedure").filter(pk=dossier.pk).first()
        if locked is None:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if locked.status not in RESULT_UPLOAD_STATUSES:
            raise DomainError(
                _("Chỉ đính kèm tệp kết quả khi hồ sơ đã được tiếp nhận và chưa trả kết quả (hiện: “%(status)s”).")
                % {"status": locked.get_status_display()},
                code="result_upload_not_allowed",
                status=409,
                details={"status": locked.status},
            )
        if not actor_roles(actor, locked) & RESULT_UPLOAD_ROLES:
            raise DomainError(
                _("Bạn không có vai trò xử lý hồ sơ này nên không đính kèm được tệp kết quả."),
                code="action_forbidden",
                status=403,
            )
        document = DossierDocument(
            dossier=locked,
            kind=DocumentKind.RESULT,
            name=title or _("Kết quả giải quyết: %(procedure)s") % {"procedure": locked.procedure.name},
            is_digitised=True,
            uploaded_by=actor,
        )
        attach_file(document, checked)
        document.save()
        data = {"document": document.pk, "sha256": checked.sha256, "size": checked.size}
        DossierEvent.objects.create(
            dossier=locked,
            actor=actor,
            action="result_uploaded",
            from_status=locked.status,
            to_status=locked.status,
            note=document.name,
            data=data,
            # The citizen is told when the result is ready, not when a file is attached.
            public=False,
        )
        AuditEvent.objects.create(
            actor=actor, action="dossier.result_uploaded", object_type="dossier", object_id=str(locked.pk), data=data
        )
    return document
