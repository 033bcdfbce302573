"""The record every change of a dossier leaves: its DossierEvent row, its audit row, the citizen's notices."""

from __future__ import annotations

from motcua.core import events
from motcua.core.models import User
from motcua.core.transitions import audit_record

from ..events import emit
from ..models import Dossier, DossierEvent, DossierStep
from ..topics import STATUS_CHANGED


def dossier_record(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    from_status: str,
    data: dict,
    audit_action: str = "",
    audit_data: dict | None = None,
    step: DossierStep | None = None,
    note: str = "",
    public: bool = True,
    notices: list[tuple[str, dict]] = (),
    at=None,
) -> DossierEvent:
    """Steps 5 and 6 of the recipe, once the dossier is saved: its event row, the audit row
    (`dossier.<action>` with code, from and to unless told otherwise), the citizen's notices.
    `at` is the moment of the change when it is not now (historical imports, demo data)."""
    event = DossierEvent.objects.create(
        dossier=dossier,
        actor=actor if actor and actor.pk else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        note=note,
        data=data,
        public=public,
    )
    audit_record(
        actor=actor,
        action=audit_action or f"dossier.{action}",
        obj=dossier,
        data=audit_data
        if audit_data is not None
        else {"code": dossier.code, "from": from_status, "to": dossier.status},
    )
    if from_status != dossier.status:
        # Every status change passes here (submission, desk intake, every workflow action): the
        # national-portal sync queues its message in this same transaction.
        events.publish(STATUS_CHANGED, dossier=dossier, from_status=from_status, event=event, at=at or event.at)
    for name, context in notices:
        emit(dossier, name, event_id=event.pk, **context)
    return event
