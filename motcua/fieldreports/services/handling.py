"""Handling actions: every change to a filed report goes through `report_act`.

The recipe of `motcua.core.transitions`, as for dossiers: one atomic block; `row_lock` the report;
check the action against `MACHINE` (status-changing actions lead to another status, annotations
keep the status in the statuses listed for them) and the actor's standing against its roles; apply
(`handling_steps.do_<action>`); save(update_fields); write a ReportEvent and an audit row; move
the MapCell counts; tell the reporter and followers, and publish `fieldreport.confirmed` for the
apps above (ratings), in the same transaction. Two officers pressing a button at once: the second
waits on the lock, then sees the new status and gets `action_not_allowed` (409).

Standings: "handler" (REPORT_HANDLER of the report's agency), "supervisor" (manager/administrator
over the report's unit), "reporter" (filed it), "citizen" (anyone signed in who can see it).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import events, scope
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import Role, User
from motcua.core.transitions import StateMachine, audit_record, row_lock

from ..models import FieldReport, ReportEvent, ReportFollower, ReportStatus
from ..selectors.reports import report_get_for, report_public_qs, supervisor_unit_ids
from . import handling_steps as steps
from .handling_steps import REOPEN_DAYS, Ctx, reopen_window_open
from .mapcells import mapcell_state, mapcells_sync
from .media import FileJanitor

S = ReportStatus
HANDLER, SUPERVISOR, REPORTER, CITIZEN = "handler", "supervisor", "reporter", "citizen"
OFFICE = {HANDLER, SUPERVISOR}

CONFIRMED = events.topic_declare(
    "fieldreport.confirmed",
    "report (just closed by its reporter), actor, level, reason_codes, comment: the rating given with the"
    " confirmation (level None or empty: none given)",
)
RATED = events.topic_declare("fieldreport.rated", "report (closed), actor (its reporter), level, reason_codes, comment")

# Status-changing actions: status -> {action: target status}.
_MOVES: dict[str, dict[str, str]] = {
    S.SUBMITTED: {"accept": S.ACCEPTED, "refuse": S.REFUSED, "transfer": S.SUBMITTED, "merge": S.MERGED},
    S.ACCEPTED: {"transfer": S.SUBMITTED, "answer": S.ANSWERED, "merge": S.MERGED},
    S.ANSWERED: {"confirm": S.CLOSED, "reopen": S.ACCEPTED},
}
# Actions that leave the status alone, and the statuses they are allowed in.
_LIVE = (S.SUBMITTED, S.ACCEPTED, S.ANSWERED, S.CLOSED, S.REFUSED)
_ANNOTATIONS: dict[str, tuple[str, ...]] = {
    "assign": (S.SUBMITTED, S.ACCEPTED),
    "recategorize": (S.SUBMITTED, S.ACCEPTED),
    "link": _LIVE,
    "review": (*_LIVE, S.MERGED),
    "hide": (*_LIVE, S.MERGED),
    "unhide": (*_LIVE, S.MERGED),
    "follow": _LIVE,
    "unfollow": (*_LIVE, S.MERGED),
}

# THE transition table: status -> {action: target status}; annotations lead back to the same status.
TRANSITIONS: dict[str, dict[str, str]] = {
    status: {
        **_MOVES.get(status, {}),
        **{action: status for action, statuses in _ANNOTATIONS.items() if status in statuses},
    }
    for status in S.values
}

MACHINE = StateMachine(
    name="fieldreport",
    transitions=TRANSITIONS,
    roles={
        "accept": OFFICE,
        "refuse": OFFICE,
        "transfer": OFFICE,
        "assign": OFFICE,
        "recategorize": OFFICE,
        "answer": OFFICE,
        "merge": OFFICE,
        "link": OFFICE,
        "review": OFFICE,
        "hide": OFFICE,
        "unhide": OFFICE,
        "confirm": {REPORTER},
        "reopen": {REPORTER},
        "follow": {REPORTER, CITIZEN},
        "unfollow": {REPORTER, CITIZEN},
    },
    labels={
        "accept": gettext_lazy("Tiếp nhận xử lý"),
        "refuse": gettext_lazy("Không tiếp nhận"),
        "transfer": gettext_lazy("Chuyển cơ quan khác"),
        "assign": gettext_lazy("Phân công cán bộ"),
        "recategorize": gettext_lazy("Đổi lĩnh vực"),
        "answer": gettext_lazy("Trả lời, báo kết quả"),
        "merge": gettext_lazy("Gộp vào phản ánh khác"),
        "link": gettext_lazy("Liên kết phản ánh liên quan"),
        "review": gettext_lazy("Kiểm duyệt nội dung"),
        "hide": gettext_lazy("Ẩn khỏi công khai"),
        "unhide": gettext_lazy("Hiện lại"),
        "confirm": gettext_lazy("Xác nhận đã xử lý xong"),
        "reopen": gettext_lazy("Chưa xử lý xong, mở lại"),
        "follow": gettext_lazy("Theo dõi"),
        "unfollow": gettext_lazy("Bỏ theo dõi"),
    },
    noun=gettext_lazy("phản ánh"),
)
ACTION_LABELS = MACHINE.labels
# Events the public history shows; the rest (moderation, assignment, follows) stay internal.
PUBLIC_ACTIONS = {"accept", "refuse", "transfer", "answer", "merge", "confirm", "reopen", "recategorize"}


# --- Standing ----------------------------------------------------------------------------------


def actor_standing(report: FieldReport, actor) -> set[str]:
    if not getattr(actor, "is_authenticated", False):
        return set()
    standing = {CITIZEN}
    if report.reporter_id == actor.pk:
        standing.add(REPORTER)
    if actor.is_officer or actor.is_superuser:
        if actor.is_superuser or report.unit_id in supervisor_unit_ids(actor):
            standing.add(SUPERVISOR)
        if report.agency_id in scope.role_agency_ids(actor, roles=[Role.REPORT_HANDLER]):
            standing.add(HANDLER)
    return standing


def allowed_actions(*, report: FieldReport, actor) -> list[str]:
    standing = actor_standing(report, actor)
    if not standing:
        return []
    result = []
    for action in MACHINE.allowed(report.status, standing):
        if action == "follow" and (report.reporter_id == actor.pk or _following(report, actor)):
            continue
        if action == "unfollow" and not _following(report, actor):
            continue
        if action == "hide" and report.hidden or action == "unhide" and not report.hidden:
            continue
        if action == "reopen" and not reopen_window_open(report):
            continue
        result.append(action)
    return result


def _following(report: FieldReport, actor) -> bool:
    return ReportFollower.objects.filter(report=report, user=actor).exists()


def report_get_for_action(actor, code: str) -> FieldReport:
    """The report an actor may act on: in their scope, or public (citizens follow public ones)."""
    try:
        return report_get_for(actor, code)
    except NotFound:
        report = report_public_qs().filter(code=str(code or "").strip().upper()).first()
        if report is None:
            raise
        return report


# --- The action --------------------------------------------------------------------------------


def report_act(*, report: FieldReport, actor: User, action: str, **params) -> FieldReport:
    """Do `action` on `report` as `actor`; parameters per action (see handling_steps)."""
    if not MACHINE.knows(action):
        raise DomainError(_("Thao tác không hợp lệ."), code="action_invalid", status=400)
    janitor = FileJanitor()
    try:
        with transaction.atomic():
            report = _act(report_id=report.pk, actor=actor, action=action, params=params, janitor=janitor)
            if action == "confirm":
                # Confirm and rate together: a bad rating leaves the report answered, not half-done.
                events.publish(
                    CONFIRMED,
                    report=report,
                    actor=actor,
                    level=params.get("level"),
                    reason_codes=params.get("reason_codes") or [],
                    comment=params.get("comment") or "",
                )
    except BaseException:
        janitor.cleanup()
        raise
    return report


def _lock(report_id: int) -> FieldReport:
    return row_lock(
        FieldReport, report_id, related=("category", "unit", "agency", "reporter"), not_found="report_not_found"
    )


def _act(*, report_id: int, actor: User, action: str, params: dict, janitor: FileJanitor) -> FieldReport:
    report = _lock(report_id)
    standing = actor_standing(report, actor)
    if not standing:
        raise PermissionDenied(code="login_required")
    if not standing & (OFFICE | {REPORTER}) and not report.is_public:
        raise NotFound(code="report_not_found")  # outside scope and not public: it does not exist
    # The role is checked before the status: a citizen pressing an officer's button is refused as such.
    reason = "role" if not MACHINE.roles_for(action) & standing else MACHINE.permits(report.status, action, standing)
    if reason:
        refusal = MACHINE.refusal(
            action=action,
            reason=reason,
            status_label=report.get_status_display(),
            details={"allowed": allowed_actions(report=report, actor=actor)},
        )
        if reason == "role":
            raise PermissionDenied(refusal.message, code=refusal.code)
        raise refusal
    before = mapcell_state(report)
    from_status = report.status
    ctx = Ctx(
        report=report,
        actor=actor,
        action=action,
        params=params,
        janitor=janitor,
        now=timezone.now(),
        standing=standing,
        target=MACHINE.target(report.status, action),
    )
    handler = getattr(steps, f"do_{action}")
    outcome = handler(ctx)
    changed = sorted({*ctx.changed, "updated_at"})
    report.save(update_fields=changed)
    event = ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=report.status,
        note=ctx.note,
        data=ctx.data,
        public=action in PUBLIC_ACTIONS,
    )
    audit_record(
        actor=actor, action=f"fieldreport.{action}", obj=report, data={"from": from_status, "to": report.status}
    )
    mapcells_sync(before, report)
    for other in ctx.also_sync:
        mapcells_sync(other[0], other[1])
    if outcome:
        steps.tell(ctx, event, outcome)
    return report


# --- Rating after confirmation -------------------------------------------------------------------


def report_rate(*, report: FieldReport, actor: User, level, reason_codes=(), comment: str = ""):
    """The reporter rates the answer of a closed report: published for the ratings app to record.

    Returns the rating (the subscriber's answer); 503 `rating_unavailable` when no app records ratings.
    """
    with transaction.atomic():
        answers = events.publish(
            RATED, report=report, actor=actor, level=level, reason_codes=reason_codes, comment=comment
        )
    if not answers:
        raise DomainError(_("Chức năng đánh giá chưa sẵn sàng."), code="rating_unavailable", status=503)
    return answers[0]


def reports_auto_close(*, now: datetime.datetime | None = None, days: int = REOPEN_DAYS) -> int:
    """Close answered reports the reporter neither confirmed nor reopened within `days`."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    closed = 0
    for pk in FieldReport.objects.filter(status=S.ANSWERED, answered_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            report = _lock(pk)
            if report.status != S.ANSWERED or report.answered_at >= cutoff:
                continue
            before = mapcell_state(report)
            report.status = S.CLOSED
            report.closed_at = now
            report.save(update_fields=["status", "closed_at", "updated_at"])
            event = ReportEvent.objects.create(
                report=report,
                action="auto_close",
                from_status=S.ANSWERED,
                to_status=S.CLOSED,
                note=_("Tự động hoàn thành sau %(d)s ngày.") % {"d": days},
            )
            mapcells_sync(before, report)
            steps.tell(
                Ctx(
                    report=report,
                    actor=None,
                    action="auto_close",
                    params={},
                    janitor=FileJanitor(),
                    now=now,
                    standing=set(),
                    target=S.CLOSED,
                ),
                event,
                ("closed", {}),
            )
            closed += 1
    return closed
