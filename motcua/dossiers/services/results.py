"""Result documents: the officer attaches the signed result (PDF) before it is handed back.

A result is stored as a DossierDocument of kind `result`, always digitised: it is the electronic
original the citizen downloads and may reuse in later dossiers (see
`intake.reusable_documents_for`). Several files may be attached (a decision and a certificate);
none can be added once the result has been returned.

Also here: which signature a dossier's result needs (`result_signature_of`), read from the
procedure version the dossier was received under, so that a rule added later does not reach back.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import ResultSignature
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Role, User
from motcua.dossiers.files import attach_file, check_upload, cleanup_on_error
from motcua.dossiers.models import DocumentKind, Dossier, DossierDocument, DossierStatus

from .records import dossier_record
from .workflow_context import actor_roles

S = DossierStatus
# Received and not yet returned: on the standard workflow the leader's approval resolves the
# dossier, and the desk attaches the signed file while it waits to be handed back.
RESULT_UPLOAD_STATUSES = (S.RECEIVED, S.PROCESSING, S.RESOLVED)
RESULT_UPLOAD_ROLES = frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER})
MAX_NAME = 500


def result_upload_allowed(*, dossier: Dossier, actor: User | None) -> bool:
    """Whether `actor` may attach a result file to `dossier` now (for showing the form)."""
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
                _("Tài khoản này không có vai trò xử lý hồ sơ này nên không đính kèm được tệp kết quả."),
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
        dossier_record(
            locked,
            actor=actor,
            action="result_uploaded",
            from_status=locked.status,
            note=document.name,
            data=data,
            audit_data=data,
            # The citizen is told when the result is ready, not when a file is attached.
            public=False,
        )
    return document


def result_signature_of(dossier: Dossier) -> str:
    """`none`, `leader` or `leader_and_seal` for this dossier (its procedure snapshot decides).

    Dossiers received before the procedure carried the rule have no key in their snapshot: they
    need no digital signature, as when they were received.
    """
    value = (dossier.procedure_snapshot or {}).get("result_signature") or ResultSignature.NONE
    return value if value in ResultSignature.values else ResultSignature.NONE


def result_needs_signature(dossier: Dossier) -> bool:
    return result_signature_of(dossier) != ResultSignature.NONE
