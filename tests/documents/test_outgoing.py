import pytest

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Role
from motcua.documents.models import ApprovalStep, DocumentOffice, DocumentType, IncomingDocument
from motcua.documents.services import (
    build_code,
    issue_outgoing,
    outgoing_approve,
    outgoing_draft,
    outgoing_return,
    outgoing_submit,
    outgoing_withdraw,
)


@pytest.fixture
def draft(agency_a, clerk_a):
    def make(doc_type="QĐ", **kw):
        return outgoing_draft(
            agency=agency_a, actor=clerk_a, doc_type=doc_type, title=kw.pop("title", "Về việc khen thưởng"), **kw
        )

    return make


def _issue(doc, clerk, leader):
    outgoing_submit(document=doc, actor=clerk)
    outgoing_approve(document=doc, actor=leader)
    return issue_outgoing(document=doc, actor=clerk)


def test_build_code_shapes(db):
    qd = DocumentType.objects.get(code="QĐ")
    law = DocumentType.objects.get(code="QĐ-QPPL")
    cv = DocumentType.objects.get(code="CV")
    assert build_code(number=15, year=2026, doc_type=qd, abbreviation="UBND") == "15/QĐ-UBND"
    assert build_code(number=30, year=2020, doc_type=law, abbreviation="UBND") == "30/2020/QĐ-UBND"
    assert build_code(number=7, year=2026, doc_type=cv, abbreviation="UBND") == "7/UBND"


def test_numbering_shared_series_and_legal_normative_own(draft, clerk_a, leader_a, agency_a):
    DocumentOffice.objects.create(agency=agency_a, abbreviation="UBND-AX")
    first = _issue(draft("QĐ"), clerk_a, leader_a)
    second = _issue(draft("CV"), clerk_a, leader_a)
    law = _issue(draft("QĐ-QPPL"), clerk_a, leader_a)
    assert first.code == "1/QĐ-UBND-AX"
    assert second.code == "2/UBND-AX"
    assert law.code == f"1/{law.year}/QĐ-UBND-AX"
    assert first.file.name.endswith(".pdf")


def test_approval_steps_as_data(draft, clerk_a, specialist_a, leader_a, agency_a):
    ApprovalStep.objects.create(agency=agency_a, order=1, name="Văn phòng kiểm tra", role=Role.SPECIALIST)
    ApprovalStep.objects.create(agency=agency_a, order=2, name="Lãnh đạo ký", role=Role.LEADER)
    doc = outgoing_submit(document=draft(), actor=clerk_a)
    with pytest.raises(PermissionDenied):
        outgoing_approve(document=doc, actor=leader_a)  # step 1 is the specialist's
    doc = outgoing_approve(document=doc, actor=specialist_a)
    assert (doc.status, doc.step) == ("in_review", 2)
    with pytest.raises(PermissionDenied):
        outgoing_approve(document=doc, actor=specialist_a)
    doc = outgoing_approve(document=doc, actor=leader_a)
    assert doc.status == "approved"


def test_return_needs_reason_and_issue_needs_approval(draft, clerk_a, leader_a):
    doc = outgoing_submit(document=draft(), actor=clerk_a)
    with pytest.raises(DomainError) as err:
        issue_outgoing(document=doc, actor=clerk_a)
    assert err.value.code == "action_not_allowed"
    with pytest.raises(DomainError) as err:
        outgoing_return(document=doc, actor=leader_a, note=" ")
    assert err.value.code == "reason_required"
    assert outgoing_return(document=doc, actor=leader_a, note="Sửa căn cứ").status == "draft"


def test_internal_issue_lands_in_recipient_incoming_book(draft, clerk_a, leader_a, agency_b):
    doc = _issue(draft(internal_recipients=[agency_b]), clerk_a, leader_a)
    received = IncomingDocument.objects.get(agency=agency_b)
    assert (received.incoming_number, received.doc_number, received.source_outgoing) == (1, doc.code, doc)
    assert received.is_electronic


def test_withdraw_replace_with_reason(draft, clerk_a, leader_a):
    old = _issue(draft(), clerk_a, leader_a)
    with pytest.raises(DomainError) as err:
        draft(replaces=old)
    assert err.value.code == "reason_required"
    new = _issue(draft(replaces=old, change_reason="Sai tên người được khen"), clerk_a, leader_a)
    old.refresh_from_db()
    assert old.status == "replaced" and new.replaces == old
    with pytest.raises(DomainError) as err:
        outgoing_withdraw(document=new, actor=leader_a, reason="abcd")
    assert err.value.code == "reason_required"
    with pytest.raises(DomainError):
        outgoing_withdraw(document=new, actor=clerk_a, reason="Ban hành nhầm")
    assert outgoing_withdraw(document=new, actor=leader_a, reason="abcde").status == "withdrawn"


def test_other_agency_cannot_draft(agency_a, clerk_b, citizen):
    for actor in (clerk_b, citizen):
        with pytest.raises(PermissionDenied):
            outgoing_draft(agency=agency_a, actor=actor, doc_type="QĐ", title="x")


def test_title_limits(draft):
    assert draft(title="x" * 500)
    for bad in ("", "x" * 501):
        with pytest.raises(DomainError):
            draft(title=bad)
