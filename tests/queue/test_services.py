import datetime

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.queue.models import QueueSettings, Ticket, TicketCall, TicketCallKind, TicketChannel, TicketStatus
from motcua.queue.services import (
    call_next,
    finish_serving,
    issue_ticket,
    mark_absent,
    recall,
    start_serving,
    transfer,
)

pytestmark = pytest.mark.django_db
KIOSK = TicketChannel.KIOSK


def test_numbers_run_per_office_per_day_across_groups(group_a, group_b_civil, group_b):
    first = issue_ticket(group=group_a, channel=KIOSK)
    second = issue_ticket(group=group_b_civil, channel=KIOSK)
    other_office = issue_ticket(group=group_b, channel=KIOSK)
    assert (first.number, first.code) == (1, "A001")
    assert (second.number, second.code) == (2, "B002")
    assert (other_office.number, other_office.code) == (1, "A001")
    assert first.day == timezone.localdate()
    assert first.status == TicketStatus.WAITING and first.arrival_at == first.issued_at
    assert first.follow_token and first.follow_token != other_office.follow_token


def test_issue_refuses_inactive_group_bad_phone_and_bad_channel(group_a):
    group_a.is_active = False
    group_a.save()
    with pytest.raises(DomainError) as err:
        issue_ticket(group=group_a, channel=KIOSK)
    assert err.value.code == "queue_group_inactive"
    group_a.is_active = True
    group_a.save()
    with pytest.raises(DomainError) as err:
        issue_ticket(group=group_a, channel=KIOSK, phone="12345")
    assert err.value.code == "queue_phone_invalid"
    with pytest.raises(DomainError) as err:
        issue_ticket(group=group_a, channel="fax")
    assert err.value.code == "queue_channel_invalid"
    assert not Ticket.objects.exists()
    ticket = issue_ticket(group=group_a, channel=KIOSK, phone="+84 912 345 678")
    assert ticket.phone == "0912345678"


def test_call_flow_writes_call_rows(group_a, counter_a1, desk_a):
    ticket = issue_ticket(group=group_a, channel=KIOSK)
    called = call_next(counter=counter_a1, officer=desk_a)
    assert called.pk == ticket.pk and called.status == TicketStatus.CALLED and called.counter == counter_a1
    recall(called, desk_a)
    assert list(TicketCall.objects.values_list("kind", flat=True)) == [TicketCallKind.CALL, TicketCallKind.RECALL]
    started = start_serving(called, desk_a)
    assert started.status == TicketStatus.SERVING
    with pytest.raises(DomainError) as err:
        recall(started, desk_a)
    assert err.value.code == "action_not_allowed"
    done = finish_serving(started, desk_a)
    assert done.status == TicketStatus.DONE and done.finished_at >= done.started_at
    assert call_next(counter=counter_a1, officer=desk_a) is None


def test_counter_busy_until_ticket_resolved(group_a, counter_a1, desk_a):
    issue_ticket(group=group_a, channel=KIOSK)
    issue_ticket(group=group_a, channel=KIOSK)
    first = call_next(counter=counter_a1, officer=desk_a)
    with pytest.raises(DomainError) as err:
        call_next(counter=counter_a1, officer=desk_a)
    assert err.value.code == "queue_counter_busy"
    mark_absent(first, desk_a)
    second = call_next(counter=counter_a1, officer=desk_a)
    assert second.number == 2
    assert Ticket.objects.get(pk=first.pk).status == TicketStatus.ABSENT


def test_two_counters_never_get_same_ticket(group_a, counter_a1, counter_a2, desk_a):
    issue_ticket(group=group_a, channel=KIOSK)
    one = call_next(counter=counter_a1, officer=desk_a)
    assert call_next(counter=counter_a2, officer=desk_a) is None
    assert one.counter == counter_a1


def test_counter_only_calls_its_groups(group_a, group_b_civil, counter_a1, counter_a2, desk_a):
    issue_ticket(group=group_b_civil, channel=KIOSK)
    assert call_next(counter=counter_a1, officer=desk_a) is None
    assert call_next(counter=counter_a2, officer=desk_a).code == "B001"


def test_transfer_to_group_keeps_arrival(group_a, group_b_civil, counter_a1, counter_a2, desk_a):
    early = issue_ticket(group=group_a, channel=KIOSK)
    later = issue_ticket(group=group_b_civil, channel=KIOSK)
    called = call_next(counter=counter_a1, officer=desk_a)
    moved = transfer(called, desk_a, group=group_b_civil)
    assert moved.status == TicketStatus.WAITING and moved.group == group_b_civil and moved.counter is None
    assert moved.arrival_at == early.arrival_at
    # It arrived before B002, so counter 2 calls it first.
    assert call_next(counter=counter_a2, officer=desk_a).pk == early.pk
    assert later.status == TicketStatus.WAITING


def test_transfer_to_counter_reserves_it(group_a, counter_a1, counter_a2, desk_a):
    first = issue_ticket(group=group_a, channel=KIOSK)
    called = call_next(counter=counter_a1, officer=desk_a)
    transfer(called, desk_a, counter=counter_a2)
    # Counter 1 may not take it back; counter 2 does.
    assert call_next(counter=counter_a1, officer=desk_a) is None
    assert call_next(counter=counter_a2, officer=desk_a).pk == first.pk


def test_transfer_refusals(group_a, group_b, counter_a1, counter_b1, desk_a):
    issue_ticket(group=group_a, channel=KIOSK)
    called = call_next(counter=counter_a1, officer=desk_a)
    for kwargs in ({}, {"group": group_b}, {"counter": counter_b1}, {"counter": counter_a1}):
        with pytest.raises(DomainError) as err:
            transfer(called, desk_a, **kwargs)
        assert err.value.code == "queue_transfer_target"
    assert Ticket.objects.get(pk=called.pk).status == TicketStatus.CALLED


# --- calling order ------------------------------------------------------------------------------


def _codes_in_call_order(counter, officer, n):
    codes = []
    for _i in range(n):
        ticket = call_next(counter=counter, officer=officer)
        if ticket is None:
            break
        codes.append(ticket.code)
        finish_serving(start_serving(ticket, officer), officer)
    return codes


def test_order_appointment_due_then_priority_then_arrival(group_a, counter_a1, desk_a, priorities):
    now = timezone.now()
    issue_ticket(group=group_a, channel=KIOSK)  # A001 ordinary
    issue_ticket(group=group_a, channel=KIOSK, priority=priorities["elderly"])  # A002 weight 20
    issue_ticket(group=group_a, channel=KIOSK, appointment_at=now + datetime.timedelta(hours=1))  # A003 not yet due
    issue_ticket(
        group=group_a, channel=TicketChannel.BOOKING, appointment_at=now - datetime.timedelta(minutes=1)
    )  # A004
    issue_ticket(
        group=group_a, channel=TicketChannel.BOOKING, appointment_at=now - datetime.timedelta(minutes=5)
    )  # A005
    issue_ticket(group=group_a, channel=KIOSK, priority=priorities["war-invalid"])  # A006 weight 40
    QueueSettings.objects.create(office=group_a.office, priority_streak_max=0)
    assert _codes_in_call_order(counter_a1, desk_a, 10) == ["A005", "A004", "A006", "A002", "A001", "A003"]


@pytest.mark.parametrize(
    ("streak_max", "expected"),
    [
        # 0: alternation off, every priority ticket first.
        (0, ["A003", "A004", "A005", "A001", "A002"]),
        # 1: one priority call, then an ordinary one.
        (1, ["A003", "A001", "A004", "A002", "A005"]),
        # 2: two priority calls in a row, then an ordinary one.
        (2, ["A003", "A004", "A001", "A005", "A002"]),
        # 3: the three priority tickets then the ordinary ones.
        (3, ["A003", "A004", "A005", "A001", "A002"]),
    ],
)
def test_alternation_limits_priority_streak(group_a, counter_a1, desk_a, priorities, streak_max, expected):
    QueueSettings.objects.create(office=group_a.office, priority_streak_max=streak_max)
    issue_ticket(group=group_a, channel=KIOSK)
    issue_ticket(group=group_a, channel=KIOSK)
    for _i in range(3):
        issue_ticket(group=group_a, channel=KIOSK, priority=priorities["elderly"])
    assert _codes_in_call_order(counter_a1, desk_a, 10) == expected


def test_alternation_global_setting(settings, group_a, counter_a1, desk_a, priorities):
    settings.QUEUE_PRIORITY_STREAK_MAX = 1
    issue_ticket(group=group_a, channel=KIOSK)
    issue_ticket(group=group_a, channel=KIOSK, priority=priorities["elderly"])
    issue_ticket(group=group_a, channel=KIOSK, priority=priorities["elderly"])
    assert _codes_in_call_order(counter_a1, desk_a, 10) == ["A002", "A001", "A003"]
