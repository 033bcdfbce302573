"""Move the deadlines of open dossiers when the province's calendar changes.

Subscribed to `calendar.changed` (`motcua.core.services.calendar`, from DossiersConfig.ready) and
run inside the transaction of the calendar change. A dossier is affected when its window, from
the clock start to its due date, spans a changed date. Its due date (and each open step's) keeps
the working time counted after the first changed date (or after the clock start, when later):
that remainder is measured under the old calendar and laid out again under the new one
(`calendar.shift_due`), so pauses and earlier shifts already in the due date are kept. The
promised date of a sent apology letter is a written promise and is not moved.

One query for the dossiers, one for their steps, then bulk writes: no query per dossier.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ..models import Dossier, DossierEvent, DossierStatus, DossierStep
from .deadlines import _OPEN_STEP_STATES, deadline_state_for, is_paper

# Open dossiers whose due date still means something (a supplement restarts the clock in full).
AFFECTED_STATUSES = (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT_REQUESTED)


def dossiers_recompute_due(change) -> int:
    """Recompute due dates after `change` (a core CalendarChange); returns how many dossiers moved."""
    if not change.dates:
        return 0
    first, end = change.window()
    dossiers = list(
        Dossier.objects.filter(status__in=AFFECTED_STATUSES, due_at__gt=first)
        .filter(Q(clock_started_at__lt=end) | Q(clock_started_at__isnull=True, received_at__lt=end))
        .only("pk", "status", "channel", "clock_started_at", "received_at", "due_at", "deadline_state")
        .order_by("pk")
    )
    if not dossiers:
        return 0
    steps_by_dossier: dict[int, list[DossierStep]] = {}
    for step in DossierStep.objects.filter(
        dossier_id__in=[d.pk for d in dossiers], state__in=_OPEN_STEP_STATES, due_at__gt=first
    ).only("pk", "dossier_id", "due_at"):
        steps_by_dossier.setdefault(step.dossier_id, []).append(step)

    now = timezone.now()
    moved, moved_steps, events = [], [], []
    for dossier in dossiers:
        start = dossier.clock_started_at or dossier.received_at
        anchor = change.anchor(start, paper=is_paper(dossier))
        new_due = change.shift(dossier.due_at, anchor)
        for step in steps_by_dossier.get(dossier.pk, ()):
            step_due = change.shift(step.due_at, anchor)
            if step_due != step.due_at:
                step.due_at = step_due
                moved_steps.append(step)
        if new_due == dossier.due_at:
            continue
        old_due = dossier.due_at
        dossier.due_at = new_due
        dossier.deadline_state = deadline_state_for(new_due, now)
        dossier.updated_at = now
        moved.append(dossier)
        events.append(DossierEvent(dossier=dossier, **change.event_fields(dossier.status, old_due, new_due)))
    Dossier.objects.bulk_update(moved, ["due_at", "deadline_state", "updated_at"], batch_size=500)
    DossierStep.objects.bulk_update(moved_steps, ["due_at"], batch_size=500)
    DossierEvent.objects.bulk_create(events, batch_size=500)
    return len(moved)
