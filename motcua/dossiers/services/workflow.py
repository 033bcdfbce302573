"""Processing actions: every change of a received dossier goes through `dossier_act`.

The recipe (one per action, no exceptions): one atomic block; re-fetch the dossier with
select_for_update; check the action against TRANSITIONS for the current status and the actor's
roles against ACTION_ROLES (and that the actor holds the step the action works on); apply the
action; save(update_fields=...); write a DossierEvent (from/to status, step, note, data) and an
AuditEvent; tell the citizen through `events.emit` in the same transaction.

Two officers pressing a button at the same moment: the second waits on the row lock, then sees
the new status and gets `action_not_allowed` (409). On SQLite the IMMEDIATE transaction mode
serialises writers the same way.

Statuses a step action leads to: the table says PROCESSING for the step actions (appraise,
forward, approve); the recipe moves the dossier to RESOLVED instead when that action completed
the last step before the return (e.g. the leader's approval). `supplement` goes back to
REGISTERED when the dossier was asked to supplement before it was ever received.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, Role, RoleAssignment, User

from ..events import emit
from ..models import Dossier, DossierEvent, DossierStatus, DossierStep
from .step_hooks import step_hooks_for
from .workflow_context import ActionContext, agency_roles, step_for_actor
from .workflow_steps import handle

logger = logging.getLogger(__name__)

S = DossierStatus
APPLICANT = "applicant"  # pseudo-role: the dossier's own citizen

_STEP_WORK = {
    "assign": S.PROCESSING,
    "reassign": S.PROCESSING,
    "appraise": S.PROCESSING,
    "forward": S.PROCESSING,
    "send_back": S.PROCESSING,
    "approve": S.PROCESSING,
    "request_supplement": S.SUPPLEMENT_REQUESTED,
    "request_fees": S.PAYMENT_REQUESTED,
    "refuse_after_appraisal": S.RESOLVED,
    "transfer": S.PROCESSING,
    "transfer_back": S.PROCESSING,
    "result_ready": S.RESOLVED,
    "stop": S.STOPPED,
    "withdraw": S.WITHDRAWN,
}

# THE transition table: status -> {action: target status}.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.REGISTERED: {
        "receive": S.RECEIVED,
        "refuse_intake": S.NOT_RECEIVED,
        "request_supplement": S.SUPPLEMENT_REQUESTED,
        "withdraw": S.WITHDRAWN,
    },
    S.RECEIVED: {**_STEP_WORK, "assign": S.RECEIVED, "reassign": S.RECEIVED},
    S.PROCESSING: dict(_STEP_WORK),
    S.SUPPLEMENT_REQUESTED: {"supplement": S.PROCESSING, "withdraw": S.WITHDRAWN, "stop": S.STOPPED},
    S.PAYMENT_REQUESTED: {"fees_paid": S.PROCESSING, "withdraw": S.WITHDRAWN, "stop": S.STOPPED},
    S.RESOLVED: {"return_result": S.RETURNED},
}

# Who may do what. request_supplement is the receptionist's at intake (registered) and the
# specialist's afterwards: see `roles_for`.
ACTION_ROLES: dict[str, set[str]] = {
    "receive": {Role.RECEPTIONIST},
    "refuse_intake": {Role.RECEPTIONIST},
    "request_supplement": {Role.SPECIALIST},
    "return_result": {Role.RECEPTIONIST},
    "result_ready": {Role.RECEPTIONIST},
    "appraise": {Role.SPECIALIST},
    "forward": {Role.SPECIALIST},
    "send_back": {Role.SPECIALIST, Role.LEADER},
    "request_fees": {Role.SPECIALIST},
    "refuse_after_appraisal": {Role.SPECIALIST, Role.LEADER},
    "approve": {Role.LEADER},
    "stop": {Role.LEADER},
    "assign": {Role.LEADER},
    "reassign": {Role.LEADER},
    "transfer": {Role.SPECIALIST, Role.LEADER},
    "transfer_back": {Role.SPECIALIST, Role.LEADER},
    # The citizen supplies and withdraws online; a receptionist records the same at the counter.
    "supplement": {APPLICANT, Role.RECEPTIONIST},
    "withdraw": {APPLICANT, Role.RECEPTIONIST},
    "fees_paid": {Role.CASHIER, Role.RECEPTIONIST},
}

ALL_ACTIONS = tuple(ACTION_ROLES)

# Actions the system may take with no officer behind them: money confirmed by the bank or the
# payment gateway resumes the dossier (payments.services.dossier_link). Nothing else.
SYSTEM_ACTIONS = frozenset({"fees_paid"})

ACTION_LABELS = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "refuse_intake": gettext_lazy("Từ chối tiếp nhận"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "supplement": gettext_lazy("Ghi nhận đã bổ sung"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "appraise": gettext_lazy("Hoàn thành thẩm định"),
    "forward": gettext_lazy("Chuyển bước tiếp theo"),
    "send_back": gettext_lazy("Trả lại bước trước"),
    "approve": gettext_lazy("Phê duyệt, ký"),
    "refuse_after_appraisal": gettext_lazy("Từ chối giải quyết"),
    "request_fees": gettext_lazy("Yêu cầu nộp phí, lệ phí"),
    "fees_paid": gettext_lazy("Xác nhận đã nộp phí"),
    "stop": gettext_lazy("Dừng xử lý"),
    "assign": gettext_lazy("Phân công xử lý"),
    "reassign": gettext_lazy("Phân công lại"),
    "transfer": gettext_lazy("Chuyển cơ quan khác"),
    "transfer_back": gettext_lazy("Nhận lại từ cơ quan khác"),
    "result_ready": gettext_lazy("Đã có kết quả"),
    "return_result": gettext_lazy("Trả kết quả"),
}

# Keys the API never passes through as action parameters.
RESERVED_PARAMS = frozenset({"dossier", "actor", "action", "now", "system"})


def roles_for(action: str, status: str) -> set[str]:
    if action == "request_supplement" and status == S.REGISTERED:
        return {Role.RECEPTIONIST}
    return ACTION_ROLES.get(action, set())


def is_applicant(actor: User | None, dossier: Dossier) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if dossier.applicant_person_id and actor.person_id == dossier.applicant_person_id:
        return True
    return not actor.is_officer and dossier.submitted_by_id == actor.pk


def actor_roles(actor: User | None, dossier: Dossier) -> set[str]:
    """Every role the actor holds over this dossier (any of its agencies), plus `applicant`."""
    roles: set[str] = set()
    for agency_roles_ in agency_roles(actor, dossier).values():
        roles |= agency_roles_
    if is_applicant(actor, dossier):
        roles.add(APPLICANT)
    return roles


@dataclass
class _Check:
    ok: bool
    reason: str = ""  # "status", "role", "step"
    ctx: ActionContext | None = field(default=None, repr=False)


def _check(
    dossier: Dossier, actor: User | None, action: str, roles_at, applicant: bool, steps, system: bool = False
) -> _Check:
    if action not in TRANSITIONS.get(dossier.status, {}):
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
    return [a for a in ALL_ACTIONS if _check(dossier, actor, a, roles_at, applicant, steps).ok]


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
        # Work a hook did outside the database (a stored signed file) is undone; failures reported.
        for undo in rollback:
            try:
                undo()
            except Exception:  # never hide the action's own error behind a cleanup's
                logger.exception("rollback callback of dossier action %s failed", action)
        raise


def _act(dossier, actor, action, now, system, params, rollback) -> Dossier:
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_agency", "current_agency", "applicant_person", "office")
            .get(pk=dossier.pk)
        )
        steps = list(locked.steps.select_related("agency").order_by("order", "id"))
        roles_at = agency_roles(actor, locked, steps)
        applicant = is_applicant(actor, locked)
        check = _check(locked, actor, action, roles_at, applicant, steps, system)
        if not check.ok:
            allowed = _allowed(locked, actor, roles_at, applicant, steps)
            details = {"allowed": allowed, "status": locked.status}
            if action not in ACTION_ROLES:
                raise DomainError(
                    _("Thao tác “%(action)s” không tồn tại.") % {"action": action[:40]},
                    code="action_not_allowed",
                    status=409,
                    details=details,
                )
            if check.reason == "role":
                raise DomainError(
                    _("Bạn không có vai trò được phép thực hiện thao tác “%(label)s” đối với hồ sơ này.")
                    % {"label": ACTION_LABELS[action]},
                    code="action_forbidden",
                    status=403,
                    details=details,
                )
            raise DomainError(
                _("Không thể thực hiện thao tác “%(label)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {"label": ACTION_LABELS[action], "status": locked.get_status_display()},
                code="action_not_allowed",
                status=409,
                details=details,
            )
        ctx = check.ctx
        ctx.now, ctx.params, ctx.system = now, params, system
        ctx.from_status = locked.status
        ctx.target = TRANSITIONS[locked.status][action]
        ctx.on_rollback = rollback
        handle(ctx)
        for hook in step_hooks_for(action):
            hook(ctx)
        locked.status = ctx.target
        ctx.fields.update({"status", "updated_at"})
        locked.save(update_fields=sorted(ctx.fields))
        if ctx.dirty_steps:
            DossierStep.objects.bulk_update(
                list(ctx.dirty_steps.values()), ["state", "started_at", "finished_at", "assignee", "due_at", "agency"]
            )
        event = DossierEvent.objects.create(
            dossier=locked,
            actor=actor if actor and actor.pk else None,
            action=action,
            from_status=ctx.from_status,
            to_status=locked.status,
            step=ctx.event_step,
            note=ctx.note,
            data=ctx.data,
            public=ctx.public,
        )
        AuditEvent.objects.create(
            actor=actor if actor and actor.pk else None,
            action=f"dossier.{action}",
            object_type="dossier",
            object_id=str(locked.pk),
            data={"code": locked.code, "from": ctx.from_status, "to": locked.status},
        )
        for name, context in ctx.notices:
            emit(locked, name, event_id=event.pk, **context)
    return locked


def dossier_get_for_action(user, code: str) -> Dossier:
    """The dossier `code` if `user` may see it, else NotFound (never 403): `selectors.dossier_get_for`."""
    from motcua.dossiers.selectors import dossier_get_for

    return dossier_get_for(user, code)


def officers_for(dossier: Dossier, role: str) -> list[User]:
    """Officers holding `role` over one of the dossier's agencies (for the assign form)."""
    agencies = {dossier.receiving_agency_id, dossier.current_agency_id}
    agencies |= set(dossier.steps.values_list("agency_id", flat=True))
    user_ids = RoleAssignment.objects.filter(role=role, agency_id__in=[a for a in agencies if a]).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


# --- named wrappers: read better at call sites; all go through dossier_act -----------------------


def _wrapper(action: str):
    def run(*, dossier: Dossier, actor: User | None, **params: Any) -> Dossier:
        return dossier_act(dossier=dossier, actor=actor, action=action, **params)

    run.__name__ = f"dossier_{action}"
    run.__doc__ = f"`dossier_act(action={action!r})`: {ACTION_LABELS[action]}."
    return run


dossier_receive = _wrapper("receive")
dossier_refuse_intake = _wrapper("refuse_intake")
dossier_request_supplement = _wrapper("request_supplement")
dossier_supplement = _wrapper("supplement")
dossier_withdraw = _wrapper("withdraw")
dossier_appraise = _wrapper("appraise")
dossier_forward = _wrapper("forward")
dossier_send_back = _wrapper("send_back")
dossier_approve = _wrapper("approve")
dossier_refuse_after_appraisal = _wrapper("refuse_after_appraisal")
dossier_request_fees = _wrapper("request_fees")
dossier_fees_paid = _wrapper("fees_paid")
dossier_stop = _wrapper("stop")
dossier_assign = _wrapper("assign")
dossier_reassign = _wrapper("reassign")
dossier_transfer = _wrapper("transfer")
dossier_transfer_back = _wrapper("transfer_back")
dossier_result_ready = _wrapper("result_ready")
dossier_return_result = _wrapper("return_result")

__all__ = [
    "ACTION_LABELS",
    "ACTION_ROLES",
    "APPLICANT",
    "TRANSITIONS",
    "actor_roles",
    "allowed_actions",
    "dossier_act",
    "dossier_get_for_action",
    "officers_for",
    "roles_for",
    *[f"dossier_{a}" for a in ALL_ACTIONS],
]
