import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core import calendar
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import AuditEvent
from motcua.documents import selectors
from motcua.documents.models import IncomingStatus, NumberSeries
from motcua.documents.services import (
    documents_jobs,
    incoming_assign,
    incoming_close,
    incoming_present,
    incoming_progress,
)
from motcua.notifications.models import InboxMessage


def _local(*args):
    return datetime.datetime(*args, tzinfo=calendar.local_tz())


def test_numbers_run_from_one_shared_by_paper_and_electronic(make_incoming, agency_b, clerk_b):
    first = make_incoming()
    second = make_incoming(is_electronic=True)
    other_agency = make_incoming(agency=agency_b, actor=clerk_b)
    assert (first.incoming_number, second.incoming_number) == (1, 2)
    assert other_agency.incoming_number == 1


def test_number_restarts_on_first_of_january_local_time(make_incoming):
    old = make_incoming(received_at=_local(2025, 12, 31, 23, 59))
    make_incoming(received_at=_local(2025, 12, 31, 23, 59, 30))
    new = make_incoming(received_at=_local(2026, 1, 1, 0, 1))
    assert (old.year, old.incoming_number) == (2025, 1)
    assert (new.year, new.incoming_number) == (2026, 1)
    assert NumberSeries.objects.get(year=2025).last_number == 2


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"sender_name": "  "}, "invalid_document"),
        ({"summary": ""}, "invalid_document"),
        ({"doc_type": "XX"}, "invalid_document_type"),
        ({"confidentiality": "bogus"}, "invalid_confidentiality"),
        ({"urgency": "bogus"}, "invalid_urgency"),
        ({"pages": 0}, "invalid_pages"),
        ({"pages": 10001}, "invalid_pages"),
        ({"doc_number": "x" * 61}, "invalid_document"),
    ],
)
def test_bad_input_refused_without_using_a_number(make_incoming, overrides, code):
    with pytest.raises(DomainError) as err:
        make_incoming(**overrides)
    assert err.value.code == code
    assert make_incoming().incoming_number == 1


def test_page_limits_accepted_at_the_boundaries(make_incoming):
    assert make_incoming(pages=1).pages == 1
    assert make_incoming(pages=10000).pages == 10000


def test_future_receipt_and_late_issue_date_refused(make_incoming):
    with pytest.raises(DomainError) as err:
        make_incoming(received_at=timezone.now() + datetime.timedelta(hours=1))
    assert err.value.code == "invalid_received_at"
    with pytest.raises(DomainError) as err:
        make_incoming(issued_on=timezone.localdate() + datetime.timedelta(days=2))
    assert err.value.code == "invalid_issued_on"


def test_officer_of_another_agency_cannot_register(make_incoming, clerk_b, citizen):
    for actor in (clerk_b, citizen):
        with pytest.raises(PermissionDenied):
            make_incoming(actor=actor)


def test_present_due_next_working_day_urgent_at_once(make_incoming, leader_a):
    received = _local(2026, 3, 6, 10, 0)  # a Friday
    normal = make_incoming(received_at=received)
    urgent = make_incoming(received_at=received, urgency="urgent")
    assert urgent.present_due == received
    assert calendar.as_local(normal.present_due).date() == datetime.date(2026, 3, 9)
    # The urgent one told the leader at registration.
    assert InboxMessage.objects.filter(person=leader_a.person, event="documents.present").count() == 1


def test_flow_assign_progress_close(make_incoming, clerk_a, leader_a, specialist_a, specialist_a2):
    doc = make_incoming()
    doc = incoming_present(document=doc, actor=clerk_a, leader=leader_a)
    assert doc.status == IncomingStatus.PRESENTED
    with pytest.raises(DomainError) as err:
        incoming_assign(document=doc, actor=clerk_a, lead=specialist_a, days=5)
    assert err.value.code == "action_forbidden"
    doc = incoming_assign(
        document=doc, actor=leader_a, lead=specialist_a, supporters=[specialist_a2], instruction="Xử lý gấp", days=5
    )
    assert doc.status == IncomingStatus.ASSIGNED
    assert doc.handling_due == calendar.add_working_days(doc.updated_at, 5) or doc.handling_due is not None
    assert set(doc.assignments.values_list("role", flat=True)) == {"lead", "support"}
    assert InboxMessage.objects.filter(person=specialist_a.person, event="documents.assigned").exists()
    # The assignee sees it on their list; a non-assignee can not report progress.
    assert doc in selectors.my_assignments(specialist_a)
    with pytest.raises(DomainError):
        incoming_progress(document=doc, actor=clerk_a, note="x")
    doc = incoming_progress(document=doc, actor=specialist_a, note="Đã soạn dự thảo")
    assert doc.status == IncomingStatus.IN_PROGRESS
    with pytest.raises(DomainError) as err:
        incoming_close(document=doc, actor=specialist_a)
    assert err.value.code == "closing_required"
    doc = incoming_close(document=doc, actor=specialist_a, note="Đã trả lời bằng điện thoại")
    assert doc.status == IncomingStatus.DONE
    with pytest.raises(DomainError) as err:
        incoming_progress(document=doc, actor=specialist_a, note="nữa")
    assert err.value.code == "action_not_allowed"


@pytest.mark.parametrize("days, ok", [(0, False), (1, True), (90, True), (91, False), ("abc", False)])
def test_deadline_days_boundaries(make_incoming, leader_a, specialist_a, days, ok):
    doc = make_incoming()
    if ok:
        assert incoming_assign(document=doc, actor=leader_a, lead=specialist_a, days=days).handling_due
    else:
        with pytest.raises(DomainError) as err:
            incoming_assign(document=doc, actor=leader_a, lead=specialist_a, days=days)
        assert err.value.code == "invalid_deadline"


def test_assign_needs_a_lead(make_incoming, leader_a):
    with pytest.raises(DomainError) as err:
        incoming_assign(document=make_incoming(), actor=leader_a, days=3)
    assert err.value.code == "lead_required"


def test_jobs_remind_leader_and_escalate_overdue_once(make_incoming, leader_a, specialist_a):
    waiting = make_incoming(received_at=_local(2026, 3, 2, 9, 0))
    later = _local(2026, 3, 10, 9, 0)
    assert documents_jobs(now=later)["presented"] == 1
    assert documents_jobs(now=later)["presented"] == 1  # deduplicated notice, still 1 holder
    assert (
        InboxMessage.objects.filter(
            person=leader_a.person, event="documents.present", subject_id=str(waiting.pk)
        ).count()
        == 1
    )
    doc = incoming_assign(document=waiting, actor=leader_a, lead=specialist_a, days=1)
    before_due = doc.handling_due - datetime.timedelta(minutes=1)
    assert documents_jobs(now=before_due)["escalated"] == 0
    after_due = doc.handling_due + datetime.timedelta(minutes=1)
    assert documents_jobs(now=after_due)["escalated"] == 1
    assert documents_jobs(now=after_due)["escalated"] == 0
    assert InboxMessage.objects.filter(event="documents.overdue").count() == 2  # leader and specialist


def test_pdf_text_extracted_for_search(make_incoming, clerk_a):
    from tests.documents.pdfs import pdf_with_text

    upload = SimpleUploadedFile("vb.pdf", pdf_with_text("Kế hoạch phòng chống lụt bão"), content_type="application/pdf")
    doc = make_incoming(file=upload)
    assert "lụt bão" in doc.text
    assert list(selectors.incoming_search(clerk_a, q="lut bao")) == [doc]


def test_scope_other_agency_and_citizen_see_nothing(make_incoming, clerk_b, citizen, clerk_a):
    doc = make_incoming()
    assert list(selectors.incoming_search(clerk_a)) == [doc]
    assert list(selectors.incoming_search(clerk_b)) == []
    assert list(selectors.incoming_search(citizen)) == []
    with pytest.raises(NotFound):
        selectors.incoming_get_for(clerk_b, doc.pk)


def test_confidential_named_people_and_head_only_reads_audited(
    make_incoming, clerk_a, leader_a, specialist_a, specialist_a2
):
    doc = make_incoming(confidentiality="confidential", readers=[specialist_a])
    assert selectors.incoming_get_for(specialist_a, doc.pk) == doc
    assert selectors.incoming_get_for(leader_a, doc.pk) == doc  # the head (leader, no head named)
    for outsider in (clerk_a, specialist_a2):
        with pytest.raises(NotFound):
            selectors.incoming_get_for(outsider, doc.pk)
        assert doc not in selectors.incoming_search(outsider)
    reads = AuditEvent.objects.filter(action="documents.read", object_id=str(doc.pk))
    assert set(reads.values_list("actor_id", flat=True)) == {specialist_a.pk, leader_a.pk}


def test_named_head_replaces_leaders(make_incoming, leader_a, specialist_a2, agency_a):
    from motcua.documents.models import DocumentOffice

    DocumentOffice.objects.create(agency=agency_a, abbreviation="UBND", head=specialist_a2)
    doc = make_incoming(confidentiality="secret")
    assert selectors.incoming_get_for(specialist_a2, doc.pk) == doc
    with pytest.raises(NotFound):
        selectors.incoming_get_for(leader_a, doc.pk)


def test_search_number_code_sender_folded_and_filters(make_incoming, clerk_a, leader_a, specialist_a):
    a = make_incoming(summary="Về việc tổ chức Tết Nguyên đán", sender_name="Sở Văn hóa")
    b = make_incoming(doc_number="77/QĐ-UBND", doc_type="QĐ", summary="Khen thưởng")
    incoming_assign(document=b, actor=leader_a, lead=specialist_a, days=3)
    s = lambda **kw: list(selectors.incoming_search(clerk_a, **kw))  # noqa: E731
    assert s(q="tet nguyen dan") == [a]
    assert s(q="SO VAN HOA") == [a]
    assert s(q="77/QĐ-UBND") == [b]
    assert s(q="1") == [a]
    assert s(doc_type="QĐ") == [b]
    assert s(status="assigned") == [b]
    assert s(assignee_id=specialist_a.pk) == [b]
    today = timezone.localdate()
    assert len(s(date_from=today, date_to=today)) == 2
    assert s(date_from=today + datetime.timedelta(days=1)) == []
