"""Submitting a field report: `report_submit`, the contract the pages, API and Open311 call.

Everything is checked before anything is written (category, text, place inside the province's
service area, commune, contact, every file by content); then one transaction writes the report
with its code, routing, deadline, moderation flags, media, follower, event row, map count and
the notice to the reporter. Files written during a transaction that rolls back are deleted, so a
failure leaves neither a row nor a file behind.
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import as_local
from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import COMMUNE_KINDS, Era, Unit, User
from motcua.core.throttle import counter_hit, counter_release

from ..events import emit
from ..geo import distance_m
from ..models import (
    FieldReport,
    Open311Client,
    ReportCategory,
    ReportChannel,
    ReportCodeSequence,
    ReportEvent,
    ReportFollower,
    ReportMedia,
    ServiceArea,
)
from ..moderation import moderation_flags
from .deadlines import acceptance_due
from .mapcells import mapcells_sync
from .media import FileJanitor, media_check, media_store
from .routing import route_agency

DESCRIPTION_MAX = 5000
TITLE_MAX = FieldReport._meta.get_field("title").max_length
ADDRESS_MAX = FieldReport._meta.get_field("address").max_length
# How far a previous report may be for its commune to be taken as this point's (unit inference).
INFER_UNIT_RADIUS_M = 3000


# --- Geometry ----------------------------------------------------------------------------------


def _in_ring(lon: float, lat: float, ring) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def point_in_geometry(lat: float, lon: float, geometry: dict) -> bool:
    """Point in a GeoJSON Polygon/MultiPolygon ([lon, lat] order; holes respected)."""
    kind = (geometry or {}).get("type")
    coords = (geometry or {}).get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        if polygon and _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def location_check(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise DomainError(_("Vị trí không hợp lệ."), code="location_invalid") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError(_("Vị trí không hợp lệ."), code="location_invalid")
    areas = list(ServiceArea.objects.filter(is_active=True).values_list("geometry", flat=True))
    # With no area configured (a fresh install) every valid point is accepted.
    if areas and not any(point_in_geometry(lat, lon, g) for g in areas):
        raise DomainError(
            _("Vị trí phản ánh nằm ngoài địa bàn tỉnh; vui lòng chọn lại điểm trên bản đồ."),
            code="location_outside_area",
        )
    return lat, lon


def infer_unit(lat: float, lon: float) -> Unit | None:
    """The commune of the nearest earlier report within INFER_UNIT_RADIUS_M (units carry no shapes)."""
    span = INFER_UNIT_RADIUS_M / 111_000
    nearby = FieldReport.objects.filter(
        lat__range=(lat - span, lat + span), lon__range=(lon - span * 1.02, lon + span * 1.02)
    ).values_list("unit_id", "lat", "lon")[:500]
    best = min(nearby, key=lambda row: distance_m(lat, lon, row[1], row[2]), default=None)
    if best is None or distance_m(lat, lon, best[1], best[2]) > INFER_UNIT_RADIUS_M:
        return None
    return Unit.objects.filter(pk=best[0]).first()


# --- Codes -------------------------------------------------------------------------------------


def next_report_code(moment: datetime.datetime | None = None) -> str:
    """`PA-YYMMDD-NNNN` from the day's sequence row, locked so two submissions never share one."""
    day = as_local(moment or timezone.now()).date()
    ReportCodeSequence.objects.get_or_create(day=day)
    sequence = ReportCodeSequence.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"PA-{day:%y%m%d}-{sequence.last:04d}"


# --- Checks ------------------------------------------------------------------------------------


def _check_category(category) -> ReportCategory:
    if category is None or category == "":
        raise DomainError(_("Vui lòng chọn lĩnh vực phản ánh."), code="category_required")
    if not isinstance(category, ReportCategory):
        category = ReportCategory.objects.filter(code=str(category)).first()
    if category is None or not category.is_active or category.children.filter(is_active=True).exists():
        raise DomainError(_("Lĩnh vực phản ánh không hợp lệ."), code="category_invalid")
    return category


def _check_unit(unit, lat: float, lon: float) -> Unit:
    if unit is not None and not isinstance(unit, Unit):
        unit = Unit.objects.filter(era=Era.CURRENT, code=str(unit)).first()
        if unit is None:
            raise DomainError(_("Xã, phường không hợp lệ."), code="unit_invalid")
    if unit is None:
        unit = infer_unit(lat, lon)
    if unit is None:
        raise DomainError(_("Vui lòng chọn xã, phường nơi xảy ra sự việc."), code="unit_required")
    if unit.era != Era.CURRENT or unit.kind not in COMMUNE_KINDS:
        raise DomainError(_("Xã, phường không hợp lệ."), code="unit_invalid")
    return unit


def _check_contact(*, anonymous: bool, name: str, phone: str, email: str) -> tuple[str, str, str]:
    if anonymous:
        return "", "", ""
    name = (name or "").strip()[:120]
    phone = (phone or "").strip()
    email = (email or "").strip()
    if phone:
        normal = normalize_phone_or_none(phone)
        if normal is None:
            raise DomainError(_("Số điện thoại không hợp lệ."), code="phone_invalid")
        phone = normal
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Địa chỉ thư điện tử không hợp lệ."), code="email_invalid") from None
    return name, phone, email


def _check_attributes(category: ReportCategory, attributes: dict | None) -> dict:
    attributes = dict(attributes or {})
    clean = {}
    for spec in category.attributes or []:
        code = spec.get("code")
        value = attributes.get(code)
        if value in (None, "", []):
            if spec.get("required"):
                raise DomainError(
                    _("Thiếu thông tin bắt buộc: %(label)s.") % {"label": spec.get("label", code)},
                    code="attribute_required",
                    details={"attribute": code},
                )
            continue
        allowed = {str(v.get("key")) for v in spec.get("values") or []}
        values = value if isinstance(value, list) else [value]
        if allowed and any(str(v) not in allowed for v in values):
            raise DomainError(
                _("Giá trị không hợp lệ cho: %(label)s.") % {"label": spec.get("label", code)},
                code="attribute_invalid",
                details={"attribute": code},
            )
        clean[code] = value if isinstance(value, list) else str(value)[:500]
    return clean


# --- Rate limits for reports sent without an account -----------------------------------------------

HOUR = 3600


def _too_many(minutes: int, *, phone: bool) -> DomainError:
    message = (
        _("Số điện thoại này đã gửi quá nhiều phản ánh trong một giờ. Vui lòng thử lại sau %(minutes)d phút.")
        if phone
        else _(
            "Đã có quá nhiều phản ánh gửi từ nơi này trong một giờ. Vui lòng thử lại sau %(minutes)d phút, "
            "hoặc đăng nhập để gửi tiếp."
        )
    )
    return DomainError(
        message % {"minutes": minutes}, code="too_many_reports", status=429, details={"retry_after": minutes * 60}
    )


def report_rate_take(*, open311_client, client_address: str | None, phone: str) -> list[str]:
    """Count one report sent without an account: per Open311 client or per client address, and per
    phone. Returns the keys held (give them back with `report_rate_release` if the report fails);
    raises DomainError `too_many_reports` (429). Limits: settings.FIELDREPORT_ANON_PER_*_HOUR."""
    wanted = []
    if open311_client is not None:
        wanted.append(
            (f"fieldreports:open311:{open311_client.pk}", settings.FIELDREPORT_OPEN311_PER_CLIENT_HOUR, False)
        )
    elif client_address:
        wanted.append((f"fieldreports:address:{client_address}", settings.FIELDREPORT_ANON_PER_ADDRESS_HOUR, False))
    if phone:
        wanted.append((f"fieldreports:phone:{phone}", settings.FIELDREPORT_ANON_PER_PHONE_HOUR, True))
    held: list[str] = []
    for key, limit, is_phone in wanted:
        hit = counter_hit(key, limit=limit, window_seconds=HOUR)
        held.append(key)
        if not hit.allowed:
            report_rate_release(held)
            raise _too_many(hit.retry_minutes, phone=is_phone)
    return held


def report_rate_release(keys: list[str]) -> None:
    for key in keys:
        counter_release(key)


# --- The service -------------------------------------------------------------------------------


def _existing(reporter: User | None, open311_client, key: str | None) -> FieldReport | None:
    if not key:
        return None
    if reporter is not None:
        return FieldReport.objects.filter(reporter=reporter, idempotency_key=key).first()
    if open311_client is not None:
        return FieldReport.objects.filter(
            reporter__isnull=True, open311_client=open311_client, idempotency_key=key
        ).first()
    return None


def report_submit(
    *,
    category: ReportCategory,
    description: str,
    lat: float,
    lon: float,
    unit: Unit | None = None,
    address: str = "",
    title: str = "",
    urgent: bool = False,
    anonymous: bool = False,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    media=(),
    attributes: dict | None = None,
    channel: str = "web",
    open311_client: Open311Client | None = None,
    idempotency_key: str | None = None,
    client_address: str | None = None,
) -> FieldReport:
    """File a report; the same (reporter, idempotency_key) returns the first report again.

    Without a signed-in reporter the report counts toward the hourly limits of its client address
    (or Open311 client) and contact phone (`report_rate_take`); over them: DomainError
    `too_many_reports` (429). A report refused for another reason gives its count back."""
    if reporter is not None and not getattr(reporter, "is_authenticated", False):
        reporter = None
    key = (idempotency_key or "").strip()[:64] or None
    existing = _existing(reporter, open311_client, key)
    if existing is not None:
        return existing

    category = _check_category(category)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Vui lòng mô tả sự việc cần phản ánh."), code="description_required")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("Nội dung dài quá %(max)s ký tự.") % {"max": DESCRIPTION_MAX}, code="description_too_long")
    lat, lon = location_check(lat, lon)
    unit = _check_unit(unit, lat, lon)
    name, phone, email = _check_contact(
        anonymous=anonymous, name=reporter_name, phone=reporter_phone, email=reporter_email
    )
    if reporter is not None and not anonymous and not name:
        person = getattr(reporter, "person", None)
        name = (person.full_name if person else reporter.get_full_name())[:120]
    clean_attributes = _check_attributes(category, attributes)
    if channel not in ReportChannel.values:
        channel = ReportChannel.WEB
    held = (
        report_rate_take(open311_client=open311_client, client_address=client_address, phone=phone)
        if reporter is None
        else []
    )
    try:
        checked = media_check(media)
    except BaseException:
        report_rate_release(held)  # nothing was filed: the attempt does not count
        raise
    title = (title or "").strip()[:TITLE_MAX] or description.splitlines()[0][:TITLE_MAX]
    address = (address or "").strip()[:ADDRESS_MAX]
    flags = moderation_flags(title, description, address)

    janitor = FileJanitor()
    try:
        with transaction.atomic():
            report = _create(
                category=category,
                description=description,
                title=title,
                lat=lat,
                lon=lon,
                unit=unit,
                address=address,
                urgent=urgent,
                anonymous=anonymous,
                reporter=reporter,
                name=name,
                phone=phone,
                email=email,
                attributes=clean_attributes,
                channel=channel,
                open311_client=open311_client,
                key=key,
                flags=flags,
                checked=checked,
                janitor=janitor,
            )
    except IntegrityError:
        janitor.cleanup()
        report_rate_release(held)  # this attempt filed nothing; the winner's own attempt counted
        # Two submissions with the same idempotency key raced: return the winner's report.
        again = _existing(reporter, open311_client, key)
        if again is None:
            raise
        return again
    except BaseException:
        janitor.cleanup()
        report_rate_release(held)
        raise
    return report


def _create(
    *,
    category,
    description,
    title,
    lat,
    lon,
    unit,
    address,
    urgent,
    anonymous,
    reporter,
    name,
    phone,
    email,
    attributes,
    channel,
    open311_client,
    key,
    flags,
    checked,
    janitor,
) -> FieldReport:
    now = timezone.now()
    agency = route_agency(category=category, unit=unit)
    urgent = bool(urgent and category.allows_urgent)
    report = FieldReport.objects.create(
        code=next_report_code(now),
        category=category,
        title=title,
        description=description,
        attributes=attributes,
        lat=lat,
        lon=lon,
        unit=unit,
        address=address,
        urgent=urgent,
        channel=channel,
        open311_client=open311_client,
        reporter=reporter,
        anonymous=anonymous,
        reporter_name=name,
        reporter_phone=phone,
        reporter_email=email,
        idempotency_key=key,
        agency=agency,
        submitted_at=now,
        due_at=acceptance_due(category=category, urgent=urgent, start=now),
        flags=flags,
        # Clean reports go on the map at once; flagged ones wait for an officer.
        reviewed=not flags,
    )
    media_store(report=report, checked=checked, stage=ReportMedia.Stage.REPORT, uploaded_by=reporter, janitor=janitor)
    if reporter is not None:
        ReportFollower.objects.create(report=report, user=reporter)
        report.follower_count = 1
        report.save(update_fields=["follower_count"])
    event = ReportEvent.objects.create(
        report=report,
        actor=reporter,
        action="submit",
        to_status=report.status,
        data={"channel": channel, "agency": agency.code, "media": len(checked), "flags": flags},
    )
    if flags:
        ReportEvent.objects.create(report=report, action="flag", public=False, data=flags)
    mapcells_sync(None, report)
    emit(report, "submitted", event=event, params={"han_xu_ly": report.due_at})
    return report
