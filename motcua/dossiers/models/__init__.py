from .documents import ApologyLetter, DocumentKind, DossierDocument, SupplementRequest
from .dossier import Dossier, DossierCodeSequence, DossierEvent, DossierStep
from .status import (
    CLOCK_PAUSED,
    FINAL,
    NATIONAL_STATUS_CODE,
    Channel,
    DeadlineState,
    DossierStatus,
    ResultDelivery,
)
from .workflow import StepKind, Workflow, WorkflowStep

__all__ = [
    "CLOCK_PAUSED", "FINAL", "NATIONAL_STATUS_CODE", "ApologyLetter", "Channel", "DeadlineState", "DocumentKind",
    "Dossier", "DossierCodeSequence", "DossierDocument", "DossierEvent", "DossierStatus", "DossierStep",
    "ResultDelivery", "StepKind", "SupplementRequest", "Workflow", "WorkflowStep",
]
