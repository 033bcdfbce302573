"""Writes for the community digital teams: `visits` (help given, achievements), `households`
(import, editing), `teams` (teams, members, campaigns, indicators).

`visit_record_from_dossier` is re-exported for the dossiers app, which counts an assisted dossier
as a visit.
"""

from .visits import visit_record_from_dossier

__all__ = ["visit_record_from_dossier"]
