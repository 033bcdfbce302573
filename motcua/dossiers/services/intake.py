"""Intake online: a draft sent (by the citizen, or assisted), and the portal form in one go.

Channels:
- online: a citizen for themselves (the applicant is their own Person);
- assisted: an officer or community-team member for a citizen, with the citizen's recorded consent;
- counter / post: a receptionist at the desk (`intake_desk`); the dossier is created, coded and
  then received, sent back for supplement or refused through the workflow's `dossier_act`.

Drafts are `intake_drafts`, their documents `intake_documents`, codes and receiving agencies
`intake_codes`; the names callers use are listed in `__all__` below.

Submission (draft -> registered) is the one status change outside `dossier_act`'s table (a draft
has no processing actions): it follows the same recipe with the same shared steps, `row_lock`,
then `records.dossier_record` (event row, audit row, the citizen's notice), then publishes
`dossier.submitted` for the apps above (outreach counts an assisted submission as help given).
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core import events
from motcua.core.errors import NotFound
from motcua.core.models import Agency, Person, User
from motcua.core.transitions import row_lock
from motcua.dossiers.files import check_upload, cleanup_on_error
from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus

from .. import topics
from .form_data import dossier_form_data_check_complete, dossier_form_data_set
from .intake_codes import dossier_choose_agency, dossier_code_next, procedure_snapshot
from .intake_documents import (
    _missing_error,
    dossier_document_reuse,
    dossier_document_upload,
    dossier_missing_documents,
    reusable_documents_for,
)
from .intake_drafts import (
    Consent,
    ConsentHow,
    Contact,
    Delivery,
    dossier_draft_create,
    dossier_draft_update,
    dossier_for_idempotency_key,
    dossier_get_for_intake,
)
from .records import dossier_record

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


# --- submission ----------------------------------------------------------------------------------


def _register(
    *, dossier: Dossier, actor: User, now: datetime.datetime, from_status: str, notify: bool = False
) -> DossierEvent:
    """Code, snapshot, queue: the dossier becomes `registered` (waiting for the desk's check).

    The event row and the audit row are the workflow's (`dossier_record`); with `notify` the
    applicant is told the code (online; at the desk the receptionist's outcome is the notice)."""
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
    notices = []
    if notify:
        note = _(
            "Hồ sơ “%(procedure)s” đã được gửi với mã %(code)s. Bộ phận một cửa %(agency)s sẽ kiểm tra và "
            "thông báo tiếp nhận hoặc yêu cầu bổ sung."
        ) % {"procedure": procedure.name, "code": dossier.code, "agency": dossier.receiving_agency.name}
        notices.append(("registered", {"note": note}))
    return dossier_record(
        dossier,
        actor=actor,
        action="submit",
        from_status=from_status,
        data={"channel": dossier.channel, "code": dossier.code},
        audit_action="dossier.submitted",
        audit_data={"code": dossier.code},
        notices=notices,
        at=now,
    )


def dossier_submit(*, actor: User, dossier: Dossier, now: datetime.datetime | None = None) -> Dossier:
    """Submit a draft online (or assisted): all required documents present -> registered, coded,
    and the applicant told. Submitting an already submitted dossier returns it unchanged.

    `now` exists for imports of historical dossiers and the demo data; live callers omit it."""
    with transaction.atomic():
        current = row_lock(
            Dossier, dossier.pk, related=("procedure", "receiving_agency"), not_found="dossier_not_found"
        )
        if current.submitted_by_id != actor.pk:
            raise NotFound(code="dossier_not_found")
        if current.status != DossierStatus.DRAFT:
            return current
        missing = dossier_missing_documents(current)
        if missing:
            raise _missing_error(missing)
        dossier_form_data_check_complete(current)
        _register(dossier=current, actor=actor, now=now or timezone.now(), from_status=DossierStatus.DRAFT, notify=True)
        events.publish(topics.SUBMITTED, dossier=current)
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
    form_data: dict | None = None,
    submit: bool = False,
) -> Dossier:
    """The portal form in one go: create or update the draft, attach files and reuses, and
    optionally submit. `form_data` (the application form's answers) replaces the draft's when
    given; required answers are enforced on submission. All or nothing: any refusal leaves the
    database and storage as they were. A repeated submission (same key, or a dossier already
    submitted) returns the dossier as is."""
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
        if form_data is not None:
            dossier_form_data_set(actor=actor, dossier=dossier, raw=form_data)
        for doc_id, content in checked.items():
            dossier_document_upload(actor=actor, dossier=dossier, required_document_id=doc_id, upload=content.content)
        for doc_id, source_id in (reuses or {}).items():
            if doc_id not in checked:
                dossier_document_reuse(actor=actor, dossier=dossier, required_document_id=doc_id, source_id=source_id)
        if submit:
            dossier = dossier_submit(actor=actor, dossier=dossier)
        dossier.refresh_from_db()
    return dossier
