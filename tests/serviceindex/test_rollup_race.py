"""Dossier events of one agency-month committed at once on PostgreSQL: the cells still agree with a rebuild."""

import threading

import pytest
from django.db import connections, transaction

from motcua.dossiers.models import Channel, Dossier
from motcua.serviceindex.services import rollups_rebuild

from .conftest import at
from .test_rollups import _resolve, _snapshot

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 4
PER_THREAD = 5


def test_concurrent_resolutions_in_one_agency_month_are_all_counted(make_received_dossier):
    ids = [
        make_received_dossier(at=at("2026-03-02", 8), channel=Channel.ONLINE).pk for _ in range(THREADS * PER_THREAD)
    ]
    barrier = threading.Barrier(THREADS)
    errors = []

    def work(mine):
        try:
            barrier.wait(timeout=10)
            for pk in mine:
                with transaction.atomic():
                    dossier = Dossier.objects.select_for_update().get(pk=pk)
                    _resolve(dossier, late=pk % 2 == 0, when=at("2026-03-20", 9))
        except Exception as exc:  # reported below, so a thread's failure fails the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(ids[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    incremental = _snapshot()
    on_time = [row for row in incremental if row[3] == "on_time"]
    assert [(row[4], row[5]) for row in on_time] == [(sum(1 for pk in ids if pk % 2), THREADS * PER_THREAD)]
    rollups_rebuild()
    assert _snapshot() == incremental
