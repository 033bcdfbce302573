"""The "dossiers synchronised" count, behind one function so the index does not depend on how the
national-portal sync stores its messages (its contract: `nationalsync.selectors.unsynced_dossiers`).

A dossier counts as synchronised when it has at least one message and none the national portal has
not accepted. The sync's state changes when the sender runs, not at a dossier event: the rollup cell
is refreshed at the dossier's next status change and by `rebuild_index_rollups --months 1` (run it
hourly from cron); see docs/service-index.md."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from motcua.nationalsync.models import SyncMessage
from motcua.nationalsync.selectors import unsynced_dossiers


def synced(qs: QuerySet) -> QuerySet:
    has_message = Exists(SyncMessage.objects.filter(dossier_id=OuterRef("pk")))
    return qs.filter(has_message).exclude(pk__in=unsynced_dossiers().values("pk"))
