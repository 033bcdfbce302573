"""The "dossiers synchronised" count, behind one function so the index depends on the national-portal
sync in one place only (its contract: `nationalsync.selectors.sync_rate` / `unsynced_dossiers`, whose
definition this repeats as a correlated condition, so a rollup cell's count stays within its own
agency-month instead of listing every unsynchronised dossier of the province).

A dossier counts as synchronised when it has at least one message and none the national portal has
not accepted. The sync's state changes when the sender runs, not at a dossier event: the rollup cell
is refreshed at the dossier's next status change and by `rebuild_index_rollups --months 1`, which the
scheduler runs nightly (`ops.schedule`); see docs/service-index.md."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from motcua.nationalsync.models import UNSENT_STATES, SyncMessage


def synced(qs: QuerySet) -> QuerySet:
    messages = SyncMessage.objects.filter(dossier_id=OuterRef("pk"))
    return qs.filter(Exists(messages)).exclude(Exists(messages.filter(state__in=UNSENT_STATES)))
