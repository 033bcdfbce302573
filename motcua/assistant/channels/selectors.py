"""What a channel may read for its sender.

The phone an SMS comes from is verified by the network, so it stands in for the applicant's own
login: the dossier's status is answered only when that phone is the applicant's phone on record
(the assistant's own rule, `assistant.selectors.dossier_phone_matches`), through the public lookup
(its throttle, its masked view). Anything else (no such dossier, another person's dossier) gets one
and the same answer, so a text never tells whether a code exists.
"""

from __future__ import annotations

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.dossiers.selectors.lookup import PublicDossier, dossier_lookup

from ..selectors import conversation_current, dossier_phone_matches


def dossier_status_for_phone(code: str, phone: str) -> PublicDossier | None:
    """The public view of dossier `code` when `phone` (verified by the channel) is its applicant's; else None.

    Raises the lookup's DomainError (429) when this phone has failed the lookup too often.
    """
    phone = normalize_phone_or_none(phone or "")
    if not phone or not dossier_phone_matches(code, phone):
        return None
    try:
        return dossier_lookup(code, phone[-4:], client=f"sms:{phone}")
    except NotFound:  # a draft, or changed since: the same answer as any other miss
        return None


def procedures_by_code(codes: list[str]) -> list[Procedure]:
    """Active procedures for these catalog codes, in the order given (public data: anyone may read it)."""
    found = {p.code: p for p in Procedure.objects.filter(code__in=codes, is_active=True)}
    return [found[c] for c in codes if c in found]


def booking_flow_open(channel: str, sender: str, *, idle_minutes: int) -> bool:
    """Whether the sender is in the middle of booking a slot by chat (their next text is its answer)."""
    current = conversation_current(channel=channel, sender=sender, idle_minutes=idle_minutes)
    return bool(current and current.context.get("booking"))
