"""What outreach does when dossiers publish an event (subscribed in `OutreachConfig.ready`)."""

from __future__ import annotations

from motcua.dossiers.models import Channel
from motcua.outreach.services.visits import visit_record_from_dossier


def dossier_submitted(*, dossier) -> None:
    """A community-team member submitting for a household counts as help given (once)."""
    if dossier.channel == Channel.ASSISTED:
        visit_record_from_dossier(dossier=dossier)
