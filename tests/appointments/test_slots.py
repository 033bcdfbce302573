"""Slots from office hours and the calendar; booking limits at their boundaries."""

import datetime

import pytest

from motcua.appointments import selectors, services
from motcua.appointments.models import BookingChannel, BookingStatus
from motcua.core.errors import DomainError
from motcua.core.models import CalendarOverride, OverrideKind

from .conftest import MONDAY, TUESDAY, at

pytestmark = pytest.mark.django_db


def _book(group, start, *, phone="0912345678", now, name="Trần Thị Mai", **kw):
    return services.book(
        group=group, slot_start=start, channel=BookingChannel.PORTAL_OTP, name=name, phone=phone, now=now, **kw
    )


def _phone(n: int) -> str:
    return f"09123450{n:02d}"


def test_slots_from_opening_to_closing(policy_a, monday):
    found = selectors.free_slots(policy_a.group, TUESDAY, now=monday)
    starts = [s.start for s in found]
    # 07:00–11:30 gives 9 slots, 13:30–17:00 gives 7; the first starts at opening, the last ends at closing.
    assert len(found) == 16
    assert starts[0] == at(TUESDAY, 7)
    assert found[8].end == at(TUESDAY, 11, 30)
    assert starts[9] == at(TUESDAY, 13, 30)
    assert found[-1].end == at(TUESDAY, 17)
    assert {s.capacity for s in found} == {4}


def test_slot_that_would_run_past_closing_is_not_offered(policy_a, monday):
    policy_a.slot_minutes = 40
    policy_a.save()
    found = selectors.free_slots(policy_a.group, TUESDAY, now=monday)
    # 07:00 + 6 × 40 min = 11:00; an 11:00–11:40 slot would pass 11:30.
    assert max(s.end for s in found if s.end.hour < 12) == at(TUESDAY, 11)
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY, 11), now=monday)
    assert refused.value.code == "slot_invalid"


def test_cutoff_exactly_at_limit_and_both_sides(policy_a, monday):
    slot = at(MONDAY, 10)  # cut-off 60 min: bookable until 09:00 inclusive
    assert slot in [s.start for s in selectors.free_slots(policy_a.group, MONDAY, now=at(MONDAY, 9))]
    assert slot not in [
        s.start for s in selectors.free_slots(policy_a.group, MONDAY, now=at(MONDAY, 9) + datetime.timedelta(seconds=1))
    ]
    _book(policy_a.group, slot, now=at(MONDAY, 8, 59), phone=_phone(1))
    _book(policy_a.group, slot, now=at(MONDAY, 9), phone=_phone(2))
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, slot, now=at(MONDAY, 9) + datetime.timedelta(seconds=1), phone=_phone(3))
    assert refused.value.code == "slot_closed"


def test_no_slots_on_a_holiday_or_weekend(policy_a, monday):
    CalendarOverride.objects.create(
        date=TUESDAY, kind=OverrideKind.DAY_OFF, reason="Nghỉ thử", legal_basis="Quyết định thử"
    )
    from motcua.core.calendar import invalidate_cache

    invalidate_cache()
    assert selectors.free_slots(policy_a.group, TUESDAY, now=monday) == []
    saturday = MONDAY + datetime.timedelta(days=5)
    assert selectors.free_slots(policy_a.group, saturday, now=monday) == []
    days = selectors.bookable_days(policy_a.group, now=monday)
    assert TUESDAY not in days and saturday not in days and MONDAY in days
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY, 8), now=monday)
    assert refused.value.code == "day_off"


def test_days_ahead_boundary(policy_a, monday):
    days = selectors.bookable_days(policy_a.group, now=monday)
    last = MONDAY + datetime.timedelta(days=14)  # a Monday, working
    assert days[0] == MONDAY and days[-1] == last
    _book(policy_a.group, at(last, 8), now=monday)
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(last + datetime.timedelta(days=1), 8), now=monday, phone=_phone(5))
    assert refused.value.code == "day_out_of_range"


def test_capacity_full(policy_a, monday):
    slot = at(TUESDAY, 8)
    for n in range(4):
        _book(policy_a.group, slot, now=monday, phone=_phone(n))
    found = {s.start: s for s in selectors.free_slots(policy_a.group, TUESDAY, now=monday)}
    assert found[slot].free == 0
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, slot, now=monday, phone=_phone(9))
    assert refused.value.code == "slot_full"
    # A cancellation frees the place at once.
    booking = services.booking_cancel(booking=_first(slot), now=monday)
    assert booking.status == BookingStatus.CANCELLED
    _book(policy_a.group, slot, now=monday, phone=_phone(9))


def _first(slot):
    from motcua.appointments.models import Booking

    return Booking.objects.filter(slot_start=slot, status=BookingStatus.BOOKED).first()


def test_capacity_follows_active_counters(policy_a, monday):
    counter = policy_a.group.counters.first()
    counter.is_active = False
    counter.save()
    assert {s.capacity for s in selectors.free_slots(policy_a.group, TUESDAY, now=monday)} == {2}
    policy_a.capacity_override = 1
    policy_a.save()
    assert {s.capacity for s in selectors.free_slots(policy_a.group, TUESDAY, now=monday)} == {1}


def test_per_person_limit(policy_a, monday, person):
    services.book(
        group=policy_a.group,
        slot_start=at(TUESDAY, 8),
        channel=BookingChannel.PORTAL,
        name="",
        person=person,
        now=monday,
    )
    # Same person by phone on another channel, same day: refused; the next day: fine.
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY, 9), now=monday, phone=person.phone)
    assert refused.value.code == "person_limit"
    _book(policy_a.group, at(TUESDAY + datetime.timedelta(days=1), 9), now=monday, phone=person.phone)
    policy_a.max_per_person_per_day = 2
    policy_a.save()
    _book(policy_a.group, at(TUESDAY, 9), now=monday, phone=person.phone)


def test_no_show_limit(policy_a, monday):
    policy_a.no_show_limit, policy_a.no_show_window_days, policy_a.no_show_block_days = 2, 30, 10
    policy_a.save()
    phone = _phone(7)
    first = _book(policy_a.group, at(MONDAY, 10), now=monday, phone=phone)
    second = _book(policy_a.group, at(TUESDAY, 10), now=monday, phone=phone)
    after_first = at(MONDAY, 11)
    assert services.no_shows_mark(now=after_first) == 1
    first.refresh_from_db()
    assert first.status == BookingStatus.NO_SHOW
    # One no-show is under the limit.
    _book(policy_a.group, at(MONDAY + datetime.timedelta(days=3), 10), now=after_first, phone=phone)
    assert services.no_shows_mark(now=at(TUESDAY, 10, 45)) == 0  # slot end 10:30 + 15 min grace: not yet
    assert (
        services.no_shows_mark(
            now=at(
                TUESDAY,
                10,
                45,
            )
            + datetime.timedelta(seconds=1)
        )
        == 1
    )
    second.refresh_from_db()
    assert second.status == BookingStatus.NO_SHOW
    later = at(TUESDAY, 12)
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY + datetime.timedelta(days=7), 10), now=later, phone=phone)
    assert refused.value.code == "no_show_blocked"
    assert refused.value.status == 403
    assert "vắng mặt 2 lần" in refused.value.message
    # The block lasts 10 days from the last no-show (Tue 10:00): then booking works again.
    end = at(TUESDAY + datetime.timedelta(days=10), 10)
    assert services.no_show_block_until(policy_a, None, phone, end - datetime.timedelta(seconds=1)) == end
    assert services.no_show_block_until(policy_a, None, phone, end) is None


def test_bad_input_is_refused_cleanly(policy_a, monday):
    from motcua.appointments.models import Booking

    cases = [
        (dict(name=""), "name_required"),
        (dict(phone="12345"), "invalid_phone"),
        (dict(phone=""), "contact_required"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as refused:
            _book(policy_a.group, at(TUESDAY, 8), now=monday, **kwargs)
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY, 8, 10), now=monday)
    assert refused.value.code == "slot_invalid"
    policy_a.is_enabled = False
    policy_a.save()
    with pytest.raises(DomainError) as refused:
        _book(policy_a.group, at(TUESDAY, 8), now=monday)
    assert refused.value.code == "booking_closed"
    assert not Booking.objects.exists()


def test_code_alphabet_and_move(policy_a, monday):
    booking = _book(policy_a.group, at(TUESDAY, 8), now=monday)
    assert len(booking.code) == 6 and not set(booking.code) & set("0O1I")
    moved = services.booking_move(booking=booking, slot_start=at(TUESDAY, 14), now=monday)
    assert moved.code == booking.code and moved.slot_start == at(TUESDAY, 14)
    with pytest.raises(DomainError) as refused:
        services.booking_move(booking=booking, slot_start=at(TUESDAY, 14), now=monday)
    assert refused.value.code == "same_slot"
