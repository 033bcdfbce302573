""" "Phê duyệt, ký" signs the result (PAdES, leader and seal as the procedure requires) or refuses;
a result that must be signed is not returned unsigned without a recorded decision."""

import io

import pytest
from pypdf import PdfReader

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.dossiers.models import DossierEvent, DossierStatus
from motcua.dossiers.services.results import dossier_result_upload
from motcua.dossiers.services.workflow import dossier_act
from motcua.notifications.models import InboxMessage
from motcua.signing.models import SignedDocument
from motcua.signing.services.certificates import certificate_import_pkcs12
from motcua.signing.services.verify import pdf_verify
from tests.factories import PersonFactory
from tests.signing.conftest import PASSPHRASE, p12_for, result_file

pytestmark = pytest.mark.django_db
S = DossierStatus


def _policy(dossier, value: str):
    snapshot = {**(dossier.procedure_snapshot or {}), "result_signature": value}
    type(dossier).objects.filter(pk=dossier.pk).update(procedure_snapshot=snapshot)
    dossier.procedure_snapshot = snapshot
    return dossier


@pytest.fixture
def appraised(received_dossier, specialist_a):
    """A dossier waiting for the leader's approval, whose procedure needs the leader's signature."""
    _policy(received_dossier, "leader")
    return dossier_act(dossier=received_dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ")


@pytest.fixture
def draft_result(appraised, specialist_a, sample_pdf):
    return dossier_result_upload(actor=specialist_a, dossier=appraised, upload=result_file(sample_pdf))


@pytest.fixture
def seal_cert(admin_user, agency_a, ca):
    return certificate_import_pkcs12(
        actor=admin_user, data=p12_for(ca, "UBND xã A"), passphrase=PASSPHRASE, label="Con dấu số", agency=agency_a
    )


def _read(document) -> bytes:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        return handle.read()


def test_approve_signs_the_result_and_tells_the_desk(
    appraised, draft_result, leader_a, leader_cert, trust_root, receptionist_a
):
    receptionist_a.person = PersonFactory(full_name="Lê Thị Một Cửa")
    receptionist_a.save(update_fields=["person"])
    d = dossier_act(dossier=appraised, actor=leader_a, action="approve", note="Đồng ý")
    assert d.status == S.RESOLVED
    data = _read(draft_result)
    verification = pdf_verify(pdf_bytes=data)
    assert verification.verdict == "valid"
    assert [s.signer_name for s in verification.signatures] == ["Nguyễn Văn Lãnh Đạo"]
    row = SignedDocument.objects.get(document=draft_result)
    assert row.signed_by == leader_a and row.sha256 == draft_result.sha256
    event = DossierEvent.objects.get(dossier=d, action="approve")
    assert event.data["signed_results"][0]["document"] == draft_result.pk
    assert event.data["signed_results"][0]["signed_document"] == row.pk
    assert AuditEvent.objects.filter(action="dossier.result_signed", object_id=str(d.pk)).count() == 1
    notice = InboxMessage.objects.get(person=receptionist_a.person, event="dossier.result_signed")
    assert d.code in notice.title
    # The visible stamp is on the page: the signer's name can be read from the PDF.
    assert "/Sig" in PdfReader(io.BytesIO(data)).trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/FT"]


def test_approve_without_a_certificate_is_refused_and_nothing_changes(appraised, draft_result, leader_a):
    leader_a.person = PersonFactory(full_name="Nguyễn Văn Lãnh Đạo")
    leader_a.save(update_fields=["person"])
    before = draft_result.sha256
    with pytest.raises(DomainError) as info:
        dossier_act(dossier=appraised, actor=leader_a, action="approve")
    assert info.value.code == "no_certificate" and info.value.status == 409
    appraised.refresh_from_db()
    draft_result.refresh_from_db()
    assert appraised.status == S.PROCESSING and draft_result.sha256 == before
    assert not DossierEvent.objects.filter(dossier=appraised, action="approve").exists()
    assert not SignedDocument.objects.exists()
    # The leader is told why the approval was not recorded.
    failed = InboxMessage.objects.get(person=leader_a.person, event="dossier.result_sign_failed")
    assert "chứng thư số" in failed.body


def test_approve_without_a_result_file_is_refused(appraised, leader_a, leader_cert):
    with pytest.raises(DomainError) as info:
        dossier_act(dossier=appraised, actor=leader_a, action="approve")
    assert info.value.code == "result_document_missing"
    appraised.refresh_from_db()
    assert appraised.status == S.PROCESSING


def test_signer_failure_rolls_back_the_approval_and_removes_stored_files(
    appraised, draft_result, leader_a, leader_cert, monkeypatch
):
    from django.core.files.storage import default_storage

    from motcua.signing import signers

    saved = []
    real_save = default_storage.save

    def spy(name, content, *args, **kwargs):
        stored = real_save(name, content, *args, **kwargs)
        saved.append(stored)
        return stored

    def broken(self, *args, **kwargs):
        raise ConnectionError("token unplugged")

    monkeypatch.setattr(default_storage, "save", spy)
    monkeypatch.setattr(signers.Signer, "sign", broken)
    with pytest.raises(DomainError) as info:
        dossier_act(dossier=appraised, actor=leader_a, action="approve")
    assert info.value.code == "signer_failed" and info.value.status == 502
    appraised.refresh_from_db()
    assert appraised.status == S.PROCESSING
    assert not SignedDocument.objects.exists()
    assert all(not default_storage.exists(name) for name in saved)


def test_leader_and_seal_puts_two_signatures_and_both_verify(
    appraised, draft_result, leader_a, leader_cert, seal_cert, trust_root
):
    _policy(appraised, "leader_and_seal")
    dossier_act(dossier=appraised, actor=leader_a, action="approve")
    verification = pdf_verify(pdf_bytes=_read(draft_result))
    assert verification.verdict == "valid", [s.problems for s in verification.signatures]
    assert [s.signer_name for s in verification.signatures] == ["Nguyễn Văn Lãnh Đạo", "UBND xã A"]
    assert SignedDocument.objects.filter(document=draft_result).count() == 2


def test_leader_and_seal_without_a_seal_is_refused(appraised, draft_result, leader_a, leader_cert):
    _policy(appraised, "leader_and_seal")
    with pytest.raises(DomainError) as info:
        dossier_act(dossier=appraised, actor=leader_a, action="approve")
    assert info.value.code == "no_seal_certificate"
    assert not SignedDocument.objects.exists()


def test_procedure_without_signature_rule_approves_as_before(received_dossier, specialist_a, leader_a):
    d = dossier_act(dossier=received_dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ")
    d = dossier_act(dossier=d, actor=leader_a, action="approve")
    assert d.status == S.RESOLVED and "signed_results" not in d.events.get(action="approve").data


# --- return_result ---------------------------------------------------------------------------------


@pytest.fixture
def resolved_unsigned(appraised, draft_result, leader_a):
    """Resolved while its result is unsigned (the rule came in after the approval: set it now)."""
    _policy(appraised, "none")
    d = dossier_act(dossier=appraised, actor=leader_a, action="approve")
    return _policy(d, "leader")


def _return(d, actor, **params):
    return dossier_act(
        dossier=d, actor=actor, action="return_result", collector_personal_id=d.applicant_personal_id, **params
    )


def test_return_unsigned_without_decision_is_refused(resolved_unsigned, receptionist_a):
    with pytest.raises(DomainError) as info:
        _return(resolved_unsigned, receptionist_a, mode="desk")
    assert info.value.code == "result_unsigned" and info.value.status == 409
    resolved_unsigned.refresh_from_db()
    assert resolved_unsigned.status == S.RESOLVED


def test_return_unsigned_decision_needs_a_reason(resolved_unsigned, receptionist_a):
    with pytest.raises(DomainError) as info:
        _return(resolved_unsigned, receptionist_a, mode="desk", unsigned_paper=True, unsigned_reason="  ")
    assert info.value.code == "unsigned_reason_required"


@pytest.mark.parametrize(("length", "ok"), [(499, True), (500, True), (501, False)])
def test_unsigned_reason_length_limit_is_500(resolved_unsigned, receptionist_a, length, ok):
    params = {"mode": "desk", "unsigned_paper": "on", "unsigned_reason": "x" * length}
    if ok:
        assert _return(resolved_unsigned, receptionist_a, **params).status == S.RETURNED
    else:
        with pytest.raises(DomainError) as info:
            _return(resolved_unsigned, receptionist_a, **params)
        assert info.value.code == "unsigned_reason_too_long"


def test_return_unsigned_with_decision_is_recorded(resolved_unsigned, receptionist_a):
    d = _return(
        resolved_unsigned,
        receptionist_a,
        mode="desk",
        unsigned_paper=True,
        unsigned_reason="Lãnh đạo ký tay bản giấy do thiết bị ký số hỏng",
    )
    assert d.status == S.RETURNED
    decision = DossierEvent.objects.get(dossier=d, action="return_unsigned")
    assert decision.actor == receptionist_a and "thiết bị ký số hỏng" in decision.note
    returned = DossierEvent.objects.get(dossier=d, action="return_result")
    assert returned.data["unsigned_decision"]["reason"] == decision.note
    assert AuditEvent.objects.filter(action="dossier.return_unsigned", object_id=str(d.pk)).exists()


def test_electronic_return_of_an_unsigned_result_is_refused_even_with_a_decision(resolved_unsigned, receptionist_a):
    with pytest.raises(DomainError) as info:
        dossier_act(
            dossier=resolved_unsigned,
            actor=receptionist_a,
            action="return_result",
            mode="electronic",
            unsigned_paper=True,
            unsigned_reason="Thử",
        )
    assert info.value.code == "result_unsigned"


def test_signed_result_returns_without_a_decision(appraised, draft_result, leader_a, leader_cert, receptionist_a):
    d = dossier_act(dossier=appraised, actor=leader_a, action="approve")
    d = dossier_act(dossier=d, actor=receptionist_a, action="return_result", mode="electronic")
    assert d.status == S.RETURNED
    assert DossierEvent.objects.get(dossier=d, action="return_result").data["result_signed"] is True
    assert not DossierEvent.objects.filter(dossier=d, action="return_unsigned").exists()


def test_refused_dossier_returns_without_a_signed_result(appraised, leader_a, receptionist_a):
    d = dossier_act(dossier=appraised, actor=leader_a, action="refuse_after_appraisal", reason="Không đủ điều kiện")
    d = _return(d, receptionist_a, mode="desk")
    assert d.status == S.RETURNED


def test_return_unsigned_over_the_api_gives_code_and_message(client, resolved_unsigned, receptionist_a):
    client.force_login(receptionist_a)
    url = f"/api/v1/dossiers/{resolved_unsigned.code}/actions/return_result"
    body = {"mode": "desk", "collector_personal_id": resolved_unsigned.applicant_personal_id}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "result_unsigned"
    body.update(unsigned_paper=True, unsigned_reason="Bản giấy đã ký tay")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == S.RETURNED


# --- officer pages ---------------------------------------------------------------------------------


def test_officer_page_tells_the_leader_that_approval_signs(client, appraised, leader_a):
    from django.urls import reverse

    client.force_login(leader_a)
    page = client.get(reverse("dossiers:officer_detail", args=[appraised.code])).content.decode()
    assert "tệp kết quả được ký số bằng chứng thư của ông/bà" in page


def test_desk_page_records_the_unsigned_paper_decision(client, resolved_unsigned, receptionist_a):
    from django.urls import reverse

    client.force_login(receptionist_a)
    page = client.get(reverse("dossiers:officer_detail", args=[resolved_unsigned.code])).content.decode()
    assert "Trả kết quả bản giấy, không ký số" in page
    url = reverse("dossiers:officer_act", args=[resolved_unsigned.code, "return_result"])
    form = {
        "return_result-mode": "desk",
        "return_result-collector_personal_id": resolved_unsigned.applicant_personal_id,
    }
    response = client.post(url, form, follow=True)
    assert "phải được ký số trước khi trả" in response.content.decode()
    resolved_unsigned.refresh_from_db()
    assert resolved_unsigned.status == S.RESOLVED
    form.update({"return_result-unsigned_paper": "on", "return_result-unsigned_reason": "Bản giấy đã ký tay"})
    client.post(url, form)
    resolved_unsigned.refresh_from_db()
    assert resolved_unsigned.status == S.RETURNED
    assert DossierEvent.objects.get(dossier=resolved_unsigned, action="return_unsigned").note == "Bản giấy đã ký tay"


def test_desk_page_hides_the_unsigned_decision_when_no_signature_is_required(client, received_dossier, receptionist_a):
    from django.urls import reverse

    type(received_dossier).objects.filter(pk=received_dossier.pk).update(status=S.RESOLVED)
    client.force_login(receptionist_a)
    page = client.get(reverse("dossiers:officer_detail", args=[received_dossier.code])).content.decode()
    assert "Trả kết quả" in page and "Trả kết quả bản giấy, không ký số" not in page
