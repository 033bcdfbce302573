"""Ten kiosks issuing numbers at once on PostgreSQL: 1,000 numbers, none twice, none skipped."""

import threading

import pytest
from django.db import connections

from motcua.queue.models import Ticket, TicketChannel, TicketStatus
from motcua.queue.services import call_next, issue_ticket

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

KIOSKS = 10
PER_KIOSK = 100


def _run_threads(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            target(i)
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_thousand_numbers_from_ten_kiosks(group_a, group_b_civil):
    groups = [group_a, group_b_civil]

    def kiosk(i):
        for n in range(PER_KIOSK):
            issue_ticket(group=groups[(i + n) % 2], channel=TicketChannel.KIOSK)

    assert _run_threads(kiosk, KIOSKS) == []
    numbers = sorted(Ticket.objects.filter(office=group_a.office).values_list("number", flat=True))
    assert numbers == list(range(1, KIOSKS * PER_KIOSK + 1))
    codes = list(Ticket.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) == KIOSKS * PER_KIOSK


def test_counters_calling_at_once_never_share_a_ticket(group_a, counter_a1, counter_a2, desk_a):
    for _i in range(3):
        issue_ticket(group=group_a, channel=TicketChannel.KIOSK)
    counters = [counter_a1, counter_a2]
    called = []

    def desk(i):
        ticket = call_next(counter=counters[i], officer=desk_a)
        called.append(ticket.pk if ticket else None)

    assert _run_threads(desk, 2) == []
    assert None not in called and len(set(called)) == 2
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 2
