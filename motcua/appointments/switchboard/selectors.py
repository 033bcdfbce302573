"""Reads for the switchboard: a dossier's public status from a code typed on a keypad.

Who may hear it is the public lookup's rule (`dossiers.selectors.lookup`): the code and the last four
digits of the applicant's phone, or here the caller's own number being the applicant's phone. Every
answer goes through `dossier_lookup`, so its small public view and its limit of wrong attempts per
client (the calling number) apply.
"""

from __future__ import annotations

import re

from django.db.models import Q

from motcua.core.errors import NotFound
from motcua.core.models import Agency
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.selectors.lookup import PublicDossier, dossier_lookup

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


def _with_tail(suffix: str):
    """Non-draft dossiers whose code ends with `suffix`, found through the code's unique index: the
    code's head is an agency's code, so every agency's possible full code is looked up (a few hundred
    index probes in a province) instead of a LIKE '%…' that would read the whole table."""
    codes = [f"{code}{suffix}" for code in Agency.objects.values_list("code", flat=True)]
    return Dossier.objects.filter(code__in=codes).filter(~Q(status=DossierStatus.DRAFT))


def dossiers_by_digits(digits: str, *, caller: str, phone4: str | None) -> list[PublicDossier]:
    """The dossiers whose code ends with the typed digits and whose applicant is the caller (same
    number) or has a phone ending in `phone4`; read through the public lookup, so its throttle per
    client and its small public view apply. Raises NotFound (and counts a failure) when none."""
    suffix = code_suffix(digits)
    client = f"switchboard:{national_phone(caller)}"
    candidates: list[tuple[str, str]] = []
    if suffix:
        rows = _with_tail(suffix).values_list("code", "applicant_phone").order_by("-id")[:20]
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
    phones = _with_tail(suffix).values_list("applicant_phone", flat=True)[:20]
    return any(national_phone(p) == mine for p in phones)
