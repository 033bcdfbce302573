"""The events dossiers publishes (`motcua.core.events`), for the apps above it to subscribe to.

Every handler runs inside the dossier action's transaction: a handler that raises undoes the
action. Apps subscribe in their `AppConfig.ready`, e.g. `events.subscribe(topics.FEES_REQUESTED, …)`.
"""

from __future__ import annotations

from motcua.core import events

from .workflow_table import ALL_ACTIONS


def action_topic(action: str) -> str:
    """`dossier.<action>`: published by `dossier_act` after the action's own handler."""
    return f"dossier.{action}"


# After each workflow action's handler, before the dossier is saved: a subscriber may change the
# dossier in memory (`ctx.fields`), add to `ctx.data` and `ctx.notices`, and append to
# `ctx.on_rollback` callables that undo work done outside the database (a stored file).
for _action in ALL_ACTIONS:
    events.topic_declare(action_topic(_action), "ctx: services.workflow_context.ActionContext")

FEES_REQUESTED = events.topic_declare(
    "dossier.fees_requested",
    "ctx: ActionContext, items: list[dict] | None, amount: int | None, note: str, reason: str -> "
    "{'amount': int, 'items': list[str], 'reference': str, 'change_reason': str} (the payment request made)",
)
FEES_CONFIRMED_OUTSIDE = events.topic_declare(
    "dossier.fees_confirmed_outside",
    "dossier, actor, receipt_number: str -> the reference of the request settled by hand, or None",
)
ENDED = events.topic_declare(
    "dossier.ended",
    "dossier, actor, reason: str (withdrawn or stopped) -> references of the payment requests cancelled",
)
RESULT_RETURNED = events.topic_declare(
    "dossier.result_returned", "dossier -> the satisfaction rating link for the citizen ('' if none)"
)
SUBMITTED = events.topic_declare("dossier.submitted", "dossier (now registered and coded) -> None")
STATUS_CHANGED = events.topic_declare(
    "dossier.status_changed",
    "dossier (saved, with its new status), from_status: str ('' for a dossier registered at the desk), "
    "event: DossierEvent, at: datetime (the moment of the change) -> None (published by `dossier_record` "
    "whenever the status changed)",
)
