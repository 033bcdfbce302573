"""Helpers shared by the field-report pages: access decorators, periods, choices, map settings."""

import datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.core.models import COMMUNE_KINDS, Era, Unit
from motcua.fieldreports.models import ReportCategory, ServiceArea


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def period(request, *, default_days: int | None = None) -> tuple[datetime.date | None, datetime.date | None]:
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    if default_days is not None and date_from is None and date_to is None:
        date_to = timezone.localdate()
        date_from = date_to - datetime.timedelta(days=default_days)
    if date_from and date_to and date_to < date_from:
        date_from, date_to = date_to, date_from
    return date_from, date_to


def communes():
    return Unit.objects.filter(era=Era.CURRENT, kind__in=COMMUNE_KINDS).order_by("name")


def categories_flat() -> list[ReportCategory]:
    """Active categories, parents first then their children, for <select>s."""
    rows = list(ReportCategory.objects.filter(is_active=True).order_by("order", "name"))
    children: dict[int | None, list[ReportCategory]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[ReportCategory] = []
    for root in children.get(None, []):
        root.depth = 0
        ordered.append(root)
        for child in children.get(root.pk, []):
            child.depth = 1
            ordered.append(child)
    return ordered


def category_groups() -> list[tuple[ReportCategory, list[ReportCategory]]]:
    """(group, leaves) for the big-button picker; a root without children is its own leaf."""
    rows = categories_flat()
    groups: list[tuple[ReportCategory, list[ReportCategory]]] = []
    for row in rows:
        if row.depth == 0:
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    return [(root, leaves or [root]) for root, leaves in groups]


def map_settings() -> dict:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def map_center() -> dict:
    area = ServiceArea.objects.filter(is_active=True).order_by("pk").first()
    if area is None:
        return {"lat": 9.18, "lon": 105.15, "zoom": 9}
    return {"lat": area.center_lat, "lon": area.center_lon, "zoom": area.zoom}


def get_or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404 from None
