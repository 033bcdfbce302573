"""Demo state of the national-portal sync: the demo dossiers' status changes are already queued
(they went through the workflow); one dossier's first message is shown as rejected by the
national portal, so the reconciliation page (/dong-bo-dvcqg/) has a case to resend. Safe to run again."""

from __future__ import annotations

from django.db import transaction

from motcua.nationalsync.models import SyncMessage, SyncState

DEMO_REJECT_CODE = "12"
DEMO_REASON = "MaTTHC chưa có trong Cơ sở dữ liệu quốc gia về thủ tục hành chính (dữ liệu mẫu)."


def nationalsync_demo_build() -> dict:
    """Counts of queued messages and whether a rejection was set up now."""
    with transaction.atomic():
        queued = SyncMessage.objects.count()
        if SyncMessage.objects.filter(state=SyncState.REJECTED).exists():
            return {"queued": queued, "rejected_now": 0}
        first = SyncMessage.objects.filter(seq=1, state=SyncState.PENDING).order_by("dossier_id").first()
        if first is None:
            return {"queued": queued, "rejected_now": 0}
        SyncMessage.objects.filter(pk=first.pk).update(
            state=SyncState.REJECTED, reject_code=DEMO_REJECT_CODE, last_error=DEMO_REASON, attempts=1
        )
    return {"queued": queued, "rejected_now": 1}
