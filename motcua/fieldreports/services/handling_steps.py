"""What each handling action does to a locked report (called by `handling.report_act` only).

Each `do_<action>(ctx)` validates its parameters, changes the report (recording field names in
`ctx.changed`), fills `ctx.note`/`ctx.data` for the event row, and returns the notification to
send as (event name, params), or None.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Agency, Role, User

from ..events import emit
from ..models import (
    FieldReport,
    ReportCategory,
    ReportEvent,
    ReportFollower,
    ReportLink,
    ReportMedia,
    ReportOutcome,
    ReportStatus,
)
from ..moderation import mask_personal_data
from ..selectors.reports import report_list_for, report_public_qs
from .deadlines import acceptance_due, handling_due
from .mapcells import mapcell_state
from .media import media_check, media_store, video_publish

S = ReportStatus
# The reporter may reopen an answered report, and it closes by itself, this many days after the answer.
REOPEN_DAYS = 7
TEXT_MAX = 5000
REFUSAL_REASONS = {
    "out_of_scope": gettext_lazy("Không thuộc phạm vi tiếp nhận"),
    "spam": gettext_lazy("Nội dung quảng cáo, không nghiêm túc"),
    "duplicate": gettext_lazy("Trùng với phản ánh đã có"),
}


@dataclass
class Ctx:
    """One action on one locked report: its parameters in, what it changed and records out."""

    report: FieldReport
    actor: User | None
    action: str
    params: dict
    janitor: object
    now: datetime.datetime
    standing: set
    target: str
    changed: set = field(default_factory=set)
    note: str = ""
    data: dict = field(default_factory=dict)
    # (state before, report) pairs of other reports this action changed (merge survivor).
    also_sync: list = field(default_factory=list)

    def set(self, **values) -> None:
        for name, value in values.items():
            setattr(self.report, name, value)
            self.changed.add(name)


def _text(params: dict, name: str, *, required: bool, code: str, message: str) -> str:
    value = str(params.get(name) or "").strip()
    if required and not value:
        raise DomainError(message, code=code, status=422)
    if len(value) > TEXT_MAX:
        raise DomainError(_("Nội dung dài quá %(max)s ký tự.") % {"max": TEXT_MAX}, code="text_too_long", status=422)
    return value


def reopen_window_open(report: FieldReport, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(report.answered_at and now - report.answered_at <= datetime.timedelta(days=REOPEN_DAYS))


def _other_report(ctx: Ctx, value) -> FieldReport:
    code = value.code if isinstance(value, FieldReport) else str(value or "").strip().upper()
    if not code:
        raise DomainError(_("Vui lòng chọn phản ánh."), code="target_required", status=422)
    # Officers may point at any report they can see (their agency's or supervised area's),
    # or any public one: duplicates are often filed with a neighbouring agency.
    other = report_list_for(ctx.actor).filter(code=code).first() or report_public_qs().filter(code=code).first()
    if other is None:
        raise NotFound(_("Không tìm thấy phản ánh %(code)s.") % {"code": code}, code="target_not_found")
    if other.pk == ctx.report.pk:
        raise DomainError(_("Không thể chọn chính phản ánh này."), code="target_same", status=422)
    return other


def _restart_clock(ctx: Ctx, due: datetime.datetime) -> None:
    ctx.set(due_at=due, overdue=False, escalated_at=None)


# --- Status-changing actions -------------------------------------------------------------------


def do_accept(ctx: Ctx):
    report = ctx.report
    due = handling_due(category=report.category, urgent=report.urgent, start=ctx.now)
    ctx.set(status=ctx.target, accepted_at=ctx.now)
    _restart_clock(ctx, due)
    ctx.data = {"due_at": due.isoformat()}
    return ("accepted", {"han_xu_ly": due})


def do_refuse(ctx: Ctx):
    reason = str(ctx.params.get("reason") or "")
    if reason not in REFUSAL_REASONS:
        raise DomainError(_("Vui lòng chọn lý do không tiếp nhận."), code="reason_invalid", status=422)
    text = _text(ctx.params, "text", required=False, code="", message="")
    ctx.set(status=ctx.target, refusal_reason=reason, closed_at=ctx.now, answer=text)
    ctx.note = text
    ctx.data = {"reason": reason}
    if reason == "spam":
        # Spam stays in the log for the record but leaves the public map and list.
        ctx.set(hidden=True, hidden_reason=str(REFUSAL_REASONS["spam"]))
    if reason == "duplicate" and ctx.params.get("duplicate_of"):
        other = _other_report(ctx, ctx.params["duplicate_of"])
        _link(ctx, other, kind="duplicate")
        ctx.data["duplicate_of"] = other.code
    return ("refused", {"ly_do": f"{REFUSAL_REASONS[reason]}. {text}".strip(". ") if text else REFUSAL_REASONS[reason]})


def _transfer(ctx: Ctx, agency_value, reason: str) -> tuple:
    agency = agency_value if isinstance(agency_value, Agency) else None
    if agency is None and agency_value not in (None, ""):
        lookup = {"pk": agency_value} if str(agency_value).isdecimal() else {"code": str(agency_value)}
        agency = Agency.objects.filter(**lookup).first()
    if agency is None or not agency.is_active:
        raise DomainError(_("Vui lòng chọn cơ quan nhận chuyển."), code="agency_invalid", status=422)
    if agency.pk == ctx.report.agency_id:
        raise DomainError(_("Phản ánh đang ở chính cơ quan này."), code="agency_same", status=422)
    old = ctx.report.agency
    due = acceptance_due(category=ctx.report.category, urgent=ctx.report.urgent, start=ctx.now)
    ctx.set(status=S.SUBMITTED, agency=agency, assignee=None, accepted_at=None)
    _restart_clock(ctx, due)
    ctx.data.update({"from_agency": old.code, "to_agency": agency.code, "due_at": due.isoformat()})
    ctx.note = reason
    return ("transferred", {"co_quan_moi": agency.name, "ly_do": reason})


def do_transfer(ctx: Ctx):
    reason = _text(ctx.params, "reason", required=True, code="reason_required", message=_("Vui lòng ghi lý do chuyển."))
    return _transfer(ctx, ctx.params.get("agency"), reason)


def do_answer(ctx: Ctx):
    text = _text(
        ctx.params, "text", required=True, code="answer_required", message=_("Vui lòng nhập nội dung trả lời.")
    )
    outcome = str(ctx.params.get("outcome") or "")
    if outcome not in ReportOutcome.values:
        raise DomainError(_("Vui lòng chọn kết quả xử lý."), code="outcome_invalid", status=422)
    checked = media_check(ctx.params.get("media") or ())
    if outcome == ReportOutcome.NOT_OURS and ctx.params.get("agency"):
        # Not ours, and we know whose: forward it instead of closing the citizen's door.
        result = _transfer(ctx, ctx.params["agency"], text)
        ctx.data["answer"] = text
        return result
    media_store(
        report=ctx.report, checked=checked, stage=ReportMedia.Stage.AFTER, uploaded_by=ctx.actor, janitor=ctx.janitor
    )
    ctx.set(status=ctx.target, answer=text, outcome=outcome, answered_at=ctx.now, overdue=False)
    ctx.note = text
    ctx.data = {"outcome": outcome, "media": len(checked)}
    return ("answered", {"ket_qua": ReportOutcome(outcome).label})


def do_confirm(ctx: Ctx):
    ctx.set(status=ctx.target, closed_at=ctx.now, citizen_confirmed_at=ctx.now)
    return ("closed", {})


def do_reopen(ctx: Ctx):
    if not reopen_window_open(ctx.report, ctx.now):
        raise DomainError(
            _("Chỉ mở lại được trong %(d)s ngày kể từ khi có trả lời.") % {"d": REOPEN_DAYS},
            code="reopen_window_closed",
            status=409,
        )
    reason = _text(
        ctx.params,
        "reason",
        required=True,
        code="reason_required",
        message=_("Vui lòng cho biết vì sao chưa xử lý xong."),
    )
    report = ctx.report
    due = handling_due(category=report.category, urgent=report.urgent, start=ctx.now)
    ctx.set(status=ctx.target, reopen_count=report.reopen_count + 1, outcome="")
    _restart_clock(ctx, due)
    ctx.note = reason
    ctx.data = {"count": report.reopen_count, "due_at": due.isoformat()}
    return ("reopened", {"ly_do": reason})


def do_merge(ctx: Ctx):
    report = ctx.report
    survivor = _other_report(ctx, ctx.params.get("into"))
    survivor = (
        FieldReport.objects.select_for_update(of=("self",)).select_related("category", "agency").get(pk=survivor.pk)
    )
    if survivor.category_id != report.category_id:
        raise DomainError(_("Chỉ gộp các phản ánh cùng lĩnh vực."), code="merge_category_mismatch", status=422)
    if survivor.status in (S.MERGED, S.REFUSED):
        raise DomainError(_("Không thể gộp vào phản ánh này."), code="merge_target_invalid", status=409)
    survivor_before = mapcell_state(survivor)
    moved = []
    for follower in ReportFollower.objects.filter(report=report).select_related("user__person"):
        _row, created = ReportFollower.objects.get_or_create(report=survivor, user=follower.user)
        if created:
            moved.append(follower.user)
    # The reporter of the duplicate follows the survivor but stays the duplicate's reporter.
    if report.reporter_id:
        _row, created = ReportFollower.objects.get_or_create(report=survivor, user=report.reporter)
        if created:
            moved.append(report.reporter)
    recipients = {u.pk: u for u in [*(f.user for f in report.followers.select_related("user__person")), *moved]}
    ReportFollower.objects.filter(report=report).delete()
    survivor.follower_count = ReportFollower.objects.filter(report=survivor).count()
    survivor.save(update_fields=["follower_count", "updated_at"])
    ctx.also_sync.append((survivor_before, survivor))
    _link(ctx, survivor, kind="duplicate")
    ctx.set(status=ctx.target, merged_into=survivor, closed_at=ctx.now, follower_count=0)
    ctx.data = {"into": survivor.code, "moved_followers": len(moved)}
    ctx.note = _text(ctx.params, "note", required=False, code="", message="")
    ReportEvent.objects.create(
        report=survivor,
        actor=ctx.actor,
        action="merged_in",
        from_status=survivor.status,
        to_status=survivor.status,
        data={"from": report.code},
    )
    ctx.data["recipients"] = sorted(recipients)
    return ("merged", {"ma_gop_vao": survivor.code})


# --- Side actions ------------------------------------------------------------------------------


def _link(ctx: Ctx, other: FieldReport, *, kind: str) -> None:
    a, b = ctx.report, other
    if (
        ReportLink.objects.filter(from_report=a, to_report=b).exists()
        or ReportLink.objects.filter(from_report=b, to_report=a).exists()
    ):
        return
    ReportLink.objects.create(from_report=a, to_report=b, kind=kind, created_by=ctx.actor)


def do_link(ctx: Ctx):
    other = _other_report(ctx, ctx.params.get("other"))
    kind = "duplicate" if ctx.params.get("kind") == "duplicate" else "related"
    _link(ctx, other, kind=kind)
    ctx.data = {"other": other.code, "kind": kind}
    return None


def do_assign(ctx: Ctx):
    value = ctx.params.get("assignee")
    user = (
        value if isinstance(value, User) else User.objects.filter(pk=value).first() if str(value).isdecimal() else None
    )
    if user is None or ctx.report.agency_id not in scope.role_agency_ids(user, roles=[Role.REPORT_HANDLER]):
        raise DomainError(_("Cán bộ được phân công phải thuộc cơ quan xử lý."), code="assignee_invalid", status=422)
    ctx.set(assignee=user)
    ctx.data = {"assignee": user.pk}
    return None


def do_recategorize(ctx: Ctx):
    """The citizen picked the wrong category: the agency stays (transfer is a separate step),
    the deadline stays, the map moves the report to the new category's counts."""
    value = ctx.params.get("category")
    category = (
        value if isinstance(value, ReportCategory) else ReportCategory.objects.filter(code=str(value or "")).first()
    )
    if category is None or not category.is_active or category.children.filter(is_active=True).exists():
        raise DomainError(_("Lĩnh vực phản ánh không hợp lệ."), code="category_invalid", status=422)
    if category.pk == ctx.report.category_id:
        return None
    ctx.data = {"from": ctx.report.category.code, "to": category.code}
    ctx.set(category=category)
    return None


def do_review(ctx: Ctx):
    values = {"reviewed": True}
    if ctx.params.get("public_description"):
        values["public_description"] = mask_personal_data(str(ctx.params["public_description"]).strip())
    elif ctx.params.get("mask"):
        values["public_description"] = mask_personal_data(ctx.report.description)
    ctx.set(**values)
    ctx.data = {"masked": "public_description" in values}
    wanted = ctx.params.get("publish_videos") or []
    # Comes straight from API JSON: anything but a list of ids is a 422, not a TypeError/ValueError.
    if not isinstance(wanted, list | tuple) or not all(str(item).isdecimal() for item in wanted):
        raise DomainError(_("publish_videos phải là danh sách mã tệp video."), code="media_invalid", status=422)
    for media in ReportMedia.objects.filter(report=ctx.report, pk__in=[int(item) for item in wanted], kind="video"):
        video_publish(media=media, janitor=ctx.janitor)
    return None


def do_hide(ctx: Ctx):
    reason = _text(ctx.params, "reason", required=True, code="reason_required", message=_("Vui lòng ghi lý do ẩn."))
    ctx.set(hidden=True, hidden_reason=reason[:255])
    ctx.note = reason
    return None


def do_unhide(ctx: Ctx):
    reason = _text(ctx.params, "reason", required=False, code="", message="")
    ctx.set(hidden=False, hidden_reason="")
    ctx.note = reason
    return None


def do_follow(ctx: Ctx):
    _row, created = ReportFollower.objects.get_or_create(report=ctx.report, user=ctx.actor)
    if created:
        FieldReport.objects.filter(pk=ctx.report.pk).update(follower_count=F("follower_count") + 1)
        ctx.report.follower_count += 1
    return None


def do_unfollow(ctx: Ctx):
    deleted, _detail = ReportFollower.objects.filter(report=ctx.report, user=ctx.actor).delete()
    if deleted:
        FieldReport.objects.filter(pk=ctx.report.pk).update(follower_count=F("follower_count") - 1)
        ctx.report.follower_count -= 1
    return None


# --- Notices ----------------------------------------------------------------------------------


def tell(ctx: Ctx, event, outcome) -> None:
    name, params = outcome
    people = None
    if name == "merged":
        users = User.objects.filter(pk__in=ctx.data.get("recipients", [])).select_related("person")
        people = [u.person for u in users if u.person_id]
    emit(ctx.report, name, event=event, params=params, actor=ctx.actor, people=people)
