"""The per-process feed: one poll serves every board, late commits are not lost, nothing is sent twice."""

import pytest
from django.utils import timezone

from motcua.queue.board import selectors
from motcua.queue.board.feed import CallFeed
from motcua.queue.models import TicketCall
from motcua.queue.services import issue_ticket

pytestmark = pytest.mark.django_db


def _call(ticket, counter, *, pk=None):
    return TicketCall.objects.create(
        pk=pk, office_id=ticket.office_id, ticket=ticket, counter=counter, at=timezone.now(), kind="call"
    )


def _codes(events):
    return [(e["code"], e["id"]) for e in events]


def test_a_call_committed_after_a_higher_id_still_reaches_the_board(group_a, counter_a1, counter_a2):
    feed = CallFeed(threaded=False)
    feed.subscribe(group_a.office_id)
    t1, t2, t3 = (issue_ticket(group=group_a, channel="kiosk") for _ in range(3))
    first = _call(t1, counter_a1)
    third = _call(t3, counter_a2, pk=first.pk + 2)  # committed first, with the higher id
    events, _version, _state = feed.wait(group_a.office_id, delivered=set(), since=0, state_version=0, timeout=0)
    assert _codes(events) == [("A001", first.pk), ("A003", third.pk)]
    delivered = {first.pk, third.pk}

    second = _call(t2, counter_a2, pk=first.pk + 1)  # the slower transaction commits now
    events, _version, _state = feed.wait(
        group_a.office_id, delivered=delivered, since=0, state_version=_version, timeout=0
    )
    assert _codes(events) == [("A002", second.pk)]
    # Polled again: the feed keeps each call once.
    feed.poll_once()
    events, _version, _state = feed.wait(group_a.office_id, delivered=set(), since=0, state_version=0, timeout=0)
    assert sorted(e["id"] for e in events) == [first.pk, second.pk, third.pk]


def test_state_is_recomputed_for_offices_with_boards_and_versioned(group_a, group_b, counter_a1):
    feed = CallFeed(threaded=False)
    feed.subscribe(group_a.office_id)
    _events, version, state = feed.wait(group_a.office_id, delivered=set(), since=0, state_version=0, timeout=0)
    assert version == 1 and state["office"] == group_a.office_id
    # Nothing changed and the state is not due yet: no new version.
    _events, again, state = feed.wait(group_a.office_id, delivered=set(), since=0, state_version=version, timeout=0)
    assert again == version and state is None
    # A call makes the state due at once.
    _call(issue_ticket(group=group_a, channel="kiosk"), counter_a1)
    events, newer, state = feed.wait(group_a.office_id, delivered=set(), since=0, state_version=version, timeout=0)
    assert len(events) == 1 and newer == version + 1
    assert state["counters"][0]["code"] == ""  # a raw TicketCall row, the ticket itself not marked called
    assert state["recent"][0]["code"] == "A001"
    # Office B has no board: no state kept for it.
    assert feed.wait(group_b.office_id, delivered=set(), since=0, state_version=0, timeout=0)[2] is None


def test_subscriptions_are_counted_per_office(office_a, office_b):
    feed = CallFeed(threaded=False)
    feed.subscribe(office_a.pk)
    feed.subscribe(office_a.pk)
    feed.subscribe(office_b.pk)
    feed.unsubscribe(office_a.pk)
    assert (feed.listeners(office_a.pk), feed.listeners(office_b.pk)) == (1, 1)
    feed.unsubscribe(office_a.pk)
    assert feed.listeners(office_a.pk) == 0


def test_a_quiet_poll_costs_one_query_whatever_the_number_of_boards(
    group_a, group_b, counter_a1, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("motcua.queue.board.feed.STATE_SECONDS", 3600)  # states not due again in this test
    feed = CallFeed(threaded=False)
    for _board in range(50):
        feed.subscribe(group_a.office_id)
        feed.subscribe(group_b.office_id)
    feed.poll_once()  # the first poll reads both boards' states
    with django_assert_num_queries(1):  # the primary-key range over TicketCall, nothing else
        feed.poll_once()
    # A call: the new row, then office A's state at once; office B's is not recomputed.
    _call(issue_ticket(group=group_a, channel="kiosk"), counter_a1)
    computed = []
    real = selectors.board_state
    monkeypatch.setattr(selectors, "board_state", lambda office: computed.append(office.pk) or real(office))
    feed.poll_once()
    assert computed == [group_a.office_id]
