"""Default workflows, and how a workflow's steps are copied onto a received dossier.

Two default workflows exist as data (procedure is null), created by `ensure_default_workflows()`
(idempotent; the demo loader and deployments call it):

- "standard": receive (receptionist, 0.5 day) -> appraise (specialist) -> approve and sign
  (leader) -> return (receptionist). The durations stored on these rows are only indicative:
  when a dossier uses the standard workflow, its step durations are split from the procedure's
  own time limit by `split_durations`, so a 3-day and a 15-day procedure share one definition.
- "on the spot": one receptionist step, for procedures resolved as soon as the file is complete.

A procedure's own Workflow (Workflow.procedure) is copied as written: the administrator set its
durations in working days. Steps with the same `order` run in parallel (joint liên thông
procedures): the next order starts only when every step of the current one is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import Agency, AgencyKind, Role, Unit

from .models import StepKind, Workflow, WorkflowStep

STANDARD_NAME = "Quy trình mặc định (tiếp nhận – thẩm định – phê duyệt – trả kết quả)"
ON_THE_SPOT_NAME = "Quy trình giải quyết ngay tại bộ phận một cửa"

_HALF = Decimal("0.5")


@dataclass(frozen=True)
class PlannedStep:
    order: int
    kind: str
    name: str
    role: str
    agency: Agency
    duration_days: Decimal


def _round_half(value: Decimal) -> Decimal:
    return (value / _HALF).to_integral_value(ROUND_HALF_UP) * _HALF


def split_durations(limit: Decimal | int | str) -> dict[str, Decimal]:
    """Split a procedure's time limit over the standard steps (working days, in halves).

    Reception takes half a day (none for limits under two days), returning takes no extra time
    (the result is handed over on the due date), and what remains goes two thirds to the
    specialist and one third to the leader, because appraisal is where the work is.
    """
    total = Decimal(str(limit))
    if total <= 0:
        return {
            StepKind.RECEIVE: Decimal(0),
            StepKind.APPRAISE: Decimal(0),
            StepKind.APPROVE: Decimal(0),
            StepKind.RETURN: Decimal(0),
        }
    receive = _HALF if total >= 2 else Decimal(0)
    rest = total - receive
    approve = max(_HALF, _round_half(rest / 3)) if rest >= 1 else Decimal(0)
    appraise = rest - approve
    return {
        StepKind.RECEIVE: receive,
        StepKind.APPRAISE: appraise,
        StepKind.APPROVE: approve,
        StepKind.RETURN: Decimal(0),
    }


_STANDARD_STEPS = (
    (1, StepKind.RECEIVE, "Tiếp nhận hồ sơ", Role.RECEPTIONIST, "0.5"),
    (2, StepKind.APPRAISE, "Thẩm định hồ sơ", Role.SPECIALIST, "1.5"),
    (3, StepKind.APPROVE, "Phê duyệt, ký kết quả", Role.LEADER, "1.0"),
    (4, StepKind.RETURN, "Trả kết quả", Role.RECEPTIONIST, "0"),
)
_ON_THE_SPOT_STEPS = ((1, StepKind.RECEIVE, "Tiếp nhận, giải quyết và trả kết quả ngay", Role.RECEPTIONIST, "0"),)


def _ensure(name: str, on_the_spot: bool, steps) -> Workflow:
    workflow = Workflow.objects.filter(procedure__isnull=True, on_the_spot=on_the_spot).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(procedure=None, name=name, on_the_spot=on_the_spot, is_active=True)
    if not workflow.steps.exists():
        WorkflowStep.objects.bulk_create(
            WorkflowStep(
                workflow=workflow, order=order, kind=kind, name=step_name, role=role, duration_days=Decimal(days)
            )
            for order, kind, step_name, role, days in steps
        )
    return workflow


@transaction.atomic
def ensure_default_workflows() -> tuple[Workflow, Workflow]:
    """Create the standard and on-the-spot default workflows if missing; safe to run again."""
    return _ensure(STANDARD_NAME, False, _STANDARD_STEPS), _ensure(ON_THE_SPOT_NAME, True, _ON_THE_SPOT_STEPS)


def workflow_for(procedure) -> Workflow:
    """The procedure's own active workflow, else the matching default (created on first use)."""
    own = Workflow.objects.filter(procedure=procedure, is_active=True).first()
    if own is not None and own.steps.exists():
        return own
    standard, on_the_spot = ensure_default_workflows()
    return on_the_spot if procedure.on_the_spot else standard


def _province_of(unit: Unit) -> Unit:
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


def resolve_agency(agency_kind: str, receiving: Agency) -> Agency:
    """Who does a step: the receiving agency (blank kind), else the agency of that kind in the
    same commune, else the province's (e.g. commune police, then the provincial department)."""
    if not agency_kind or agency_kind == receiving.kind:
        return receiving
    active = Agency.objects.filter(kind=agency_kind, is_active=True).order_by("code")
    found = active.filter(unit_id=receiving.unit_id).first()
    if found is None:
        province = _province_of(receiving.unit)
        found = active.filter(unit_id=province.pk).first() or active.filter(unit__parent_id=province.pk).first()
    if found is None:
        raise DomainError(
            _(
                "Chưa có cơ quan “%(kind)s” trên địa bàn để thực hiện bước xử lý; cần cấu hình cơ quan trước khi tiếp nhận."
            )
            % {"kind": AgencyKind(agency_kind).label},
            code="step_agency_missing",
        )
    return found


def plan_steps(procedure, receiving: Agency) -> tuple[Workflow, list[PlannedStep]]:
    """The steps a dossier of `procedure` received by `receiving` goes through."""
    workflow = workflow_for(procedure)
    default = workflow.procedure_id is None
    durations = split_durations(procedure.time_limit_days) if default and not workflow.on_the_spot else {}
    planned = []
    for step in workflow.steps.order_by("order", "id"):
        days = durations.get(step.kind, step.duration_days) if default else step.duration_days
        planned.append(
            PlannedStep(
                step.order, step.kind, step.name, step.role, resolve_agency(step.agency_kind, receiving), Decimal(days)
            )
        )
    return workflow, planned
