"""What the switchboard needs from the rest of motcua, in one place: the bookable offices, groups,
days and slots, the booking itself, the public dossier lookup, speech and the SMS.

The state machine (`machine.py`) talks only to these functions and keeps plain values (ids, ISO
times) in the call's row, so a change in the booking or voice modules touches this file alone.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import OneStopOffice
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.selectors.lookup import PublicDossier, dossier_lookup
from motcua.queue.models import ServiceGroup

from .. import selectors as appointment_selectors
from .. import services as appointment_services
from ..models import BookingChannel
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


def names(office_id: str, group_id: str) -> tuple[str, str]:
    group = _group(group_id)
    office = _office(office_id)
    return (office.name if office else ""), (group.name if group else "")


def book(*, group_id: str, start: datetime.datetime, caller: str) -> str:
    """Book the slot starting at `start` for the caller's phone; the booking's code. The booking
    module's confirmation (code and time, by SMS to that phone) goes into the outbox with it.

    Raises DomainError (slot full, limit per person, cut-off passed) with the booking module's own
    code and message; the switchboard reads the message out and offers other slots.
    """
    group = _group(group_id)
    if group is None:
        raise DomainError("group gone", code="group_not_bookable")
    booking = appointment_services.book(
        group=group, slot_start=start, channel=BookingChannel.PHONE, name=_("Người gọi tổng đài"), phone=caller
    )
    return booking.code


_NON_DIGITS = re.compile(r"\D")


def national_phone(number: str) -> str:
    """'+84 912 345 678', '84912345678', '0912345678' -> '0912345678' (as applicants' phones are kept)."""
    digits = _NON_DIGITS.sub("", number or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def code_suffix(digits: str) -> str | None:
    """The tail of a dossier code typed on a keypad, as '-YYMMDD-NNNN'.

    A dossier code is `<agency id>-YYMMDD-NNNN`; the agency id has letters (H12), so the caller types
    the date and sequence printed at the end: 10 or 11 digits (six for the day, the rest the number).
    Longer input is taken as the whole code's digits and its last ten are used."""
    if not digits.isdigit() or len(digits) < 10:
        return None
    if len(digits) > 11:
        digits = digits[-10:]
    return f"-{digits[:6]}-{digits[6:]}"


def dossiers_by_digits(digits: str, *, caller: str, phone4: str | None) -> list[PublicDossier]:
    """The dossiers whose code ends with the typed digits and whose applicant is the caller (same
    number) or has a phone ending in `phone4`; read through the public lookup, so its throttle per
    client and its small public view apply. Raises NotFound (and counts a failure) when none."""
    suffix = code_suffix(digits)
    client = f"switchboard:{national_phone(caller)}"
    candidates: list[tuple[str, str]] = []
    if suffix:
        rows = (
            Dossier.objects.filter(code__endswith=suffix)
            .filter(~Q(status=DossierStatus.DRAFT))
            .values_list("code", "applicant_phone")
            .order_by("-id")[:20]
        )
        mine = national_phone(caller)
        for code, phone in rows:
            phone = national_phone(phone)
            if (phone4 is None and mine and phone == mine) or (phone4 is not None and phone.endswith(phone4)):
                candidates.append((code, phone[-4:]))
    if not candidates:
        # Through the lookup all the same, so a failure counts towards the caller's limit.
        dossier_lookup(f"X{suffix or '-000000-0000'}", phone4 or "0000", client=client)
        raise NotFound(code="dossier_not_found")
    return [dossier_lookup(code, last4, client=client) for code, last4 in candidates[:2]]


def caller_owns(digits: str, caller: str) -> bool:
    """Whether a dossier with that code tail has the caller's own number as the applicant's phone."""
    suffix = code_suffix(digits)
    mine = national_phone(caller)
    if not suffix or len(mine) < 9:
        return False
    phones = Dossier.objects.filter(code__endswith=suffix).exclude(status=DossierStatus.DRAFT)
    return any(national_phone(p) == mine for p in phones.values_list("applicant_phone", flat=True)[:20])


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
