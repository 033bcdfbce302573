"""The board's event stream: catch-up after Last-Event-ID, office isolation, what a public board
may show. The feed runs in the request thread here (no background thread), so each read of the
stream polls once: no sleeps."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.queue.board import feed as board_feed
from motcua.queue.board import selectors
from motcua.queue.models import TicketCall
from motcua.queue.services import call_next, finish_serving, issue_ticket, recall, start_serving

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_feed(settings):
    settings.QUEUE_BOARD_STREAM_SECONDS = 60
    feed = board_feed.CallFeed(threaded=False)
    board_feed.set_feed(feed)
    yield feed
    board_feed.set_feed(None)


def _parse(chunks):
    """SSE text -> list of (event, id, data) in order."""
    events = []
    for block in "".join(chunks).split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append((fields["event"], fields.get("id"), json.loads(fields["data"])))
    return events


class Board:
    """A board's open stream, read a chunk at a time."""

    def __init__(self, client, office, *, last=None, header=None):
        url = reverse("queue_board:stream", args=[office.pk])
        if last is not None:
            url += f"?last={last}"
        extra = {"HTTP_LAST_EVENT_ID": str(header)} if header is not None else {}
        self.response = client.get(url, **extra)
        assert self.response.status_code == 200
        assert self.response["Content-Type"] == "text/event-stream"
        self.chunks = iter(self.response.streaming_content)
        self.events = []

    def read(self, count=1):
        """Read `count` chunks: the first is `retry:`, the second the state and the missed calls, each
        later one a poll's events or a ping."""
        text = [next(self.chunks).decode() for _ in range(count)]
        self.events += _parse(text)
        return _parse(text)

    def calls(self):
        return [
            (data["code"], data["counter"], int(event_id)) for event, event_id, data in self.events if event == "call"
        ]

    def close(self):
        self.response.close()


def _done(ticket, officer):
    finish_serving(start_serving(ticket, officer), officer)


def _issue(group, n=1):
    return [issue_ticket(group=group, channel="kiosk") for _ in range(n)]


def test_a_new_board_gets_the_state_then_each_call_as_it_happens(client, group_a, counter_a1, desk_a):
    _issue(group_a, 2)
    board = Board(client, group_a.office)
    first = board.read(2)  # retry + state
    assert first[0][0] == "state"
    state = first[0][2]
    assert [c["number"] for c in state["counters"]] == [1, 2]
    assert state["groups"][0]["waiting"] == 2
    assert board.read()[0][0] == "ping"  # nothing called yet: a keep-alive, no old call-outs

    call_next(counter=counter_a1, officer=desk_a)
    events = board.read()
    kinds = [e[0] for e in events]
    assert kinds == ["call", "state"]
    call = events[0][2]
    assert (call["code"], call["counter"], call["kind"]) == ("A001", 1, "call")
    assert call["text"] == "Mời số A001 đến quầy số 1"
    assert call["speech"].startswith("/am-thanh/")
    assert int(events[0][1]) == TicketCall.objects.get().pk
    assert events[1][2]["counters"][0]["code"] == "A001"
    assert events[1][2]["groups"][0]["waiting"] == 1
    board.close()


def test_reconnect_gets_exactly_the_calls_after_last_event_id(client, group_a, counter_a1, desk_a):
    tickets = _issue(group_a, 3)
    ids = []
    for ticket in tickets:
        call_next(counter=counter_a1, officer=desk_a)
        ids.append(TicketCall.objects.latest("id").pk)
        _done(ticket, desk_a)
    # The browser saw the first call, dropped, and reconnects with Last-Event-ID.
    board = Board(client, group_a.office, header=ids[0])
    board.read(3)
    assert board.calls() == [("A002", 1, ids[1]), ("A003", 1, ids[2])]
    board.read(2)  # the next polls deliver nothing twice
    assert len(board.calls()) == 2
    board.close()


def test_the_header_wins_over_the_page_parameter(client, group_a, counter_a1, desk_a):
    (ticket,) = _issue(group_a)
    call_next(counter=counter_a1, officer=desk_a)
    recall(ticket, desk_a)
    first, second = TicketCall.objects.order_by("id").values_list("pk", flat=True)
    # ?last= is what the page knew when it opened the stream; the header is the browser's newer mark.
    board = Board(client, group_a.office, last=0, header=first)
    board.read(3)
    calls = [(data["code"], data["kind"], int(event_id)) for event, event_id, data in board.events if event == "call"]
    assert calls == [("A001", "recall", second)]
    board.close()


@pytest.mark.parametrize("bad", ["abc", "-1", "1e3", "٣", "9" * 19])
def test_a_bad_last_event_id_is_ignored_not_an_error(client, group_a, counter_a1, desk_a, bad):
    _issue(group_a)
    call_next(counter=counter_a1, officer=desk_a)
    board = Board(client, group_a.office, header=bad)
    board.read(3)
    assert board.calls() == []  # treated as a new board: state only
    assert board.events[0][0] == "state"
    board.close()


def test_catch_up_is_bounded_to_the_latest_calls(client, group_a, counter_a1, desk_a):
    for ticket in _issue(group_a, selectors.CATCH_UP_LIMIT + 1):
        call_next(counter=counter_a1, officer=desk_a)
        _done(ticket, desk_a)
    board = Board(client, group_a.office, last=0)
    board.read(2)
    codes = [c[0] for c in board.calls()]
    assert len(codes) == selectors.CATCH_UP_LIMIT
    assert codes[0] == "A002" and codes[-1] == f"A{selectors.CATCH_UP_LIMIT + 1:03d}"
    board.close()


def test_catch_up_replays_only_recent_calls(client, group_a, counter_a1, desk_a):
    for ticket in _issue(group_a, 3):
        call_next(counter=counter_a1, officer=desk_a)
        _done(ticket, desk_a)
    now = timezone.now()
    old, edge, _fresh = TicketCall.objects.order_by("id")
    # One call just outside the window, one just inside it, one fresh.
    TicketCall.objects.filter(pk=old.pk).update(
        at=now - datetime.timedelta(minutes=selectors.CATCH_UP_MINUTES, seconds=1)
    )
    TicketCall.objects.filter(pk=edge.pk).update(
        at=now - datetime.timedelta(minutes=selectors.CATCH_UP_MINUTES) + datetime.timedelta(seconds=5)
    )
    assert [c["code"] for c in selectors.calls_after(group_a.office, 0, now=now)] == ["A002", "A003"]
    assert [c["code"] for c in selectors.calls_after(group_a.office, 0, now=now, limit=1)] == ["A003"]


def test_a_board_never_receives_another_offices_calls(client, group_a, group_b, counter_a1, counter_b1, desk_a, desk_b):
    _issue(group_a)
    _issue(group_b)
    board_a = Board(client, group_a.office, last=0)
    board_b = Board(client, group_b.office, last=0)
    board_a.read(2)
    board_b.read(2)
    call_next(counter=counter_b1, officer=desk_b)  # office B calls its A001
    board_a.read()
    board_b.read()
    assert board_a.calls() == []
    assert [c[0] for c in board_b.calls()] == ["A001"]
    call_next(counter=counter_a1, officer=desk_a)
    board_a.read()
    board_b.read()
    assert [c[0] for c in board_a.calls()] == ["A001"]
    assert len(board_b.calls()) == 1
    a_calls = [data for event, _id, data in board_a.events if event == "call"]
    assert {data["office"] for data in a_calls} == {group_a.office_id}
    # Neither board's state mentions the other office's counters or groups.
    a_states = [data for event, _id, data in board_a.events if event == "state"]
    assert all(s["office"] == group_a.office_id for s in a_states)
    board_a.close()
    board_b.close()


def test_a_board_shows_no_personal_data(client, group_a, counter_a1, desk_a):
    ticket = issue_ticket(group=group_a, channel="kiosk", phone="0912345678")
    call_next(counter=counter_a1, officer=desk_a)
    board = Board(client, group_a.office, last=0)
    board.read(3)
    text = json.dumps(board.events, ensure_ascii=False)
    assert "A001" in text
    for private in ("0912345678", ticket.follow_token, desk_a.username, desk_a.first_name):
        assert private not in text
    page = client.get(reverse("queue_board:board", args=[group_a.office_id])).content.decode()
    assert "0912345678" not in page and ticket.follow_token not in page and desk_a.first_name not in page
    board.close()


def test_the_stream_ends_after_its_lifetime_and_tells_the_browser_when_to_reconnect(client, settings, group_a):
    settings.QUEUE_BOARD_STREAM_SECONDS = 0
    board = Board(client, group_a.office)
    chunks = [c.decode() for c in board.response.streaming_content]
    assert chunks[0] == "retry: 1000\n\n"
    assert [e[0] for e in _parse(chunks)] == ["state"]  # then the stream ends; the browser comes back


def test_the_feed_forgets_a_board_that_went_away(client, group_a, _inline_feed):
    board = Board(client, group_a.office)
    assert _inline_feed.listeners(group_a.office_id) == 0  # a response not yet sent holds nothing
    board.read(2)
    assert _inline_feed.listeners(group_a.office_id) == 1
    board.close()
    assert _inline_feed.listeners(group_a.office_id) == 0


@pytest.mark.parametrize("name", ["board", "state", "stream"])
def test_unknown_or_closed_offices_are_not_found(client, office_a, name):
    assert client.get(reverse(f"queue_board:{name}", args=[office_a.pk + 1000])).status_code == 404
    assert client.get(f"/xep-hang/bang/{10**20}/").status_code == 404
    office_a.is_active = False
    office_a.save(update_fields=["is_active"])
    assert client.get(reverse(f"queue_board:{name}", args=[office_a.pk])).status_code == 404


def test_the_page_and_its_state_need_no_login(client, group_a, counter_a1, desk_a):
    _issue(group_a)
    call_next(counter=counter_a1, officer=desk_a)
    page = client.get(reverse("queue_board:board", args=[group_a.office_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "A001 → quầy 1" in html and "Bật âm thanh" in html
    data = client.get(reverse("queue_board:state", args=[group_a.office_id])).json()
    assert data["last_id"] == TicketCall.objects.get().pk
    assert data["state"]["recent"][0]["code"] == "A001"
    assert client.post(reverse("queue_board:state", args=[group_a.office_id])).status_code == 405
