"""Reads for the assistant: FAQ matching, procedures by id, conversations, and the officers' review
list (with who may see it)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.models import Role
from motcua.core.scope import has_role, is_officer
from motcua.core.text import fold
from motcua.dossiers.models import Dossier

from .models import Conversation, Exchange, FaqEntry

# Who reviews questions and edits the FAQ: those who keep the catalog (managers) and administrators.
REVIEW_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)
# Below this the answer is a choice of procedures, and the question goes to the review list.
LOW_CONFIDENCE = 0.6
# Words too common to make two questions alike.
_STOP = frozenset(
    [
        "toi",
        "tui",
        "em",
        "minh",
        "ban",
        "anh",
        "chi",
        "co",
        "khong",
        "ko",
        "k",
        "thi",
        "la",
        "va",
        "voi",
        "cho",
        "cua",
        "o",
        "de",
        "can",
        "phai",
        "lam",
        "sao",
        "the",
        "nao",
        "gi",
        "nao",
        "duoc",
        "roi",
        "a",
        "ah",
        "nhe",
        "vay",
        "ha",
        "hoi",
        "muon",
        "xin",
    ]
)


def may_review(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or (is_officer(user) and has_role(user, REVIEW_ROLES))


def _require_reviewer(user) -> None:
    if not may_review(user):
        raise PermissionDenied()


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if w not in _STOP and len(w) > 1}


def faq_active(today: datetime.date | None = None) -> QuerySet[FaqEntry]:
    today = today or timezone.localdate()
    return FaqEntry.objects.filter(is_active=True).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today), Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def faq_match(folded: str, *, today: datetime.date | None = None) -> FaqEntry | None:
    """The active, valid FAQ entry closest to a folded question, or None when none is close enough.

    A keyword phrase of the entry found whole in the question matches; otherwise most of the entry's
    question words (at least two, and at least 60 percent of them) must be in the question.
    """
    text = f" {folded} "
    asked = _words(folded)
    best, best_score = None, 0.0
    for entry in faq_active(today).only("id", "question", "keywords", "answer", "procedure_id"):
        phrases = [fold(k) for k in entry.keywords.split(",") if fold(k)]
        if any(f" {p} " in text for p in phrases):
            score = 1.0 + max(len(p) for p in phrases if f" {p} " in text) / 100
        else:
            words = _words(entry.question)
            shared = len(words & asked)
            score = shared / len(words) if words and shared >= 2 else 0.0
            if score < 0.6:
                continue
        if score > best_score:
            best, best_score = entry, score
    return best


def procedures_by_ids(ids: list[int]) -> list[Procedure]:
    """Active procedures in the order given, with what the answers read (documents, fees)."""
    rows = Procedure.objects.filter(pk__in=ids, is_active=True).prefetch_related("documents", "fees")
    by_id = {p.pk: p for p in rows}
    return [by_id[i] for i in ids if i in by_id]


def conversation_current(*, public_id=None, channel: str, sender: str | None, idle_minutes: int) -> Conversation | None:
    """The conversation to continue: the one named (by its public id) or else the sender's latest on the
    channel, if it was active within `idle_minutes`; None to start afresh."""
    since = timezone.now() - datetime.timedelta(minutes=idle_minutes)
    rows = Conversation.objects.filter(updated_at__gte=since)
    if public_id:
        # The public id is the bearer's own: the portal's form and its script share one conversation.
        return rows.filter(public_id=public_id).first()
    if sender:
        return rows.filter(channel=channel, sender=sender).order_by("-updated_at").first()
    return None


def dossier_phone_matches(code: str, phone: str) -> bool:
    """Whether a verified phone is the applicant's phone of the dossier (the public lookup still answers)."""
    return Dossier.objects.filter(code=code.upper(), applicant_phone=phone).exists()


def review_queue(user, *, show: str = "open") -> QuerySet[Exchange]:
    """Questions for officers: unanswered or low-confidence ones not yet reviewed (show="open"), or all."""
    _require_reviewer(user)
    rows = Exchange.objects.select_related("conversation")
    if show == "open":
        rows = rows.filter(reviewed=False).filter(Q(answered=False) | Q(confidence__lt=LOW_CONFIDENCE))
    return rows.order_by("-created_at", "-id")


def exchange_for_review(user, exchange_id: int) -> Exchange:

    _require_reviewer(user)
    found = Exchange.objects.filter(pk=exchange_id).first()
    if found is None:
        raise NotFound(code="exchange_not_found")
    return found


def faq_list_for(user) -> QuerySet[FaqEntry]:
    _require_reviewer(user)
    return FaqEntry.objects.select_related("procedure").order_by("-is_active", "question")


def faq_get_for(user, entry_id: int) -> FaqEntry:

    _require_reviewer(user)
    found = FaqEntry.objects.filter(pk=entry_id).first()
    if found is None:
        raise NotFound(code="faq_not_found")
    return found


def conversation_exchanges(public_id: str | None, *, idle_minutes: int) -> list[Exchange]:
    """The exchanges of the bearer's own conversation (the portal keeps its id in the session)."""
    if not public_id:
        return []
    try:
        current = conversation_current(public_id=public_id, channel="", sender=None, idle_minutes=idle_minutes)
    except (ValueError, ValidationError):
        return []
    return list(current.exchanges.order_by("created_at", "id")) if current else []
