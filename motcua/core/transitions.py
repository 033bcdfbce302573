"""The one recipe for a state change, shared by every record with a status.

A state machine is data: the transition table (status -> {action: target status}), who may take
each action (roles), and a human label per action. `StateMachine` holds the three and answers the
questions every machine asks: may this action be taken from this status, by someone holding
these roles; what is allowed now; and the refusal to raise when it is not (one wording, one
error code, one HTTP status for every machine in the product).

The recipe around it, written the same way in each app's `*_act` function:

1. one atomic block;
2. `row_lock(Model, pk, related=...)`: re-read the row with SELECT … FOR UPDATE (of the row
   itself only), so two officers pressing a button at once are served one after the other and
   the second sees the first one's status;
3. `machine.refusal(...)` when the action is not allowed (409 `action_not_allowed`, 403
   `action_forbidden`);
4. the action's own handler changes the record; `save(update_fields=...)`;
5. the record's own event row (DossierEvent, ReportEvent, …) and `audit_record(...)`;
6. `motcua.core.events.publish(...)` for the apps above that care, in the same transaction.

The machines: dossiers (`dossiers/services/workflow.py`), field reports
(`fieldreports/services/handling.py`), broadcasts and signing certificates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .errors import DomainError, NotFound
from .models import AuditEvent


@dataclass(frozen=True)
class StateMachine:
    """A transition table with its roles and labels. `noun` names the record in messages."""

    name: str
    transitions: Mapping[str, Mapping[str, str]]
    roles: Mapping[str, frozenset[str] | set[str]]
    labels: Mapping[str, Any]
    noun: str = ""
    actions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.actions:
            object.__setattr__(self, "actions", tuple(self.roles))
        unknown = {a for targets in self.transitions.values() for a in targets} - set(self.roles)
        if unknown:
            raise ValueError(f"{self.name}: actions without roles: {sorted(unknown)}")
        missing = set(self.roles) - set(self.labels)
        if missing:
            raise ValueError(f"{self.name}: actions without labels: {sorted(missing)}")

    def target(self, status: str, action: str) -> str | None:
        """The status `action` leads to from `status`, or None when it is not allowed there."""
        return self.transitions.get(status, {}).get(action)

    def knows(self, action: str) -> bool:
        return action in self.roles

    def roles_for(self, action: str) -> frozenset[str]:
        return frozenset(self.roles.get(action, ()))

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def permits(self, status: str, action: str, held: Iterable[str]) -> str | None:
        """None when `held` roles may take `action` from `status`; else why not: "status" or "role"."""
        if self.target(status, action) is None:
            return "status"
        if not self.roles_for(action) & set(held):
            return "role"
        return None

    def allowed(self, status: str, held: Iterable[str]) -> list[str]:
        held = set(held)
        return [a for a in self.actions if self.permits(status, a, held) is None]

    def refusal(self, *, action: str, reason: str, status_label: str, details: dict | None = None) -> DomainError:
        """The error for a refused action: unknown action or wrong status (409), wrong role (403)."""
        details = details or {}
        if not self.knows(action):
            return DomainError(
                _("Thao tác “%(action)s” không tồn tại.") % {"action": str(action)[:40]},
                code="action_not_allowed",
                status=409,
                details=details,
            )
        if reason == "role":
            return DomainError(
                _("Tài khoản này không có vai trò được phép thực hiện thao tác “%(label)s” đối với %(noun)s này.")
                % {"label": self.label(action), "noun": self.noun or _("hồ sơ")},
                code="action_forbidden",
                status=403,
                details=details,
            )
        return DomainError(
            _("Không thể thực hiện thao tác “%(label)s” khi %(noun)s đang ở trạng thái “%(status)s”.")
            % {"label": self.label(action), "noun": self.noun or _("hồ sơ"), "status": status_label},
            code="action_not_allowed",
            status=409,
            details=details,
        )


def row_lock(model: type[models.Model], pk, *, related: Iterable[str] = (), not_found: str = "not_found"):
    """The row `pk` of `model`, locked for the rest of the transaction (step 2 of the recipe)."""
    rows = model.objects.select_for_update(of=("self",))
    if related:
        rows = rows.select_related(*related)
    row = rows.filter(pk=pk).first()
    if row is None:
        raise NotFound(code=not_found)
    return row


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    data: dict | None = None,
):
    """Write one AuditEvent: who did `action` to which record (step 5). The one writer of the table."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        data=data or {},
    )
