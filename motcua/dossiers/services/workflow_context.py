"""The context an action runs in, and the step bookkeeping its handlers share.

`ActionContext` carries the locked dossier, its steps and what the handler changes; the helpers
below read params (raising DomainError before anything changes), find the actor's step, and move
steps along. Handlers (workflow_steps.py) and the recipe (workflow.py) build on them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import DomainError
from motcua.core.models import Agency, Role, User

from ..models import (
    Dossier,
    DossierStatus,
    DossierStep,
    StepKind,
)
from ..workflow_table import APPLICANT

S = DossierStatus
St = DossierStep.State
_OPEN = (St.PENDING, St.ACTIVE, St.RETURNED)
_PERSONAL_ID = re.compile(r"^\d{12}$")


@dataclass
class ActionContext:
    dossier: Dossier
    actor: User | None
    action: str
    roles_at: dict[int, set[str]]
    applicant: bool
    steps: list[DossierStep]
    now: datetime.datetime | None = None
    params: dict[str, Any] = field(default_factory=dict)
    from_status: str = ""
    target: str = ""
    fields: set[str] = field(default_factory=set)
    dirty_steps: dict[int, DossierStep] = field(default_factory=dict)
    event_step: DossierStep | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    notices: list[tuple[str, dict]] = field(default_factory=list)
    public: bool = True
    system: bool = False  # confirmed by the bank or gateway, no officer (workflow.SYSTEM_ACTIONS)
    # Run after the action's transaction rolled back (subscribers of `dossier.<action>` add them):
    # remove stored files, report failures.
    on_rollback: list = field(default_factory=list)

    def holds(self, role: str, agency_id: int | None) -> bool:
        return role in self.roles_at.get(agency_id, set())

    def touch(self, *steps: DossierStep) -> None:
        for step in steps:
            self.dirty_steps[step.pk] = step


# --- who holds which role where ------------------------------------------------------------------


def agency_roles(actor: User | None, dossier: Dossier, steps: list[DossierStep] | None = None) -> dict[int, set[str]]:
    """The actor's roles at each agency that has a say on the dossier now: the receiving agency,
    the current agency and the agencies of active steps. A unit-scoped role covers every agency
    in that unit and below (a province role covers the province)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_officer:
        return {}
    if steps is None:
        steps = list(dossier.steps.all())
    ids = {dossier.receiving_agency_id, dossier.current_agency_id}
    ids |= {s.agency_id for s in steps if s.state == St.ACTIVE}
    ids.discard(None)
    assignments = list(scope.assignments(actor).values_list("role", "agency_id", "unit_id"))
    if not assignments:
        return {}
    result: dict[int, set[str]] = {}
    for agency in Agency.objects.select_related("unit__parent").filter(pk__in=ids):
        units = {agency.unit_id, agency.unit.parent_id}
        if agency.unit.parent_id:
            units.add(agency.unit.parent.parent_id)
        units.discard(None)
        roles = {role for role, agency_id, unit_id in assignments if agency_id == agency.pk or unit_id in units}
        if roles:
            result[agency.pk] = roles
    return result


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


def _mine(ctx: ActionContext, roles: set[str], *, kinds=None, exclude_kinds=()) -> list[DossierStep]:
    return [
        s
        for s in ctx.steps
        if s.state == St.ACTIVE
        and s.role in roles
        and ctx.holds(s.role, s.agency_id)
        and (kinds is None or s.kind in kinds)
        and s.kind not in exclude_kinds
    ]


def _previous_group(ctx: ActionContext, order: int) -> list[DossierStep]:
    earlier = [s for s in ctx.steps if s.order < order and s.kind != StepKind.RECEIVE]
    if not earlier:
        return []
    last = max(s.order for s in earlier)
    return [s for s in earlier if s.order == last]


def step_for_actor(ctx: ActionContext) -> bool:
    """Whether the step the action works on is there and held by the actor (other actions: yes)."""
    a = ctx.action
    if a == "appraise":
        return bool(_mine(ctx, {Role.SPECIALIST}, kinds={StepKind.APPRAISE}))
    if a == "forward":
        return bool(_mine(ctx, {Role.SPECIALIST}, exclude_kinds=(StepKind.APPROVE, StepKind.RETURN)))
    if a == "approve":
        return bool(_mine(ctx, {Role.LEADER}, kinds={StepKind.APPROVE}))
    if a == "send_back":
        mine = _mine(ctx, {Role.SPECIALIST, Role.LEADER}, exclude_kinds=(StepKind.RETURN,))
        return any(_previous_group(ctx, s.order) for s in mine)
    if a == "result_ready":
        open_work = [s for s in ctx.steps if s.state in _OPEN and s.kind != StepKind.RETURN]
        mine = _mine(ctx, {Role.RECEPTIONIST}, exclude_kinds=(StepKind.RETURN,))
        return bool(ctx.steps) and all(s in mine for s in open_work)
    if a in ("assign", "reassign"):
        active = [s for s in ctx.steps if s.state == St.ACTIVE]
        return bool(active) and (a == "assign" or any(s.assignee_id for s in active))
    if a == "transfer_back":
        return ctx.dossier.current_agency_id not in (None, ctx.dossier.receiving_agency_id)
    return True


# --- params --------------------------------------------------------------------------------------


def _text(ctx: ActionContext, name: str, *, required: bool = False, label: str = "", max_length: int = 2000) -> str:
    value = ctx.params.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise DomainError(_("Cần nhập %(label)s.") % {"label": label or name}, code=f"{name}_required")
    if len(value) > max_length:
        raise DomainError(
            _("%(label)s quá dài (tối đa %(n)s ký tự).") % {"label": label or name, "n": max_length},
            code=f"{name}_too_long",
        )
    return value


def _int(ctx: ActionContext, name: str, *, label: str) -> int:
    raw = ctx.params.get(name)
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(label)s phải là một số nguyên.") % {"label": label}, code=f"{name}_invalid")
    return value


def _items(ctx: ActionContext) -> list[str]:
    raw = ctx.params.get("items")
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list | tuple):
        raw = []
    items = [str(i).strip()[:500] for i in raw if str(i).strip()]
    if not items:
        raise DomainError(_("Cần liệt kê đầy đủ, một lần các nội dung phải bổ sung."), code="items_required")
    return items


# --- step movements ------------------------------------------------------------------------------


def _activate_next(ctx: ActionContext, after_order: int) -> None:
    pending = [s for s in ctx.steps if s.order > after_order and s.state in (St.PENDING, St.RETURNED)]
    if not pending:
        return
    order = min(s.order for s in pending)
    group = [s for s in pending if s.order == order]
    for step in group:
        step.state, step.started_at, step.finished_at = St.ACTIVE, ctx.now, None
    ctx.touch(*group)
    agencies = {s.agency_id for s in group}
    if len(agencies) == 1 and ctx.dossier.current_agency_id != group[0].agency_id:
        ctx.dossier.current_agency_id = group[0].agency_id
        ctx.fields.add("current_agency")
    ctx.dossier.current_assignee_id = group[0].assignee_id
    ctx.fields.add("current_assignee")


def _complete(ctx: ActionContext, step: DossierStep) -> None:
    step.state, step.finished_at = St.DONE, ctx.now
    ctx.touch(step)
    ctx.event_step = step
    group = [s for s in ctx.steps if s.order == step.order]
    if all(s.state in (St.DONE, St.SKIPPED) for s in group):
        _activate_next(ctx, step.order)


def _work_left(ctx: ActionContext) -> bool:
    return any(s.state in _OPEN and s.kind != StepKind.RETURN for s in ctx.steps)


def _close_open_steps(ctx: ActionContext, *, keep_return: bool) -> None:
    for step in ctx.steps:
        if step.state in _OPEN and not (keep_return and step.kind == StepKind.RETURN):
            step.state, step.finished_at = St.SKIPPED, ctx.now
            ctx.touch(step)


def _resolve(ctx: ActionContext, *, refused: bool = False, reason: str = "") -> None:
    d = ctx.dossier
    _close_open_steps(ctx, keep_return=True)
    returns = [s for s in ctx.steps if s.kind == StepKind.RETURN and s.state in _OPEN]
    for step in returns:
        step.state, step.started_at = St.ACTIVE, ctx.now
        ctx.touch(step)
    ctx.target = S.RESOLVED
    d.resolved_at = ctx.now
    d.finished_late = bool(d.due_at and ctx.now > d.due_at)
    d.current_agency_id = d.receiving_agency_id
    d.current_assignee_id = returns[0].assignee_id if returns else None
    ctx.fields |= {"resolved_at", "finished_late", "current_agency", "current_assignee"}
    ctx.data["finished_late"] = d.finished_late
    if refused:
        ctx.data["refused"] = True
        ctx.notices.append(("refused", {"reason": reason}))
    else:
        ctx.notices.append(("result_ready", {"delivery": d.result_delivery}))


def _finish_step_work(ctx: ActionContext, step: DossierStep) -> None:
    _complete(ctx, step)
    if _work_left(ctx):
        ctx.target = S.PROCESSING
    else:
        _resolve(ctx)
