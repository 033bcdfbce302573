"""Exchange round trip through the fake axis: A issues → package → B checks and registers →
B sends statuses → A sees them; and each refusal path of the incoming check."""

import pytest

from motcua.documents.exchange import edxml
from motcua.documents.exchange.axis import AxisClient, AxisUnavailable
from motcua.documents.exchange.services import exchange_flush, status_send, statuses_of
from motcua.documents.models import DocumentEvent, ExchangeMessage, IncomingDocument
from motcua.documents.services.exchange import exchange_receive
from motcua.documents.services.incoming import incoming_assign, incoming_close, incoming_present
from motcua.documents.services.outgoing import issue_outgoing
from motcua.fakes.document_axis import FakeDocumentAxis
from motcua.signing.models import SigningCertificate
from tests.documents.edxml_fixtures import *  # noqa: F403
from tests.documents.edxml_fixtures import outgoing

pytestmark = pytest.mark.django_db

M = ExchangeMessage


@pytest.fixture
def axis(settings):
    fake = FakeDocumentAxis().start()
    settings.DOCUMENT_AXIS_URL = fake.url
    yield fake
    fake.stop()


def _issue_to_b(agency_a, agency_b, leader_a):
    draft = outgoing(
        agency_a,
        leader_a,
        code="",
        number=None,
        year=None,
        status="approved",
        issued_at=None,
        recipients_text=f"Như Điều 3;\n{agency_b.name} ({agency_b.code});",
    )
    return issue_outgoing(document=draft, actor=leader_a)


def _statuses(document):
    return [m.status for m in statuses_of(document)]


def test_round_trip_issue_receive_register_and_statuses(signing_setup, axis, agency_a, agency_b, leader_a, leader_b):
    document = _issue_to_b(agency_a, agency_b, leader_a)
    queued = M.objects.get(direction="out", kind="package", outgoing=document)
    assert queued.state == M.State.QUEUED and queued.organ_id == agency_b.code
    assert exchange_flush() == 1
    assert [s["kind"] for s in axis.sent] == ["package"] and axis.sent[0]["to"] == [agency_b.code]

    assert exchange_receive(agency=agency_b) == {"registered": 1}
    incoming = IncomingDocument.objects.get(agency=agency_b, exchange_id=queued.package_id)
    assert incoming.doc_number == document.code
    assert incoming.is_electronic and incoming.sender_agency == agency_a
    assert incoming.incoming_number == 1
    assert exchange_receive(agency=agency_b) == {}  # acknowledged: not delivered again

    # B's own handling sends the statuses: presented -> accepted, assigned -> processing, closed -> done.
    incoming = incoming_present(document=incoming, actor=leader_b)
    incoming = incoming_assign(document=incoming, actor=leader_b, lead=leader_b, instruction="Xử lý", days=5)
    incoming_close(document=incoming, actor=leader_b, note="Đã triển khai")
    assert exchange_flush(agency=agency_b) == 3
    assert exchange_receive(agency=agency_a) == {"received": 1, "accepted": 1, "processing": 1, "done": 1}
    assert _statuses(document) == ["received", "accepted", "processing", "done"]
    notes = list(
        DocumentEvent.objects.filter(outgoing=document, action__startswith="exchange_").values_list("action", flat=True)
    )
    assert notes == ["exchange_send", "exchange_received", "exchange_accepted", "exchange_processing", "exchange_done"]
    done = statuses_of(document)[-1]
    assert done.organ_id == agency_b.code and done.description == "Đã triển khai"


def test_status_send_is_nothing_for_a_document_not_received_by_exchange(signing_setup, agency_b, leader_b):
    from motcua.documents.services.incoming import register_incoming

    paper = register_incoming(
        agency=agency_b, actor=leader_b, sender_name="Sở Nội vụ", summary="Giấy mời", doc_type="GM"
    )
    assert status_send(incoming=paper, status="accepted") is None
    assert not M.objects.exists()


def test_axis_failure_keeps_the_package_queued_then_sends(signing_setup, axis, agency_a, agency_b, leader_a):
    _issue_to_b(agency_a, agency_b, leader_a)
    axis.fail_next = ["temporary"]
    assert exchange_flush() == 0
    row = M.objects.get(direction="out", kind="package")
    assert row.state == M.State.FAILED and row.attempts == 1 and row.last_error
    assert exchange_flush() == 1
    assert M.objects.get(pk=row.pk).state == M.State.SENT


def test_unconfigured_axis_is_unavailable(settings, agency_a):
    settings.DOCUMENT_AXIS_URL = ""
    with pytest.raises(AxisUnavailable):
        AxisClient.for_agency(agency_a).inbox()


def _refusal_reason(axis, agency_a, agency_b) -> str:
    assert exchange_receive(agency=agency_b) == {"refused": 1}
    assert not IncomingDocument.objects.filter(agency=agency_b).exists()
    assert exchange_receive(agency=agency_a) == {"refused": 1}
    refusal = M.objects.get(direction="in", kind="status", agency=agency_a)
    assert refusal.status == "refused"
    assert refusal.created_at.date() == M.objects.get(direction="out", kind="status").created_at.date()
    return refusal.description


def test_tampered_attachment_refused_same_day_with_reason(signing_setup, axis, agency_a, agency_b, leader_a):
    _issue_to_b(agency_a, agency_b, leader_a)
    row = M.objects.get(direction="out", kind="package")
    package = edxml.read_package(row.payload.encode())
    package.attachments[0].content += b"\n% changed"
    raw = edxml.write_package(package).replace(
        package.attachments[0].sha256.encode(), package.declared_hashes["doc-1"].encode()
    )
    AxisClient(axis.url, organ_id=agency_a.code).send(raw)
    assert "mã băm không khớp" in _refusal_reason(axis, agency_a, agency_b)


def test_unsigned_document_refused(signing_setup, axis, agency_a, agency_b, leader_a):
    SigningCertificate.objects.filter(agency=agency_a).update(is_active=False)  # no seal: issued unsigned
    _issue_to_b(agency_a, agency_b, leader_a)
    exchange_flush()
    assert "Chữ ký số" in _refusal_reason(axis, agency_a, agency_b)


def test_package_not_addressed_to_us_refused(signing_setup, axis, agency_a, agency_b, leader_a):
    _issue_to_b(agency_a, agency_b, leader_a)
    row = M.objects.get(direction="out", kind="package")
    package = edxml.read_package(row.payload.encode())
    package.recipients = [edxml.Organ("999.99.99.X", "Cơ quan khác")]
    axis.inboxes[agency_b.code]["misrouted"] = edxml.write_package(package)  # the axis misdelivers it
    assert "không gửi tới cơ quan này" in _refusal_reason(axis, agency_a, agency_b)


def test_unreadable_message_acknowledged_not_registered(signing_setup, axis, agency_b):
    axis.inboxes[agency_b.code]["junk"] = b"<not-edxml/>"
    assert exchange_receive(agency=agency_b) == {"unreadable": 1}
    assert not axis.inboxes[agency_b.code]


def test_the_periodic_command_sends_and_receives(signing_setup, axis, agency_a, agency_b, leader_a, settings):
    from io import StringIO

    from django.core.management import call_command

    _issue_to_b(agency_a, agency_b, leader_a)
    out = StringIO()
    call_command("documents_exchange", stdout=out)  # sends A's package, B registers it, "received" queued+sent
    assert "sent 1" in out.getvalue() and "'registered': 1" in out.getvalue()
    call_command("documents_exchange", stdout=out)
    assert IncomingDocument.objects.filter(agency=agency_b).count() == 1
    assert [m.status for m in M.objects.filter(direction="in", kind="status", agency=agency_a)] == ["received"]
    settings.DOCUMENT_AXIS_URL = ""
    call_command("documents_exchange", stdout=out)
    assert out.getvalue().endswith("document axis not configured\n")
