"""Telling the reporter and followers about a report's steps (through notifications.notify).

Only people with a Person record (citizens signed in through VNeID or registered) can be told;
anonymous Open311 reporters follow their request through the Open311 API instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.notifications.services import notify

from .models import FieldReport, ReportEvent

_TITLES = {
    "submitted": gettext_lazy("Đã nhận phản ánh %(code)s"),
    "accepted": gettext_lazy("Phản ánh %(code)s đã được tiếp nhận"),
    "refused": gettext_lazy("Phản ánh %(code)s không được tiếp nhận"),
    "transferred": gettext_lazy("Phản ánh %(code)s được chuyển cơ quan khác"),
    "answered": gettext_lazy("Phản ánh %(code)s đã có trả lời"),
    "closed": gettext_lazy("Phản ánh %(code)s đã hoàn thành"),
    "reopened": gettext_lazy("Phản ánh %(code)s được mở lại"),
    "merged": gettext_lazy("Phản ánh %(code)s được gộp"),
    "escalated": gettext_lazy("Phản ánh %(code)s quá hạn xử lý"),
}


def report_link(report: FieldReport) -> str:
    return f"/phan-anh/{report.code}/"


def _recipients(report: FieldReport, *, exclude_user_id: int | None = None) -> list:
    users = {f.user for f in report.followers.select_related("user__person")}
    if report.reporter_id:
        users.add(report.reporter)
    people = {}
    for user in users:
        if user is None or user.pk == exclude_user_id:
            continue
        person = getattr(user, "person", None)
        if person is not None:
            people[person.pk] = person
    return list(people.values())


def emit(
    report: FieldReport, name: str, *, event: ReportEvent, body: str = "", params: dict | None = None,
    actor=None, people=None,
) -> int:
    """Notify the reporter and followers (or `people`) of step `name`; returns how many were told.

    The dedupe key names the event row, so a retried task never repeats a notice, and two
    different steps of the same kind (two reopenings) each get their own.
    """
    recipients = people if people is not None else _recipients(report, exclude_user_id=getattr(actor, "pk", None))
    title = str(_TITLES.get(name, _("Phản ánh %(code)s có cập nhật"))) % {"code": report.code}
    values = {
        "ma_phan_anh": report.code,
        "linh_vuc": report.category.name,
        "co_quan": report.agency.name,
        **(params or {}),
    }
    for person in recipients:
        notify(
            person=person,
            event=f"fieldreport.{name}",
            title=title,
            body=body or title,
            link=report_link(report),
            subject_type="fieldreport",
            subject_id=str(report.pk),
            dedupe_key=f"fieldreport:{event.pk}:{person.pk}",
            params=values,
            urgent=bool(report.urgent and name in ("escalated",)),
        )
    return len(recipients)

