"""What a channel may read for its sender.

The phone an SMS comes from is verified by the network, so it stands in for the applicant's own
login: the dossier's status is answered only when that phone is the applicant's phone on record.
Anything else (no such dossier, another person's dossier) gets one and the same answer, so a
text never tells whether a code exists.
"""

from __future__ import annotations

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.selectors.lookup import PublicDossier, dossier_lookup


def dossier_status_for_phone(code: str, phone: str) -> PublicDossier | None:
    """The public view of dossier `code` when `phone` (verified by the channel) is its applicant's; else None.

    Goes through the public lookup (its throttle per client, here per phone, and its masked view),
    then checks the whole number, not only the last four digits the lookup compares. Raises the
    lookup's DomainError (429) when this phone has failed too often.
    """
    phone = normalize_phone_or_none(phone or "")
    if not phone:
        return None
    try:
        found = dossier_lookup(code, phone[-4:], client=f"sms:{phone}")
    except NotFound:
        return None
    on_record = (
        Dossier.objects.filter(code=found.code)
        .exclude(status=DossierStatus.DRAFT)
        .values_list("applicant_phone", flat=True)
        .first()
    )
    return found if normalize_phone_or_none(on_record or "") == phone else None


def procedures_by_code(codes: list[str]) -> list[Procedure]:
    """Active procedures for these catalog codes, in the order given (public data: anyone may read it)."""
    found = {p.code: p for p in Procedure.objects.filter(code__in=codes, is_active=True).select_related("field")}
    return [found[c] for c in codes if c in found]
