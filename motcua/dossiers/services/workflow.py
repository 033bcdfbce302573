"""Processing actions: every change of a received dossier goes through `dossier_act`.

The recipe (`motcua.core.transitions`; one per action, no exceptions): one atomic block;
`row_lock` the dossier; check the action against the state machine (`workflow_table.MACHINE`)
for the current status and the actor's roles (and that the actor holds the step the action works
on); apply the action's handler (`workflow_steps`); publish `dossier.<action>` to the apps above
(signing signs an approval, checks a returned result); save(update_fields=...); write a
DossierEvent (from/to status, step, note, data) and `audit_record`; tell the citizen through
`events.emit` (citizen notices) in the same transaction.

Two officers pressing a button at the same moment: the second waits on the row lock, then sees
the new status and gets `action_not_allowed` (409). On SQLite the IMMEDIATE transaction mode
serialises writers the same way.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core import events, scope
from motcua.core.models import User
from motcua.core.transitions import row_lock

from ..models import Dossier, DossierStep
from ..selectors import dossier_get_for
from ..topics import action_topic
from ..workflow_table import (
    ACTION_LABELS,
    ACTION_ROLES,
    ALL_ACTIONS,
    APPLICANT,
    MACHINE,
    SYSTEM_ACTIONS,
    TRANSITIONS,
    roles_for,
)
from .records import dossier_record
from .workflow_context import ActionContext, actor_roles, agency_roles, is_applicant, step_for_actor
from .workflow_steps import handle

logger = logging.getLogger(__name__)

# Keys the API never passes through as action parameters.
RESERVED_PARAMS = frozenset({"dossier", "actor", "action", "now", "system"})
_LOCK_RELATED = ("procedure", "receiving_agency", "current_agency", "applicant_person", "office")
_STEP_FIELDS = ["state", "started_at", "finished_at", "assignee", "due_at", "agency"]


@dataclass
class _Check:
    ok: bool
    reason: str = ""  # "status", "role", "step"
    ctx: ActionContext | None = field(default=None, repr=False)


def _check(
    dossier: Dossier, actor: User | None, action: str, roles_at, applicant: bool, steps, system: bool = False
) -> _Check:
    if MACHINE.target(dossier.status, action) is None:
        return _Check(False, "status")
    if system and action not in SYSTEM_ACTIONS:
        return _Check(False, "role")
    held = set().union(*roles_at.values()) if roles_at else set()
    if applicant:
        held.add(APPLICANT)
    if not system and not held & roles_for(action, dossier.status):
        return _Check(False, "role")
    ctx = ActionContext(
        dossier=dossier, actor=actor, action=action, roles_at=roles_at, applicant=applicant, steps=steps
    )
    if not step_for_actor(ctx):
        return _Check(False, "step")
    return _Check(True, ctx=ctx)


def _allowed(dossier, actor, roles_at, applicant, steps) -> list[str]:
    return [a for a in MACHINE.actions if _check(dossier, actor, a, roles_at, applicant, steps).ok]


def allowed_actions(*, dossier: Dossier, actor: User | None) -> list[str]:
    """The actions this actor may take on the dossier now (in ACTION_ROLES order)."""
    steps = list(dossier.steps.select_related("agency").order_by("order", "id"))
    return _allowed(dossier, actor, agency_roles(actor, dossier, steps), is_applicant(actor, dossier), steps)


def dossier_act(
    *,
    dossier: Dossier,
    actor: User | None,
    action: str,
    now: datetime.datetime | None = None,
    system: bool = False,
    **params: Any,
) -> Dossier:
    """Do `action` on `dossier` as `actor` with `params`; returns the updated dossier.

    `now` exists for imports of historical dossiers and tests; callers acting live omit it.
    `system=True` is for SYSTEM_ACTIONS only (money confirmed by the bank or gateway): the role
    check is skipped and `actor` may be None.
    Raises DomainError: 409 `action_not_allowed` (details.allowed lists what is allowed),
    403 `action_forbidden` when the actor holds no role that may do it, 400 for bad params.
    """
    now = now or timezone.now()
    rollback: list = []
    try:
        return _act(dossier, actor, action, now, system, params, rollback)
    except BaseException:
        # Work a subscriber did outside the database (a stored signed file) is undone; failures reported.
        for undo in rollback:
            try:
                undo()
            except Exception:  # never hide the action's own error behind a cleanup's
                logger.exception("rollback callback of dossier action %s failed", action)
        raise


def _act(dossier, actor, action, now, system, params, rollback) -> Dossier:
    with transaction.atomic():
        locked = row_lock(Dossier, dossier.pk, related=_LOCK_RELATED, not_found="dossier_not_found")
        steps = list(locked.steps.select_related("agency").order_by("order", "id"))
        roles_at = agency_roles(actor, locked, steps)
        applicant = is_applicant(actor, locked)
        check = _check(locked, actor, action, roles_at, applicant, steps, system)
        if not check.ok:
            details = {"allowed": _allowed(locked, actor, roles_at, applicant, steps), "status": locked.status}
            raise MACHINE.refusal(
                action=action, reason=check.reason, status_label=locked.get_status_display(), details=details
            )
        ctx = check.ctx
        ctx.now, ctx.params, ctx.system = now, params, system
        ctx.from_status = locked.status
        ctx.target = MACHINE.target(locked.status, action)
        ctx.on_rollback = rollback
        handle(ctx)
        events.publish(action_topic(action), ctx=ctx)
        locked.status = ctx.target
        ctx.fields.update({"status", "updated_at"})
        locked.save(update_fields=sorted(ctx.fields))
        if ctx.dirty_steps:
            DossierStep.objects.bulk_update(list(ctx.dirty_steps.values()), _STEP_FIELDS)
        dossier_record(
            locked,
            actor=actor,
            action=action,
            from_status=ctx.from_status,
            step=ctx.event_step,
            note=ctx.note,
            data=ctx.data,
            public=ctx.public,
            notices=ctx.notices,
            at=now,
        )
    return locked


def dossier_get_for_action(user, code: str) -> Dossier:
    """The dossier `code` if `user` may see it, else NotFound (never 403): `selectors.dossier_get_for`."""
    return dossier_get_for(user, code)


def officers_for(dossier: Dossier, role: str) -> list[User]:
    """Officers holding `role` over one of the dossier's agencies (for the assign form)."""
    agencies = {dossier.receiving_agency_id, dossier.current_agency_id}
    agencies |= set(dossier.steps.values_list("agency_id", flat=True))
    return list(scope.officers_holding(role, agencies=agencies).order_by("username"))


# --- one named function per action: all go through dossier_act -----------------------------------


def dossier_receive(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Tiếp nhận hồ sơ: `dossier_act(action="receive")`."""
    return dossier_act(dossier=dossier, actor=actor, action="receive", **params)


def dossier_refuse_intake(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Từ chối tiếp nhận: `dossier_act(action="refuse_intake")`."""
    return dossier_act(dossier=dossier, actor=actor, action="refuse_intake", **params)


def dossier_request_supplement(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Yêu cầu bổ sung hồ sơ: `dossier_act(action="request_supplement")`."""
    return dossier_act(dossier=dossier, actor=actor, action="request_supplement", **params)


def dossier_supplement(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Ghi nhận đã bổ sung: `dossier_act(action="supplement")`."""
    return dossier_act(dossier=dossier, actor=actor, action="supplement", **params)


def dossier_withdraw(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Rút hồ sơ: `dossier_act(action="withdraw")`."""
    return dossier_act(dossier=dossier, actor=actor, action="withdraw", **params)


def dossier_appraise(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Hoàn thành thẩm định: `dossier_act(action="appraise")`."""
    return dossier_act(dossier=dossier, actor=actor, action="appraise", **params)


def dossier_forward(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Chuyển bước tiếp theo: `dossier_act(action="forward")`."""
    return dossier_act(dossier=dossier, actor=actor, action="forward", **params)


def dossier_send_back(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Trả lại bước trước: `dossier_act(action="send_back")`."""
    return dossier_act(dossier=dossier, actor=actor, action="send_back", **params)


def dossier_approve(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Phê duyệt, ký: `dossier_act(action="approve")`."""
    return dossier_act(dossier=dossier, actor=actor, action="approve", **params)


def dossier_refuse_after_appraisal(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Từ chối giải quyết: `dossier_act(action="refuse_after_appraisal")`."""
    return dossier_act(dossier=dossier, actor=actor, action="refuse_after_appraisal", **params)


def dossier_request_fees(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Yêu cầu nộp phí, lệ phí: `dossier_act(action="request_fees")`."""
    return dossier_act(dossier=dossier, actor=actor, action="request_fees", **params)


def dossier_fees_paid(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Xác nhận đã nộp phí: `dossier_act(action="fees_paid")`."""
    return dossier_act(dossier=dossier, actor=actor, action="fees_paid", **params)


def dossier_stop(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Dừng xử lý: `dossier_act(action="stop")`."""
    return dossier_act(dossier=dossier, actor=actor, action="stop", **params)


def dossier_assign(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Phân công xử lý: `dossier_act(action="assign")`."""
    return dossier_act(dossier=dossier, actor=actor, action="assign", **params)


def dossier_reassign(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Phân công lại: `dossier_act(action="reassign")`."""
    return dossier_act(dossier=dossier, actor=actor, action="reassign", **params)


def dossier_transfer(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Chuyển cơ quan khác: `dossier_act(action="transfer")`."""
    return dossier_act(dossier=dossier, actor=actor, action="transfer", **params)


def dossier_transfer_back(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Nhận lại từ cơ quan khác: `dossier_act(action="transfer_back")`."""
    return dossier_act(dossier=dossier, actor=actor, action="transfer_back", **params)


def dossier_result_ready(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Đã có kết quả: `dossier_act(action="result_ready")`."""
    return dossier_act(dossier=dossier, actor=actor, action="result_ready", **params)


def dossier_return_result(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
    """Trả kết quả: `dossier_act(action="return_result")`."""
    return dossier_act(dossier=dossier, actor=actor, action="return_result", **params)


__all__ = [
    "ACTION_LABELS",
    "ACTION_ROLES",
    "ALL_ACTIONS",
    "APPLICANT",
    "SYSTEM_ACTIONS",
    "TRANSITIONS",
    "actor_roles",
    "allowed_actions",
    "dossier_act",
    "dossier_get_for_action",
    "dossier_record",
    "is_applicant",
    "officers_for",
    "roles_for",
    *[f"dossier_{a}" for a in ALL_ACTIONS],
]
