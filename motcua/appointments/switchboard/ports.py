"""What the switchboard needs from the rest of motcua, in one place: the bookable offices, groups,
days and slots, the booking itself (its confirmation SMS comes with it), the dossier status by
keypad code (`selectors.py`, through the public lookup) and speech.

The state machine (`machine.py`) talks only to these functions and keeps plain values (ids, ISO
times) in the call's row, so a change in the booking or voice modules touches this file alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice
from motcua.queue.models import ServiceGroup

from .. import selectors as appointment_selectors
from .. import services as appointment_services
from ..models import BookingChannel
from .selectors import caller_owns, code_suffix, dossiers_by_digits  # noqa: F401  (the machine's names)
from .speakable import speakable


@dataclass(frozen=True)
class Option:
    key: str  # an id, or a slot's ISO start
    label: str  # the display words read after "bấm N"


def offices() -> list[Option]:
    return [Option(str(o.pk), o.name) for o in appointment_selectors.bookable_offices()]


def _office(office_id: str) -> OneStopOffice | None:
    return appointment_selectors.bookable_offices().filter(pk=office_id).first()


def groups(office_id: str) -> list[Option]:
    office = _office(office_id)
    if office is None:
        return []
    return [Option(str(g.pk), g.name) for g in appointment_selectors.bookable_groups(office)]


def _group(group_id: str) -> ServiceGroup | None:
    return appointment_selectors.bookable_groups().filter(pk=group_id).first()


def days(group_id: str, *, limit: int) -> list[datetime.date]:
    group = _group(group_id)
    return appointment_selectors.bookable_days(group)[:limit] if group else []


def slots(group_id: str, day: datetime.date, *, limit: int) -> list[datetime.datetime]:
    """Start times (local) of the day's slots that still have a place, earliest first."""
    group = _group(group_id)
    if group is None:
        return []
    found = [s.start for s in appointment_selectors.free_slots(group, day) if s.free > 0]
    return [calendar.as_local(start) for start in found[:limit]]


def book(*, group_id: str, start: datetime.datetime, caller: str) -> str:
    """Book the slot starting at `start` for the caller's phone; the booking's code. The booking
    module's confirmation (code and time, by SMS to that phone) goes into the outbox with it.

    Raises DomainError (slot full, limit per person, cut-off passed) with the booking module's own
    code and message; the switchboard reads the message out and offers other slots.
    """
    group = _group(group_id)
    if group is None:
        raise DomainError(_("Nhóm dịch vụ này hiện không nhận đặt lịch."), code="booking_closed", status=409)
    booking = appointment_services.book(
        group=group, slot_start=start, channel=BookingChannel.PHONE, name=_("Người gọi tổng đài"), phone=caller
    )
    return booking.code


def speech_url(text: str) -> str:
    """An absolute URL of `text` spoken (numbers, days and codes in words); '' when it cannot be made."""
    from motcua.core.voice import speech_url as voice_url

    said = speakable(text)
    try:
        return voice_url(said, absolute=True)
    except ValueError:
        return ""


def hotline() -> str:
    return settings.SWITCHBOARD_HOTLINE
