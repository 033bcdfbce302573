"""Intake services: drafts, uploads, submission, idempotency, codes, assisted consent, desk."""

import datetime
import threading
import zoneinfo

import pytest
from django.core.files.storage import default_storage
from django.db import connections, transaction

from motcua.catalog.models import RequiredDocument
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AgencyKind, AuditEvent, Role
from motcua.dossiers.models import (
    Channel,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
)
from motcua.dossiers.services import intake
from motcua.notifications.models import InboxMessage
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    OfficerFactory,
    PersonFactory,
    ProcedureFactory,
    grant,
)

# Shared fixtures (see intake_helpers).
media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _submit_full(world, key=None, actor=None):
    return intake.dossier_online_save(
        actor=actor or world.citizen,
        procedure=world.procedure,
        idempotency_key=key,
        uploads={
            world.form.pk: upload("to-khai.pdf", pdf_bytes()),
            world.id_copy.pk: upload("chung-sinh.jpg", image_bytes(), "image/jpeg"),
        },
        submit=True,
    )


# --- agency and codes -------------------------------------------------------------------------


def test_agency_is_the_procedure_kind_in_the_applicants_commune(world):
    AgencyFactory(unit=world.commune, kind=AgencyKind.COMMUNE_POLICE)
    assert intake.dossier_choose_agency(world.procedure, world.commune) == world.agency


def test_province_level_procedure_goes_to_the_province(world):
    department = AgencyFactory(unit=world.commune.parent, kind=AgencyKind.DEPARTMENT, name="Sở Tư pháp")
    world.procedure.level, world.procedure.agency_kind = "province", AgencyKind.DEPARTMENT
    assert intake.dossier_choose_agency(world.procedure, world.commune) == department


def test_picked_agency_must_handle_the_procedure(world):
    police = AgencyFactory(unit=world.commune, kind=AgencyKind.COMMUNE_POLICE)
    with pytest.raises(DomainError) as exc:
        intake.dossier_choose_agency(world.procedure, world.commune, agency=police)
    assert exc.value.code == "agency_not_allowed"


def test_code_format_and_numbering_per_agency_per_local_day(world):
    other = AgencyFactory(code="000.00.32.H12")
    late_evening = datetime.datetime(2026, 3, 15, 23, 30, tzinfo=HCM)  # 16:30 UTC, still the 15th locally
    with transaction.atomic():
        first = intake.dossier_code_next(agency=world.agency, at=late_evening)
        second = intake.dossier_code_next(agency=world.agency, at=late_evening)
        elsewhere = intake.dossier_code_next(agency=other, at=late_evening)
        next_day = intake.dossier_code_next(agency=world.agency, at=late_evening + datetime.timedelta(hours=1))
    assert (first, second) == ("000.00.31.H12-260315-0001", "000.00.31.H12-260315-0002")
    assert elsewhere == "000.00.32.H12-260315-0001"
    assert next_day == "000.00.31.H12-260316-0001"


# --- online ---------------------------------------------------------------------------------


def test_draft_has_no_code_and_prefills_applicant(world):
    dossier, created = intake.dossier_draft_create(actor=world.citizen, procedure=world.procedure)
    person = world.citizen.person
    assert created and dossier.status == DossierStatus.DRAFT and dossier.code is None
    assert (dossier.applicant_name, dossier.applicant_personal_id, dossier.applicant_phone) == (
        person.full_name,
        person.personal_id,
        person.phone,
    )
    assert dossier.receiving_agency == world.agency and dossier.channel == Channel.ONLINE


def test_online_submission_registers_codes_and_tells_the_citizen(world, media):
    dossier = _submit_full(world)
    assert dossier.status == DossierStatus.REGISTERED
    assert dossier.code.startswith("000.00.31.H12-") and dossier.code.endswith("-0001")
    assert dossier.submitted_at is not None and dossier.current_agency == world.agency
    assert dossier.procedure_snapshot["code"] == "1.001193"
    assert len(dossier.procedure_snapshot["documents"]) == 3
    assert DossierEvent.objects.filter(dossier=dossier, action="submit", to_status="registered").exists()
    assert AuditEvent.objects.filter(object_type="dossier", object_id=str(dossier.pk), action="dossier.submitted")
    message = InboxMessage.objects.get(person=world.citizen.person)
    assert dossier.code in message.body
    docs = list(dossier.documents.order_by("required_document__order"))
    assert [d.content_type for d in docs] == ["application/pdf", "image/jpeg"]
    assert all(default_storage.exists(d.file.name) for d in docs)
    assert docs[0].file.name.endswith(f"{docs[0].sha256}.pdf")


def test_missing_required_documents_refused_and_nothing_written(world, media):
    before = (Dossier.objects.count(), DossierDocument.objects.count())
    with pytest.raises(DomainError) as exc:
        intake.dossier_online_save(
            actor=world.citizen,
            procedure=world.procedure,
            uploads={world.form.pk: upload("to-khai.pdf", pdf_bytes())},
            submit=True,
        )
    assert exc.value.code == "missing_documents" and exc.value.status == 422
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc: Giấy chứng sinh" in exc.value.message
    assert exc.value.details["missing"] == [{"required_document": world.id_copy.pk, "name": "Giấy chứng sinh"}]
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == before
    assert _stored_files(media) == []


def test_bad_upload_leaves_no_row_and_no_file(world, media):
    dossier, _ = intake.dossier_draft_create(actor=world.citizen, procedure=world.procedure)
    intake.dossier_document_upload(
        actor=world.citizen, dossier=dossier, required_document_id=world.form.pk, upload=upload("a.pdf", pdf_bytes())
    )
    kept = _stored_files(media)
    for content, code in ((b"khong phai anh", "file_type_not_allowed"), (image_bytes()[:100], "file_corrupt")):
        with pytest.raises(DomainError) as exc:
            intake.dossier_document_upload(
                actor=world.citizen,
                dossier=dossier,
                required_document_id=world.id_copy.pk,
                upload=upload("x.jpg", content, "image/jpeg"),
            )
        assert exc.value.code == code
    assert dossier.documents.count() == 1
    assert _stored_files(media) == kept


def test_failure_after_storing_deletes_the_stored_files(world, media):
    # The PDF is stored, then the PNG for a document of another procedure fails: nothing remains.
    stranger = RequiredDocument.objects.create(procedure=ProcedureFactory(), name="Giấy khác")
    with pytest.raises(DomainError) as exc:
        intake.dossier_online_save(
            actor=world.citizen,
            procedure=world.procedure,
            uploads={world.form.pk: upload("a.pdf", pdf_bytes()), stranger.pk: upload("b.png", image_bytes("PNG"))},
        )
    assert exc.value.code == "invalid_required_document"
    assert Dossier.objects.count() == 0 and _stored_files(media) == []


def test_replacing_an_upload_keeps_one_document(world, media):
    dossier, _ = intake.dossier_draft_create(actor=world.citizen, procedure=world.procedure)
    for content in (pdf_bytes(), image_bytes("PNG")):
        intake.dossier_document_upload(
            actor=world.citizen, dossier=dossier, required_document_id=world.form.pk, upload=upload("a", content)
        )
    assert list(dossier.documents.values_list("content_type", flat=True)) == ["image/png"]


def test_same_idempotency_key_twice_makes_one_dossier(world):
    first = _submit_full(world, key="k-123")
    second = _submit_full(world, key="k-123")
    assert first.pk == second.pk
    assert Dossier.objects.count() == 1 and DossierDocument.objects.count() == 2
    # Another user may use the same key for their own dossier.
    other = CitizenUserFactory(person__unit=world.commune)
    assert _submit_full(world, key="k-123", actor=other).pk != first.pk


def test_submitting_twice_returns_the_same_dossier(world):
    dossier = _submit_full(world)
    again = intake.dossier_submit(actor=world.citizen, dossier=dossier)
    assert again.code == dossier.code and Dossier.objects.count() == 1


def test_reuse_a_digitised_document(world, media):
    earlier = _submit_full(world)
    original = earlier.documents.get(required_document=world.id_copy)
    original.is_digitised = True
    original.save()
    dossier = intake.dossier_online_save(
        actor=world.citizen,
        procedure=world.procedure,
        uploads={world.form.pk: upload("a.pdf", pdf_bytes())},
        reuses={world.id_copy.pk: original.pk},
        submit=True,
    )
    reused = dossier.documents.get(required_document=world.id_copy)
    assert reused.reused_from == original and reused.file.name == original.file.name
    # Someone else's document cannot be reused.
    other = CitizenUserFactory(person__unit=world.commune)
    draft, _ = intake.dossier_draft_create(actor=other, procedure=world.procedure)
    with pytest.raises(DomainError) as exc:
        intake.dossier_document_reuse(
            actor=other, dossier=draft, required_document_id=world.id_copy.pk, source_id=original.pk
        )
    assert exc.value.code == "reuse_source_not_found"


def test_reuse_only_where_the_procedure_allows_it(world):
    earlier = _submit_full(world)
    result = DossierDocument.objects.create(
        dossier=earlier, kind=DocumentKind.RESULT, name="Kết quả", file=earlier.documents.first().file.name
    )
    draft, _ = intake.dossier_draft_create(actor=world.citizen, procedure=world.procedure)
    with pytest.raises(DomainError) as exc:
        intake.dossier_document_reuse(
            actor=world.citizen, dossier=draft, required_document_id=world.form.pk, source_id=result.pk
        )
    assert exc.value.code == "reuse_not_allowed"


def test_post_delivery_needs_an_address(world):
    world.citizen.person.address = ""
    world.citizen.person.save()
    with pytest.raises(DomainError) as exc:
        intake.dossier_draft_create(
            actor=world.citizen, procedure=world.procedure, delivery=intake.Delivery(method="post")
        )
    assert exc.value.code == "delivery_address_required"


def test_submitted_dossier_cannot_be_edited(world):
    dossier = _submit_full(world)
    with pytest.raises(DomainError) as exc:
        intake.dossier_document_upload(
            actor=world.citizen, dossier=dossier, required_document_id=world.form.pk, upload=pdf_bytes()
        )
    assert exc.value.code == "dossier_not_draft"


# --- assisted -------------------------------------------------------------------------------


def test_assisted_needs_consent(world):
    helper = OfficerFactory()
    grant(helper, Role.OUTREACH_MEMBER, unit=world.commune)
    person = PersonFactory(unit=world.commune)
    with pytest.raises(DomainError) as exc:
        intake.dossier_draft_create(actor=helper, procedure=world.procedure, person=person)
    assert exc.value.code == "consent_required"
    assert Dossier.objects.count() == 0
    consent = intake.Consent(text="Tôi đồng ý để tổ CNSCĐ nộp hồ sơ thay tôi.", how="signed")
    dossier, _ = intake.dossier_draft_create(actor=helper, procedure=world.procedure, person=person, consent=consent)
    assert dossier.channel == Channel.ASSISTED and dossier.submitted_by == helper
    assert dossier.applicant_person == person and dossier.consent_text.startswith("Tôi đồng ý")
    assert dossier.consent_at is not None
    assert DossierEvent.objects.get(dossier=dossier, action="draft").data["consent_how"] == "signed"


def test_assist_outside_ones_area_is_refused(world):
    helper = OfficerFactory()
    grant(helper, Role.OUTREACH_MEMBER, unit=world.commune)
    stranger = PersonFactory()  # lives in another commune
    with pytest.raises(PermissionDenied):
        intake.dossier_draft_create(
            actor=helper,
            procedure=world.procedure,
            person=stranger,
            consent=intake.Consent(text="Đồng ý", how="verbal"),
        )


# --- concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_codes(world):
    citizens = [CitizenUserFactory(person__unit=world.commune) for _ in range(8)]
    barrier = threading.Barrier(len(citizens))
    codes, errors = [], []

    def run(user):
        try:
            barrier.wait()
            codes.append(_submit_full(world, actor=user).code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(u,)) for u in citizens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, len(citizens) + 1))
