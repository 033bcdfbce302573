"""The values a message template may use, and when a message may go out (quiet hours)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from motcua.core.models import Person
from motcua.core.text import format_vnd

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Names the dossier events use in their context, mapped to the template placeholders.
_CONTEXT_NAMES = {
    "reason": "ly_do",
    "items": "danh_sach",
    "note": "ghi_chu",
    "due_at": "ngay_hen",
    "new_due_at": "ngay_hen_moi",
    "amount": "so_tien",
    "agency_name": "co_quan_moi",
    "place": "noi_nhan",
}


def param_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, TZ).strftime("%H:%M ngày %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return "" if value is None else str(value)


def _dossier_params(subject_id: str) -> dict:
    # Looked up by name so that notifications never imports the dossiers app (it imports us).
    Dossier = apps.get_model("dossiers", "Dossier")
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_agency", "office").filter(pk=subject_id).first()
        if str(subject_id).isdigit()
        else None
    )
    if dossier is None:
        return {}
    values = {
        "ma_ho_so": dossier.code or "",
        "thu_tuc": dossier.procedure.name,
        "co_quan": dossier.receiving_agency.name,
        "ngay_hen": param_text(dossier.due_at) if dossier.due_at else "",
        "ngay_hen_moi": param_text(dossier.apology_due_at) if dossier.apology_due_at else "",
    }
    return {k: v for k, v in values.items() if v}


def resolve_params(
    *,
    person: Person | None,
    title: str = "",
    body: str = "",
    link: str = "",
    subject_type: str = "",
    subject_id: str = "",
    params: dict | None = None,
) -> dict:
    """Every value a template may use: the person, the caller's texts, the subject, then `params`."""
    values = {"tieu_de": title, "noi_dung": body}
    if person is not None:
        values["ho_ten"] = person.full_name
    if link:
        values["duong_dan"] = link if "://" in link else settings.PUBLIC_BASE_URL + link
    if subject_type == "dossier" and subject_id:
        values.update(_dossier_params(subject_id))
    for key, value in (params or {}).items():
        # Money is written one way everywhere ("8.000 đ"); templates carry no unit after it.
        money = key == "amount" and isinstance(value, int) and not isinstance(value, bool) and value >= 0
        values[_CONTEXT_NAMES.get(key, key)] = format_vnd(value) if money else param_text(value)
    return {k: v for k, v in values.items() if v not in ("", None)}


def quiet_hours_release(now: datetime.datetime) -> datetime.datetime | None:
    """The next morning's release time if `now` falls in quiet hours (21:00–07:00 local), else None."""
    local = timezone.localtime(now, TZ)
    start, end = settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR
    if end <= local.hour < start:
        return None
    day = local.date() + datetime.timedelta(days=1) if local.hour >= start else local.date()
    return datetime.datetime.combine(day, datetime.time(end), TZ)
