"""The public dossier lookup: no account, the code and the last four digits of the applicant's phone,
throttled per client (atomic counters in motcua.core.throttle), answered with a deliberately small public view.

A lookup is one of the busiest public reads, so it costs three statements and no ORM compilation: the
throttle's count (one upsert), one read of the columns shown (the dossier with its procedure, agency,
active step and public history, joined), and, when found, the count given back. The read's SQL is
written once per process from the models' table and column names.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Agency
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
_PHONE4_RE = re.compile(r"\d{4}")


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


@cache
def _lookup_sql(vendor: str) -> str:
    """One row per public event (one row with empty event columns when there is none), each carrying
    the dossier's shown columns, its procedure's and agency's names and its active step's name."""
    q = connection.ops.quote_name

    def col(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    d, p, a = q(Dossier._meta.db_table), q(Procedure._meta.db_table), q(Agency._meta.db_table)
    s, e = q(DossierStep._meta.db_table), q(DossierEvent._meta.db_table)
    step = (
        f"(SELECT st.{col(DossierStep, 'name')} FROM {s} st WHERE st.{col(DossierStep, 'dossier')} = d.{q('id')}"
        f" AND st.{col(DossierStep, 'state')} = %s ORDER BY st.{col(DossierStep, 'order')}, st.{q('id')} LIMIT 1)"
    )
    return (
        f"SELECT d.{col(Dossier, 'code')}, d.{col(Dossier, 'status')}, d.{col(Dossier, 'applicant_phone')},"
        f" d.{col(Dossier, 'applicant_name')}, d.{col(Dossier, 'due_at')}, d.{col(Dossier, 'apology_due_at')},"
        f" p.{col(Procedure, 'name')}, a.{col(Agency, 'name')}, {step},"
        f" ev.{col(DossierEvent, 'at')}, ev.{col(DossierEvent, 'action')}"
        f" FROM {d} d"
        f" JOIN {p} p ON p.{q('id')} = d.{col(Dossier, 'procedure')}"
        f" JOIN {a} a ON a.{q('id')} = d.{col(Dossier, 'receiving_agency')}"
        f" LEFT JOIN {e} ev ON ev.{col(DossierEvent, 'dossier')} = d.{q('id')} AND ev.{col(DossierEvent, 'public')} = %s"
        f" WHERE d.{col(Dossier, 'code')} = %s AND d.{col(Dossier, 'status')} <> %s"
        f" ORDER BY ev.{col(DossierEvent, 'at')}, ev.{q('id')}"
    )


def _aware(value) -> datetime.datetime | None:
    """A datetime as the ORM would give it (SQLite hands naive values, or text, to raw SQL)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


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
            _("Đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": hit.retry_minutes},
            code="too_many_attempts",
            status=429,
        )
    code = (code or "").strip().upper()
    phone4 = (phone4 or "").strip()
    rows = []
    if _CODE_RE.match(code) and _PHONE4_RE.fullmatch(phone4):
        with connection.cursor() as cursor:
            cursor.execute(_lookup_sql(connection.vendor), [DossierStep.State.ACTIVE.value, True, code, S.DRAFT.value])
            rows = cursor.fetchall()
    phone = rows[0][2] if rows else ""
    if not rows or len(phone) < 4 or phone[-4:] != phone4:
        raise NotFound(
            _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập. Vui lòng kiểm tra lại."),
            code="dossier_not_found",
        )
    counter_release(key)
    code, status, _phone, name, due_at, apology_due_at, procedure_name, agency_name, step = rows[0][:9]
    apology_due_at = _aware(apology_due_at)
    return PublicDossier(
        code=code,
        procedure_name=procedure_name,
        status=status,
        status_label=str(S(status).label) if status in S.values else status,
        national_status_code=NATIONAL_STATUS_CODE.get(status),
        current_step=step,
        expected_at=apology_due_at or _aware(due_at),
        apology=apology_due_at is not None,
        receiving_agency=agency_name,
        applicant_masked=mask_name(name),
        history=[PublicEvent(at=_aware(row[9]), label=event_label(row[10])) for row in rows if row[10] is not None],
    )


def lookup_url(code: str) -> str:
    """Absolute address of the public lookup for a code (printed on the receipt and in its QR)."""
    return f"{settings.PUBLIC_BASE_URL}{reverse('dossiers:lookup')}?{urlencode({'code': code})}"
