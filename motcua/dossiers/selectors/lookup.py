"""The public dossier lookup: no account, the code and the last four digits of the applicant's phone,
throttled per client (atomic counters in motcua.core.throttle), answered with a deliberately small public view."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.throttle import counter_hit, counter_release

from ..models import (
    NATIONAL_STATUS_CODE,
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierStep,
)
from .dossiers import _CODE_RE, event_label

S = DossierStatus
# Public lookup throttle: failed attempts per client in a fixed window (motcua.core.throttle).
LOOKUP_MAX_FAILURES = 20
LOOKUP_WINDOW_SECONDS = 600


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A***': enough for the applicant to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)


@dataclass
class PublicEvent:
    at: datetime.datetime
    label: str


@dataclass
class PublicDossier:
    """What anyone holding the code and phone digits may see. No ID, phone, address or documents."""

    code: str
    procedure_name: str
    status: str
    status_label: str
    national_status_code: int | None
    current_step: str | None
    expected_at: datetime.datetime | None
    apology: bool
    receiving_agency: str
    applicant_masked: str
    history: list[PublicEvent] = field(default_factory=list)


def _client_key(client: str | None) -> str:
    return f"dossier-lookup:{client or 'unknown'}"


def dossier_lookup(code: str, phone4: str, *, client: str | None = None) -> PublicDossier:
    """The public view of a dossier, for the code and the last four digits of the applicant's phone.

    A wrong code and a wrong phone give the same NotFound. After LOOKUP_MAX_FAILURES failures from one
    client (IP address) within LOOKUP_WINDOW_SECONDS, every lookup from it answers 429. The attempt is
    counted (atomically) before the dossier is read and given back when it finds one, so parallel
    guesses get at most LOOKUP_MAX_FAILURES answers however many are in flight.
    """
    key = _client_key(client)
    hit = counter_hit(key, limit=LOOKUP_MAX_FAILURES, window_seconds=LOOKUP_WINDOW_SECONDS)
    if not hit.allowed:
        raise DomainError(
            _("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.")
            % {"minutes": hit.retry_minutes},
            code="too_many_attempts",
            status=429,
        )
    code = (code or "").strip().upper()
    phone4 = (phone4 or "").strip()
    dossier = None
    if _CODE_RE.match(code) and re.fullmatch(r"\d{4}", phone4):
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency")
            .exclude(status=S.DRAFT)
            .filter(code=code)
            .first()
        )
    if dossier is None or len(dossier.applicant_phone) < 4 or dossier.applicant_phone[-4:] != phone4:
        raise NotFound(
            _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập. Vui lòng kiểm tra lại."),
            code="dossier_not_found",
        )
    counter_release(key)
    step = dossier.steps.filter(state=DossierStep.State.ACTIVE).order_by("order", "id").first()
    events = DossierEvent.objects.filter(dossier=dossier, public=True).order_by("at", "id").values_list("at", "action")
    return PublicDossier(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        status=dossier.status,
        status_label=str(dossier.get_status_display()),
        national_status_code=NATIONAL_STATUS_CODE.get(dossier.status),
        current_step=step.name if step else None,
        expected_at=dossier.apology_due_at or dossier.due_at,
        apology=dossier.apology_due_at is not None,
        receiving_agency=dossier.receiving_agency.name,
        applicant_masked=mask_name(dossier.applicant_name),
        history=[PublicEvent(at=at, label=event_label(action)) for at, action in events],
    )


def lookup_url(code: str) -> str:
    """Absolute address of the public lookup for a code (printed on the receipt and in its QR)."""
    return f"{settings.PUBLIC_BASE_URL}{reverse('dossiers:lookup')}?{urlencode({'code': code})}"
