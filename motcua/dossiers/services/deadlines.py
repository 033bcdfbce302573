"""Deadlines: due dates, the paused clock, the periodic deadline job and apology letters.

Rules (Decree 118/2025, the house's reading):
- due_at = add_working_days(clock_started_at, procedure time limit); paper intake (counter,
  post) received after the cut-off counts from the next working day.
- A supplement request pauses the clock; when the applicant supplies everything the time limit
  restarts in full from that moment.
- A payment request pauses the clock; paying resumes it, and due_at (and every open step's due
  date) moves later by the working time spent waiting.
- A dossier bound to be late gets an apology letter with ONE new date, drafted before the
  deadline for the responsible officer and sent to the citizen once.

`deadlines_refresh` is the periodic job (cron every 15 minutes: `manage.py dossier_deadlines`,
or the `dossier_deadlines_refresh` task). It is safe to run twice and concurrently with actions:
the state update is a single UPDATE per batch, and drafting locks the dossier row and relies
on the one-apology-per-dossier constraint.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import add_working_days, working_days_between
from motcua.core.errors import DomainError
from motcua.core.models import User

from ..models import (
    ApologyLetter,
    Channel,
    DeadlineState,
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierStep,
    StepKind,
)
from .records import dossier_record
from .workflow_context import actor_roles

# Statuses in which the clock runs and a deadline can be missed.
CLOCK_RUNNING = (DossierStatus.RECEIVED, DossierStatus.PROCESSING)
# How close to the deadline a dossier counts as "due soon".
DUE_SOON_DAYS = 1
_OPEN_STEP_STATES = (DossierStep.State.PENDING, DossierStep.State.ACTIVE, DossierStep.State.RETURNED)


def is_paper(dossier: Dossier) -> bool:
    """Counter and post dossiers follow the paper cut-off rule; online ones do not."""
    return dossier.channel in (Channel.COUNTER, Channel.POST)


def time_limit(dossier: Dossier) -> Decimal:
    # The snapshot keeps the limit the dossier was received under, even if the catalog changes.
    snap = dossier.procedure_snapshot or {}
    raw = snap.get("time_limit_days")
    return Decimal(str(raw)) if raw not in (None, "") else Decimal(dossier.procedure.time_limit_days)


def deadline_state_for(due_at: datetime.datetime | None, now: datetime.datetime) -> str:
    if due_at is None:
        return DeadlineState.ON_TIME
    if due_at < now:
        return DeadlineState.OVERDUE
    if due_at <= add_working_days(now, DUE_SOON_DAYS):
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def schedule_steps(steps: Iterable[DossierStep], start: datetime.datetime, *, paper: bool = False) -> list[DossierStep]:
    """Give each not-yet-done step a due date: groups (same order) run one after another from
    `start`; parallel steps share their group's time. Returns the steps changed (not saved)."""
    open_steps = sorted((s for s in steps if s.state in _OPEN_STEP_STATES), key=lambda s: (s.order, s.pk or 0))
    changed = []
    elapsed = Decimal(0)
    orders = sorted({s.order for s in open_steps})
    for order in orders:
        group = [s for s in open_steps if s.order == order]
        elapsed += max(Decimal(s.duration_days) for s in group)
        due = add_working_days(start, elapsed, paper=paper)
        for step in group:
            if step.due_at != due:
                step.due_at = due
                changed.append(step)
    return changed


def clock_start(dossier: Dossier, *, at: datetime.datetime, paper: bool | None = None) -> list[str]:
    """Start (or restart, after a supplement) the time limit from `at`; returns fields changed."""
    paper = is_paper(dossier) if paper is None else paper
    dossier.clock_started_at = at
    dossier.paused_at = None
    dossier.due_at = add_working_days(at, time_limit(dossier), paper=paper)
    dossier.deadline_state = deadline_state_for(dossier.due_at, at)
    return ["clock_started_at", "paused_at", "due_at", "deadline_state"]


def clock_pause(dossier: Dossier, *, at: datetime.datetime) -> list[str]:
    if dossier.paused_at is None:
        dossier.paused_at = at
    return ["paused_at"]


def clock_resume(dossier: Dossier, *, at: datetime.datetime) -> tuple[list[str], Decimal]:
    """Resume after a payment request: push due_at and open steps by the working time paused."""
    paused = Decimal(0)
    if dossier.paused_at is not None and dossier.due_at is not None:
        paused = max(Decimal(0), working_days_between(dossier.paused_at, at))
        if paused > 0:
            dossier.due_at = add_working_days(dossier.due_at, paused)
            steps = [s for s in dossier.steps.filter(state__in=_OPEN_STEP_STATES, due_at__isnull=False)]
            for step in steps:
                step.due_at = add_working_days(step.due_at, paused)
            DossierStep.objects.bulk_update(steps, ["due_at"])
    dossier.paused_at = None
    dossier.deadline_state = deadline_state_for(dossier.due_at, at)
    return ["paused_at", "due_at", "deadline_state"], paused


# --- the periodic job ----------------------------------------------------------------------------


def _update_states(now: datetime.datetime, soon: datetime.datetime, batch_size: int) -> dict[str, int]:
    running = Dossier.objects.filter(status__in=CLOCK_RUNNING, due_at__isnull=False)
    conditions = {
        DeadlineState.OVERDUE: Q(due_at__lt=now),
        DeadlineState.DUE_SOON: Q(due_at__gte=now, due_at__lte=soon),
        DeadlineState.ON_TIME: Q(due_at__gt=soon),
    }
    counts = {}
    for state, condition in conditions.items():
        counts[state.value] = 0
        pending = running.filter(condition).exclude(deadline_state=state)
        # Small batches keep each UPDATE short, so officers' actions never wait on the job.
        while ids := list(pending.order_by("pk").values_list("pk", flat=True)[:batch_size]):
            counts[state.value] += (
                Dossier.objects.filter(pk__in=ids)
                .exclude(deadline_state=state)
                .update(deadline_state=state, updated_at=now)
            )
    return counts


def _remaining_days(dossier: Dossier) -> Decimal:
    by_order: dict[int, Decimal] = {}
    for step in dossier.steps.filter(state__in=_OPEN_STEP_STATES):
        by_order[step.order] = max(by_order.get(step.order, Decimal(0)), Decimal(step.duration_days))
    return max(Decimal(DUE_SOON_DAYS), sum(by_order.values(), Decimal(0)))


def _responsible(dossier: Dossier) -> User | None:
    step = dossier.steps.filter(state=DossierStep.State.ACTIVE, assignee__isnull=False).order_by("order").first()
    return step.assignee if step else dossier.current_assignee


def apology_draft(
    *,
    dossier: Dossier,
    actor: User | None = None,
    reason: str = "",
    new_due_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> ApologyLetter:
    """Draft the dossier's apology letter (one per dossier; an existing draft is returned as is)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        existing = ApologyLetter.objects.filter(dossier=locked).first()
        if existing is not None:
            return existing
        if locked.status not in CLOCK_RUNNING or locked.due_at is None:
            raise DomainError(
                _("Chỉ lập phiếu xin lỗi cho hồ sơ đang giải quyết."), code="apology_not_applicable", status=409
            )
        if new_due_at is None:
            new_due_at = add_working_days(max(now, locked.due_at), _remaining_days(locked))
        elif new_due_at <= locked.due_at:
            raise DomainError(_("Ngày hẹn mới phải sau hạn trả kết quả hiện tại."), code="apology_date_invalid")
        drafter = actor or _responsible(locked)
        letter = ApologyLetter.objects.create(
            dossier=locked,
            reason=reason.strip() or _("Hồ sơ cần thêm thời gian thẩm định, xác minh để bảo đảm đúng quy định."),
            new_due_at=new_due_at,
            drafted_by=drafter,
        )
        DossierEvent.objects.create(
            dossier=locked,
            actor=actor,
            action="apology_drafted",
            from_status=locked.status,
            to_status=locked.status,
            note=letter.reason,
            data={"new_due_at": new_due_at.isoformat(), "drafted_by": drafter.pk if drafter else None},
            public=False,
        )
    return letter


def apology_send(
    *,
    dossier: Dossier,
    actor: User,
    reason: str | None = None,
    new_due_at: datetime.datetime | None = None,
) -> ApologyLetter:
    """Send the drafted apology to the citizen, once: sets the dossier's new date and notifies."""
    now = timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not actor_roles(actor, locked):
            raise DomainError(
                _("Chỉ cán bộ có thẩm quyền đối với hồ sơ mới được gửi phiếu xin lỗi."),
                code="action_forbidden",
                status=403,
            )
        letter = ApologyLetter.objects.select_for_update().filter(dossier=locked).first()
        if letter is None:
            raise DomainError(_("Hồ sơ chưa có phiếu xin lỗi để gửi."), code="apology_missing", status=409)
        if letter.sent_at is not None:
            raise DomainError(
                _("Phiếu xin lỗi của hồ sơ này đã được gửi; mỗi hồ sơ chỉ hẹn lại một lần."),
                code="apology_already_sent",
                status=409,
            )
        if reason is not None and reason.strip():
            letter.reason = reason.strip()
        if new_due_at is not None:
            if locked.due_at and new_due_at <= locked.due_at:
                raise DomainError(_("Ngày hẹn mới phải sau hạn trả kết quả hiện tại."), code="apology_date_invalid")
            letter.new_due_at = new_due_at
        letter.sent_at, letter.sent_by = now, actor
        letter.save(update_fields=["reason", "new_due_at", "sent_at", "sent_by", "updated_at"])
        locked.apology_due_at = letter.new_due_at
        locked.save(update_fields=["apology_due_at", "updated_at"])
        dossier_record(
            locked,
            actor=actor,
            action="apology_sent",
            from_status=locked.status,
            note=letter.reason,
            data={"new_due_at": letter.new_due_at.isoformat()},
            audit_data={"new_due_at": letter.new_due_at.isoformat()},
            notices=[("apology", {"new_due_at": letter.new_due_at, "reason": letter.reason, "dedupe": "once"})],
        )
    return letter


def _apology_candidates(soon: datetime.datetime):
    # "Not near resolution": some step other than the leader's approval or the return is still open.
    far_from_done = DossierStep.objects.filter(dossier=OuterRef("pk"), state__in=_OPEN_STEP_STATES).exclude(
        kind__in=(StepKind.APPROVE, StepKind.RETURN)
    )
    return (
        Dossier.objects.filter(status__in=CLOCK_RUNNING, due_at__isnull=False, due_at__lte=soon, apology__isnull=True)
        .filter(Exists(far_from_done))
        .order_by("pk")
    )


def deadlines_refresh(now: datetime.datetime | None = None, *, batch_size: int = 500) -> dict[str, int]:
    """Mark due-soon and overdue dossiers, and draft apologies for those bound to be late."""
    now = now or timezone.now()
    soon = add_working_days(now, DUE_SOON_DAYS)
    counts = _update_states(now, soon, batch_size)
    drafted = 0
    last_pk = 0
    while ids := list(_apology_candidates(soon).filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size]):
        last_pk = ids[-1]
        for dossier in Dossier.objects.filter(pk__in=ids):
            try:
                apology_draft(dossier=dossier, now=now)
            except DomainError:
                continue  # the dossier moved on between the query and the lock
            drafted += 1
    counts["apologies_drafted"] = drafted
    return counts
