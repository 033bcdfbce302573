"""Two callers confirming the last place of a slot at the same moment, on PostgreSQL: one booking,
and the other caller is told the slot is gone and hears the remaining slots."""

import threading

import pytest
from django.db import connections

from motcua.appointments.models import Booking, BookingChannel, SwitchboardCall
from motcua.appointments.switchboard import services, wire

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def request(call_id: str, caller: str, event: str, digits: str, seq: int) -> wire.Request:
    return wire.Request(call_id=call_id, caller=caller, digits=digits, event=event, seq=seq)


def test_two_callers_confirm_the_last_place_at_once(policy):
    callers = {"r1": "0912000001", "r2": "0912000002"}
    for call_id, caller in callers.items():
        services.switchboard_event(request(call_id, caller, "start", "", 1))
        for seq in range(2, 7):  # book, office 1, group 1, day 1, slot 1: both at the same slot
            services.switchboard_event(request(call_id, caller, "digits", "1", seq))
    slots = {SwitchboardCall.objects.get(call_id=c).choices["slot"] for c in callers}
    assert len(slots) == 1

    barrier = threading.Barrier(2)
    answers = {}

    def confirm(call_id):
        try:
            barrier.wait(timeout=10)
            answers[call_id] = services.switchboard_event(request(call_id, callers[call_id], "digits", "1", 7))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(c,)) for c in callers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert Booking.objects.filter(channel=BookingChannel.PHONE).count() == 1
    states = sorted(a["state"] for a in answers.values())
    assert states == ["ended", "slot"]
    told = next(a for a in answers.values() if a["state"] == "slot")
    assert any("không đặt được lịch" in x.get("text", "") for x in told["actions"])
