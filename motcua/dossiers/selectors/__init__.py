"""Reads of dossiers, each with the access check inside (`dossiers`), the officer queues
(`queues`), the public lookup (`lookup`), office statistics and the tracking book (`stats`).

The names below are the ones pages, the API and other apps read as `selectors.<name>`.
"""

from .dossiers import (
    CODE_PATTERN,
    DOWNLOADABLE_KINDS,
    FINISHED_STATUSES,
    MAX_LIMIT,
    OPEN_STATUSES,
    RESULT_PUBLIC_STATUSES,
    agencies_covered_by,
    apology_drafts_for,
    dossier_detail_context,
    dossier_document_get_for,
    dossier_documents_for,
    dossier_get_for,
    dossier_list_for_citizen,
    dossiers_handled_by,
    dossiers_visible_to,
    event_label,
    user_is_applicant,
    user_is_officer_for,
    user_sees_all_dossiers,
)
from .queues import (
    DUE_SOON_HOURS,
    QUEUE_LABELS,
    QUEUE_STATUSES,
    QUEUES,
    decode_cursor,
    dossier_month_figures,
    dossier_queue,
    dossier_queue_count,
    encode_cursor,
)

__all__ = [
    "CODE_PATTERN",
    "DOWNLOADABLE_KINDS",
    "DUE_SOON_HOURS",
    "FINISHED_STATUSES",
    "MAX_LIMIT",
    "OPEN_STATUSES",
    "QUEUES",
    "QUEUE_LABELS",
    "QUEUE_STATUSES",
    "RESULT_PUBLIC_STATUSES",
    "agencies_covered_by",
    "apology_drafts_for",
    "decode_cursor",
    "dossier_detail_context",
    "dossier_document_get_for",
    "dossier_documents_for",
    "dossier_get_for",
    "dossier_list_for_citizen",
    "dossier_month_figures",
    "dossier_queue",
    "dossier_queue_count",
    "dossiers_handled_by",
    "dossiers_visible_to",
    "encode_cursor",
    "event_label",
    "user_is_applicant",
    "user_is_officer_for",
    "user_sees_all_dossiers",
]
