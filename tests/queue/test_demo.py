import pytest
from django.utils import timezone

from motcua.demo.province import demo_province_build
from motcua.demo.queue import BUSY_OFFICES, TICKETS_PER_OFFICE, queue_demo_build
from motcua.queue.models import ServiceGroup, Ticket, TicketStatus


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_queue_demo_builds_once():
    result = demo_province_build(seed=1, people=20)
    first = queue_demo_build(seed=1, province=result.province.code)
    assert first.groups_created > 0 and ServiceGroup.objects.count() == first.groups_created
    today = Ticket.objects.filter(day=timezone.localdate())
    offices = set(today.values_list("office_id", flat=True))
    assert 1 <= len(offices) <= BUSY_OFFICES
    assert first.tickets_created == today.count() == TICKETS_PER_OFFICE * len(offices)
    assert today.filter(status=TicketStatus.DONE).exists() and today.filter(status=TicketStatus.WAITING).exists()
    for ticket in today.filter(status=TicketStatus.DONE):
        assert ticket.arrival_at <= ticket.called_at <= ticket.finished_at
    again = queue_demo_build(seed=1, province=result.province.code)
    assert (again.groups_created, again.tickets_created) == (0, 0)
