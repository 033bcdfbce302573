"""The dossier workflow's events reach the citizen by SMS with the right template."""
# ruff: noqa: F811  (fixtures imported from the dossier tests are redefined as arguments)

import pytest

from motcua.dossiers import events
from motcua.notifications.models import InboxMessage, Message
from motcua.notifications.worker import run_once
from tests.dossiers.conftest import (  # noqa: F401  (fixtures)
    _fast_passwords,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    make_dossier,
    make_received_dossier,
    office_a,
    officers,
    procedure,
    province,
    received_dossier,
    receptionist_a,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]


def test_receiving_a_dossier_writes_inbox_and_a_templated_sms(received_dossier, fake_sms):
    received_dossier.refresh_from_db()
    message = Message.objects.get(event="dossier.received", channel="sms")
    assert InboxMessage.objects.filter(event="dossier.received", person=received_dossier.applicant_person).exists()
    assert message.template is not None and message.template_version == 1
    assert received_dossier.code in message.body and "Da tiep nhan" in message.body
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == "sent"
    assert fake_sms.accepted[message.dedupe_key]["content"] == message.body


@pytest.mark.parametrize(
    ("event", "context", "expected"),
    [
        ("supplement_requested", {"items": ["Giấy chứng sinh"]}, "can bo sung"),
        ("result_ready", {"delivery": "desk"}, "da co ket qua"),
        ("apology", {"reason": "Cần xác minh", "new_due_at": None, "dedupe": "a1"}, "xin loi"),
        ("refused", {"reason": "Không đủ điều kiện"}, "tu choi"),
    ],
)
def test_each_dossier_event_produces_an_sms(make_dossier, event, context, expected):
    dossier = make_dossier()
    events.emit(dossier, event, **context)
    message = Message.objects.get(event=f"dossier.{event}", channel="sms")
    assert expected in message.body.lower()
    assert message.recipient == dossier.applicant_person.phone
