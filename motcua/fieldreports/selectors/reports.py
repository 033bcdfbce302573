"""Reads of field reports, with who-may-see-what in the same functions.

- The public sees reports that are reviewed (or passed the automatic check), not hidden and not
  merged away; never the reporter's identity or contact (see PUBLIC_FIELDS).
- A report handler sees the reports routed to the agencies of their roles.
- A supervisor (manager, or administrator, over a unit or an agency's unit) sees every report in
  that unit and below it: a province-level manager sees the whole province.
- A citizen sees the reports they filed.
Outside that scope a report is "not found" (404), never "forbidden".
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.models import Role
from motcua.core.text import fold

from ..geo import distance_m
from ..models import OPEN_STATUSES, FieldReport, ReportCategory, ReportStatus
from ..moderation import mask_personal_data

SUPERVISOR_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)
# What public pages and APIs may show of a report; contact fields are deliberately absent.
PUBLIC_FIELDS = (
    "id",
    "code",
    "token",
    "category_id",
    "title",
    "description",
    "public_description",
    "attributes",
    "lat",
    "lon",
    "unit_id",
    "address",
    "urgent",
    "status",
    "agency_id",
    "submitted_at",
    "accepted_at",
    "due_at",
    "overdue",
    "answered_at",
    "closed_at",
    "answer",
    "outcome",
    "refusal_reason",
    "reopen_count",
    "merged_into_id",
    "follower_count",
    "updated_at",
    "anonymous",
    "channel",
)


def _base() -> QuerySet[FieldReport]:
    return FieldReport.objects.select_related("category", "unit", "agency")


# --- Public ------------------------------------------------------------------------------------


def report_public_qs() -> QuerySet[FieldReport]:
    """Reports anyone may see. Callers must not show reporter_* or reporter (see PUBLIC_FIELDS)."""
    return _base().filter(reviewed=True, hidden=False).exclude(status=ReportStatus.MERGED)


def report_get_public(code: str) -> FieldReport:
    report = report_public_qs().filter(code=str(code or "").strip().upper()).first()
    if report is None:
        raise NotFound(code="report_not_found")
    return report


def report_public_text(report: FieldReport) -> str:
    """What the public reads: the officer's text if they wrote one, and personal data masked
    whatever the review did (an ID or phone number the check missed at submission stays private)."""
    return mask_personal_data(report.public_description or report.description)


def report_public_dict(report: FieldReport) -> dict:
    """A report as public output may show it: no reporter, no contact, no moderation notes."""
    data = {name: getattr(report, name) for name in PUBLIC_FIELDS}
    data["description"] = report_public_text(report)
    data["title"] = mask_personal_data(report.title)
    data.pop("public_description")
    data["category_code"] = report.category.code
    data["category_name"] = report.category.name
    data["unit_name"] = report.unit.name
    data["agency_name"] = report.agency.name
    data["is_open"] = report.status in OPEN_STATUSES
    return data


def reports_nearby(*, category, lat: float, lon: float, radius_m: float = 50, days: int = 14) -> list[FieldReport]:
    """Open public reports of the same category within `radius_m` filed in the last `days`,
    nearest first (shown before submission so the citizen can follow instead of filing again)."""
    lat, lon = float(lat), float(lon)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        # "inf"/"nan" parse as floats (pages and the API's float params) but name no place.
        return []
    span_lat = radius_m / 110_000
    span_lon = span_lat / max(0.2, abs(math.cos(math.radians(lat))))
    since = timezone.now() - datetime.timedelta(days=days)
    rows = report_public_qs().filter(
        category=category,
        status__in=OPEN_STATUSES,
        submitted_at__gte=since,
        lat__range=(lat - span_lat, lat + span_lat),
        lon__range=(lon - span_lon, lon + span_lon),
    )
    found = [(distance_m(lat, lon, r.lat, r.lon), r) for r in rows[:200]]
    return [r for d, r in sorted(found, key=lambda pair: (pair[0], pair[1].pk)) if d <= radius_m]


def category_tree() -> list[ReportCategory]:
    """Active top-level categories, ordered, each with `.active_children` (ordered leaves)."""
    children = Prefetch(
        "children",
        queryset=ReportCategory.objects.filter(is_active=True).order_by("order", "name"),
        to_attr="active_children",
    )
    return list(
        ReportCategory.objects.filter(is_active=True, parent__isnull=True)
        .order_by("order", "name")
        .prefetch_related(children)
    )


def category_leaves() -> QuerySet[ReportCategory]:
    """Categories a report may be filed under: active, without active children."""
    return (
        ReportCategory.objects.filter(is_active=True)
        .exclude(children__is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .order_by("parent__order", "order", "name")
        .distinct()
    )


# --- Scoped --------------------------------------------------------------------------------------


def handler_agency_ids(user) -> set[int]:
    """The agencies whose reports this officer handles (report-handler roles scoped to an agency)."""
    return scope.role_agency_ids(user, roles=[Role.REPORT_HANDLER])


def supervisor_unit_ids(user) -> set[int]:
    """The units (and below) this officer supervises as manager or administrator."""
    return scope.covered_units(user, roles=SUPERVISOR_ROLES)


def reports_handled_by(user) -> QuerySet[FieldReport]:
    """Reports routed to the officer's own agencies: what ties a handler to a reporter and its messages."""
    return FieldReport.objects.filter(agency_id__in=handler_agency_ids(user))


def _scope_condition(user) -> Q | None:
    """None = everything (superuser); Q() that matches nothing for outsiders."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    condition = Q(reporter=user)
    if user.is_officer:
        agencies = handler_agency_ids(user)
        if agencies:
            condition |= Q(agency_id__in=agencies)
        units = supervisor_unit_ids(user)
        if units:
            condition |= Q(unit_id__in=units)
    return condition


def _apply_filters(qs: QuerySet[FieldReport], filters: dict) -> QuerySet[FieldReport]:
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if filters.get("category"):
        category = filters["category"]
        qs = (
            qs.filter(Q(category__code=category) | Q(category__parent__code=category))
            if isinstance(category, str)
            else qs.filter(category=category)
        )
    if filters.get("unit"):
        unit = filters["unit"]
        qs = qs.filter(unit__code=unit) if isinstance(unit, str) else qs.filter(unit=unit)
    if filters.get("agency"):
        qs = qs.filter(agency_id=getattr(filters["agency"], "pk", filters["agency"]))
    if filters.get("overdue") is not None:
        qs = qs.filter(overdue=bool(filters["overdue"]))
    if filters.get("unreviewed"):
        qs = qs.filter(reviewed=False)
    if filters.get("mine_only") is not None and filters.get("user") is not None:
        qs = qs.filter(reporter=filters["user"])
    q = (filters.get("q") or "").strip()
    if q:
        upper = q.upper()
        qs = qs.filter(Q(code__icontains=upper) | Q(title__icontains=q) | Q(address__icontains=q))
    if filters.get("since"):
        qs = qs.filter(submitted_at__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(submitted_at__lt=filters["until"])
    return qs


def report_list_for(user, **filters) -> QuerySet[FieldReport]:
    """Reports this user may see (officer: their agencies' and supervised units'; citizen: their own).

    Filters: status ("open" or a status or a list), category (code or instance), unit (code or
    instance), agency, overdue (bool), unreviewed, q (code/title/address), since, until.
    """
    condition = _scope_condition(user)
    qs = _base().select_related("assignee")
    if condition is not None:
        qs = qs.filter(condition)
    return _apply_filters(qs, filters).order_by("-submitted_at", "-id")


def report_my_list(user, **filters) -> QuerySet[FieldReport]:
    """The reports a citizen filed (also for officers who filed one themselves)."""
    if not getattr(user, "is_authenticated", False):
        return FieldReport.objects.none()
    return _apply_filters(_base().filter(reporter=user), filters).order_by("-submitted_at", "-id")


def report_get_for(user, code: str) -> FieldReport:
    code = str(code or "").strip().upper()
    qs = report_list_for(user).filter(code=code)
    report = qs.first()
    if report is None:
        raise NotFound(code="report_not_found")
    return report


def report_fold_search(text: str) -> str:
    return fold(text)


# Events whose officer handles the report (who accepted it, answered it or refused it).
_HANDLING_ACTIONS = ("accept", "answer", "refuse", "recategorize")


def report_handler(report: FieldReport, events=None):
    """The officer who handles or handled the report: its assignee, else the last officer who
    accepted, answered or refused it (a report accepted and answered without an assignment has
    no assignee); None when no officer has acted yet. `events`: the report's events with their
    actors, when the caller has them already (no query then)."""
    if report.assignee_id:
        return report.assignee
    if events is None:
        events = report.events.select_related("actor").filter(action__in=_HANDLING_ACTIONS).order_by("at", "id")
    handler = None
    for event in events:
        if event.action in _HANDLING_ACTIONS and event.actor_id and getattr(event.actor, "is_officer", False):
            handler = event.actor
    return handler
