"""Reads behind the Open311 endpoint: services are active leaf categories, requests are public reports."""

import datetime
import uuid

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.fieldreports.models import OPEN_STATUSES, FieldReport, ReportCategory, ReportMedia
from motcua.fieldreports.selectors.reports import category_leaves, report_public_qs


def service_list() -> QuerySet[ReportCategory]:
    """What a client may POST to: the categories a report may be filed under (active leaves)."""
    return category_leaves().select_related("parent")


def service_get(code: str) -> ReportCategory:
    category = service_list().filter(code=code).first()
    if category is None:
        raise NotFound(_("Không có loại phản ánh (service_code) «%(code)s».") % {"code": code})
    return category


def _public_reports() -> QuerySet[FieldReport]:
    return report_public_qs()


def _with_related(qs: QuerySet[FieldReport]) -> QuerySet[FieldReport]:
    public_media = ReportMedia.objects.filter(stage=ReportMedia.Stage.REPORT).exclude(public_file="").order_by("id")
    return qs.select_related("category", "agency").prefetch_related(
        Prefetch("media", queryset=public_media, to_attr="open311_media")
    )


def _request_qs(
    *,
    codes: list[str] | None,
    service_codes: list[str] | None,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    statuses: list[str] | None,
) -> QuerySet[FieldReport]:
    qs = _public_reports()
    if codes:
        return qs.filter(code__in=codes)
    if service_codes:
        qs = qs.filter(category__code__in=service_codes)
    if start is not None:
        qs = qs.filter(submitted_at__gte=start)
    if end is not None:
        qs = qs.filter(submitted_at__lte=end)
    if statuses and set(statuses) != {"open", "closed"}:
        qs = qs.filter(status__in=OPEN_STATUSES) if "open" in statuses else qs.exclude(status__in=OPEN_STATUSES)
    return qs


def request_list(
    *,
    codes: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    statuses: list[str] | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[FieldReport]:
    """Public reports, newest first. `codes` (service_request_id) overrides every other filter."""
    qs = _request_qs(codes=codes, service_codes=service_codes, start=start, end=end, statuses=statuses)
    qs = _with_related(qs).order_by("-submitted_at", "-id")
    return list(qs[offset : offset + limit])


def request_get(code: str) -> FieldReport:
    report = _with_related(_public_reports().filter(code=code)).first()
    if report is None:
        raise NotFound(_("Không có phản ánh công khai mã «%(code)s».") % {"code": code})
    return report


def token_get(token: str) -> FieldReport:
    """Whoever holds the token submitted the request, so publication does not matter here."""
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    report = FieldReport.objects.filter(token=value).only("code", "token").first() if value else None
    if report is None:
        raise NotFound(_("Không tìm thấy token «%(token)s».") % {"token": token})
    return report
