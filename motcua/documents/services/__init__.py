from .incoming import (
    LINK_ROLES,
    incoming_assign,
    incoming_close,
    incoming_link_dossier,
    incoming_present,
    incoming_progress,
    incoming_unlink_dossier,
    register_incoming,
)
from .jobs import documents_jobs
from .outgoing import (
    build_code,
    issue_outgoing,
    outgoing_approve,
    outgoing_draft,
    outgoing_return,
    outgoing_submit,
    outgoing_withdraw,
)

__all__ = [
    "build_code",
    "documents_jobs",
    "incoming_assign",
    "incoming_close",
    "LINK_ROLES",
    "incoming_link_dossier",
    "incoming_unlink_dossier",
    "incoming_present",
    "incoming_progress",
    "issue_outgoing",
    "outgoing_approve",
    "outgoing_draft",
    "outgoing_return",
    "outgoing_submit",
    "outgoing_withdraw",
    "register_incoming",
]
