"""Two senders at once on PostgreSQL: every message sent once, in order per dossier."""

import datetime
import threading

import pytest
from django.db import connections

from motcua.core.models import Role
from motcua.dossiers.services.workflow import dossier_act
from motcua.nationalsync import sender
from motcua.nationalsync.client import NationalSyncClient
from motcua.nationalsync.models import SyncMessage, SyncState

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
T0 = datetime.datetime(2026, 3, 16, 3, 0, tzinfo=datetime.UTC)


def test_two_senders_at_once_send_each_message_once_in_order(fake_portal, make_received_dossier, officers):
    staff = officers["a"]
    for _ in range(4):
        dossier = make_received_dossier()
        dossier = dossier_act(
            dossier=dossier, actor=staff[Role.SPECIALIST], action="request_supplement", items=["Tờ khai"]
        )
        dossier_act(dossier=dossier, actor=staff[Role.RECEPTIONIST], action="supplement")
    total = SyncMessage.objects.count()
    assert total == 12
    barrier = threading.Barrier(2)
    errors = []

    def work(worker_id):
        client = NationalSyncClient()
        try:
            barrier.wait(timeout=10)
            for _ in range(100):  # bounded: each round sends at least one message while any is due
                if not SyncMessage.objects.exclude(state=SyncState.SENT).exists():
                    break
                sender.run_once(client=client, now=T0, worker_id=worker_id, batch=2)
        except Exception as exc:  # reported below, so a thread's failure fails the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert SyncMessage.objects.filter(state=SyncState.SENT).count() == total
    assert fake_portal.duplicates == 0
    assert len(fake_portal.received) == total
    assert len({item["MaGoiTin"] for item in fake_portal.received}) == total
    assert fake_portal.out_of_order == 0
