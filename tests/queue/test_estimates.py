import datetime

import pytest
from django.utils import timezone

from motcua.notifications.models import Message
from motcua.queue.models import Ticket, TicketChannel, TicketStatus
from motcua.queue.selectors import standing, waiting_summary
from motcua.queue.selectors.estimates import RECENT_SERVICES, service_seconds
from motcua.queue.selectors.figures import percentile
from motcua.queue.services import call_next, issue_ticket, mark_absent

pytestmark = pytest.mark.django_db
KIOSK = TicketChannel.KIOSK


def _finished(group, minutes, *, ago_days=0):
    """A done ticket of `minutes` service, finished `ago_days` days ago (older ones first)."""
    ticket = issue_ticket(group=group, channel=KIOSK)
    end = timezone.now() - datetime.timedelta(days=ago_days)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.DONE, started_at=end - datetime.timedelta(minutes=minutes), finished_at=end
    )


def test_service_time_default_then_median_of_last_twenty(settings, group_a):
    settings.QUEUE_DEFAULT_SERVICE_MINUTES = 7
    assert service_seconds(group_a) == 7 * 60
    _finished(group_a, 60, ago_days=3)  # the 21st most recent: left out
    for i in range(RECENT_SERVICES):
        _finished(group_a, 4 if i % 2 else 2, ago_days=0)  # oldest first: 2, 4, 2, ...
    assert service_seconds(group_a) == 3 * 60  # median of ten 2s and ten 4s
    _finished(group_a, 60, ago_days=0)  # the oldest 2 drops out: 9×2, 10×4, 60 → median 4
    assert service_seconds(group_a) == 4 * 60


def test_standing_and_wait_estimate(settings, group_a, counter_a1, counter_a2, desk_a):
    settings.QUEUE_DEFAULT_SERVICE_MINUTES = 6
    tickets = [issue_ticket(group=group_a, channel=KIOSK) for _i in range(4)]
    last = standing(tickets[3])
    assert last.people_ahead == 3 and last.wait_minutes == 9  # 3 × 6 min / 2 counters
    counter_a2.is_active = False
    counter_a2.save()
    assert standing(tickets[3]).wait_minutes == 18
    call_next(counter=counter_a1, officer=desk_a)
    assert standing(tickets[3]).people_ahead == 2
    called = standing(Ticket.objects.get(pk=tickets[0].pk))
    assert called.status == TicketStatus.CALLED and called.called_counter == "Quầy 1"


def test_waiting_summary_for_board(group_a, group_b_civil, counter_a1, desk_a):
    issue_ticket(group=group_a, channel=KIOSK)
    issue_ticket(group=group_a, channel=KIOSK)
    call_next(counter=counter_a1, officer=desk_a)
    rows = {r["code"]: r for r in waiting_summary(group_a.office)}
    assert rows["ho-tich"]["waiting"] == 1 and rows["ho-tich"]["last_called"] == "A001"
    assert rows["dat-dai"]["waiting"] == 0 and rows["dat-dai"]["last_called"] == ""


def test_near_turn_sms_once_at_three_ahead(group_a, counter_a1, desk_a):
    walkins = [issue_ticket(group=group_a, channel=KIOSK) for _i in range(4)]
    watched = issue_ticket(group=group_a, channel=KIOSK, phone="0912345678")  # 4 ahead: no SMS yet
    assert watched.near_notice_at is None and not Message.objects.exists()
    first = call_next(counter=counter_a1, officer=desk_a)  # 3 ahead now
    assert Message.objects.count() == 1
    message = Message.objects.get()
    assert message.recipient == "0912345678" and "A005" in message.body
    mark_absent(first, desk_a)
    call_next(counter=counter_a1, officer=desk_a)  # 2 ahead: still one message
    assert Message.objects.count() == 1
    assert Ticket.objects.get(pk=watched.pk).near_notice_at is not None
    assert walkins


def test_no_sms_when_issued_already_close(group_a, counter_a1, desk_a):
    for _i in range(3):
        issue_ticket(group=group_a, channel=KIOSK)
    close = issue_ticket(group=group_a, channel=KIOSK, phone="0912345678")  # exactly 3 ahead at issue
    assert close.near_notice_at is not None
    call_next(counter=counter_a1, officer=desk_a)
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 90, None),
        ([5], 90, 5),
        (list(range(1, 11)), 90, 9),
        (list(range(1, 11)), 91, 10),
        (list(range(1, 11)), 50, 5),
    ],
)
def test_percentile_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected
