"""Office statistics and the tracking book (sổ theo dõi), for the agencies and offices the reader's
roles cover."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Agency, OneStopOffice
from motcua.core.selectors import user_is_officer

from ..models import Dossier, DossierStatus
from .measures import measure_conditions, period_bounds
from .queues import _office_agencies

S = DossierStatus


# --- Statistics -------------------------------------------------------------------------------


def agency_get_for_stats(user, agency_code: str) -> Agency:
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    agency = _office_agencies(user).filter(code=agency_code).first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    return agency


def stats_agencies_for(user) -> QuerySet[Agency]:
    """The agencies whose statistics this officer may see (for the page's choice list)."""
    if not user_is_officer(user):
        return Agency.objects.none()
    return _office_agencies(user).order_by("code")


def office_statistics(
    user,
    *,
    agency: Agency | str,
    date_from: datetime.date,
    date_to: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """Figures for dossiers received by one agency, over a period of local dates (both included).

    - received: received in the period;
    - finished_on_time / finished_late: resolved in the period; late when `finished_late`, or (not yet
      marked) resolved after the deadline, or asked for supplements more than once (national index rule);
    - in_progress (on_time / overdue): open now, received up to the period's end, overdue as of `now`
      (dossiers waiting on the applicant are never overdue);
    - by_procedure: the same figures per procedure.
    Aggregated in the database: two queries, whatever the number of dossiers.
    """
    if isinstance(agency, str):
        agency = agency_get_for_stats(user, agency)
    elif not user_is_officer(user) or not _office_agencies(user).filter(pk=agency.pk).exists():
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    if date_to < date_from:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="invalid_period", status=422)
    now = now or timezone.now()
    start, end = period_bounds(date_from, date_to)
    conditions = measure_conditions(start, end, now)
    figures = {
        key: Count("pk", filter=conditions[key])
        for key in ("received", "finished_on_time", "finished_late", "in_progress_on_time", "in_progress_overdue")
    }
    received, finished, in_progress = conditions["received"], conditions["finished"], conditions["in_progress"]
    base = Dossier.objects.filter(receiving_agency=agency).filter(received | finished | in_progress)
    totals = base.aggregate(**figures)
    rows = (
        base.values("procedure_id", "procedure__code", "procedure__name")
        .annotate(**figures)
        .order_by("procedure__code")
    )
    by_procedure = [
        {
            "procedure_code": row["procedure__code"],
            "procedure_name": row["procedure__name"],
            **{key: row[key] for key in figures},
            "in_progress": row["in_progress_on_time"] + row["in_progress_overdue"],
            "finished": row["finished_on_time"] + row["finished_late"],
        }
        for row in rows
    ]
    return {
        "agency": agency,
        "date_from": date_from,
        "date_to": date_to,
        **totals,
        "finished": totals["finished_on_time"] + totals["finished_late"],
        "in_progress": totals["in_progress_on_time"] + totals["in_progress_overdue"],
        "by_procedure": by_procedure,
    }


# --- Tracking book ----------------------------------------------------------------------------


def office_get_for(user, office_id) -> OneStopOffice:
    try:
        office_id = int(office_id)
    except (TypeError, ValueError):
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    office = (
        OneStopOffice.objects.select_related("agency", "agency__parent")
        .filter(pk=office_id, agency__in=_office_agencies(user))
        .first()
    )
    if office is None:
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    return office


def offices_for(user) -> QuerySet[OneStopOffice]:
    if not user_is_officer(user):
        return OneStopOffice.objects.none()
    return (
        OneStopOffice.objects.filter(agency__in=_office_agencies(user))
        .select_related("agency")
        .order_by("agency__code", "name")
    )


def tracking_book_rows(*, office: OneStopOffice, date_from: datetime.date, date_to: datetime.date) -> list[Dossier]:
    """Dossiers received at one office in a period (the caller has checked access to the office)."""
    start, end = period_bounds(date_from, date_to)
    return list(
        Dossier.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
        .select_related("procedure")
        .order_by("received_at", "id")
    )
