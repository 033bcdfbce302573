"""Our models in GeoReport v2 field names. Reporter contact and client identifiers never appear here."""

from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.fieldreports.models import OPEN_STATUSES, FieldReport, ReportCategory, ReportStatus
from motcua.fieldreports.selectors.reports import report_public_text
from motcua.fieldreports.services.handling_steps import REFUSAL_REASONS

from .formats import w3c

# Open311 datatypes; anything else in a category's configuration is offered as free text.
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def _days(value: Decimal) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def service_notice(category: ReportCategory, *, urgent: bool = False) -> str:
    if urgent and category.allows_urgent:
        return _("Phản ánh khẩn: trả lời trong %(hours)s giờ.") % {"hours": category.urgent_hours}
    return _("Thời hạn trả lời: %(days)s ngày làm việc kể từ khi tiếp nhận.") % {"days": _days(category.deadline_days)}


def service_out(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.parent.name if category.parent_id else "",
    }


def attribute_out(spec: dict, order: int) -> dict:
    datatype = spec.get("datatype") if spec.get("datatype") in DATATYPES else "string"
    out = {
        "variable": spec.get("variable", True),
        "code": spec.get("code", ""),
        "datatype": datatype,
        "required": bool(spec.get("required", False)),
        "datatype_description": spec.get("datatype_description") or None,
        "order": spec.get("order", order),
        "description": spec.get("description") or spec.get("label") or spec.get("code", ""),
    }
    if datatype in ("singlevaluelist", "multivaluelist"):
        out["values"] = [{"key": v.get("key"), "name": v.get("name")} for v in spec.get("values") or ()]
    return out


def service_definition_out(category: ReportCategory) -> dict:
    specs = [spec for spec in category.attributes or () if isinstance(spec, dict) and spec.get("code")]
    return {
        "service_code": category.code,
        "attributes": [attribute_out(spec, order) for order, spec in enumerate(specs, start=1)],
    }


def status_out(report: FieldReport) -> str:
    return "open" if report.status in OPEN_STATUSES else "closed"


def status_notes(report: FieldReport) -> str:
    if report.status == ReportStatus.REFUSED:
        reason = str(REFUSAL_REASONS.get(report.refusal_reason, report.get_status_display()))
        return f"{reason}. {report.answer}" if report.answer else f"{reason}."
    if report.status == ReportStatus.MERGED and report.merged_into_id:
        return f"{report.get_status_display()}."
    if report.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED) and report.answer:
        return report.answer
    return str(report.get_status_display())


def media_url(report: FieldReport, request) -> str | None:
    media = getattr(report, "open311_media", None) or []
    if media:
        return request.build_absolute_uri(media[0].public_file.url)
    # A link an Open311 client sent with its request; kept as given, never fetched.
    linked = (report.attributes or {}).get("open311", {})
    return linked.get("media_url") if isinstance(linked, dict) and linked.get("media_url") else None


def request_out(report: FieldReport, request) -> dict:
    return {
        "service_request_id": report.code,
        "status": status_out(report),
        "status_notes": status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report_public_text(report),
        "agency_responsible": report.agency.name,
        "service_notice": service_notice(report.category, urgent=report.urgent)
        if report.status in OPEN_STATUSES
        else None,
        "requested_datetime": w3c(report.submitted_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.due_at),
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url(report, request),
    }
