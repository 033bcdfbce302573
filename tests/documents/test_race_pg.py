import threading

import pytest
from django.db import connections

from motcua.documents.models import IncomingDocument
from motcua.documents.services import register_incoming

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("document_types"),
]


def test_concurrent_registrations_get_distinct_consecutive_numbers(agency_a, clerk_a):
    count = 8
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait()
            register_incoming(
                agency=agency_a,
                actor=clerk_a,
                sender_name=f"Nơi gửi {i}",
                summary="Đồng thời",
                doc_type="CV",
                is_electronic=bool(i % 2),
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(IncomingDocument.objects.values_list("incoming_number", flat=True))
    assert numbers == list(range(1, count + 1))
