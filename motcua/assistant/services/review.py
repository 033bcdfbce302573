"""Officers' writes: FAQ entries, marking questions reviewed, adding everyday words to a procedure's
search keywords (the catalog's `keywords` field, which search indexes)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.catalog.search import build_search_text
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.text import fold
from motcua.core.transitions import audit_record

from .. import selectors
from ..models import Exchange, FaqEntry

KEYWORDS_MAX = Procedure._meta.get_field("keywords").max_length


def _require(user) -> None:
    if not selectors.may_review(user):
        raise PermissionDenied()


def faq_entry_save(
    *,
    actor,
    question: str,
    answer: str,
    procedure: Procedure | None = None,
    keywords: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    is_active: bool = True,
    entry: FaqEntry | None = None,
    from_exchange: Exchange | None = None,
) -> FaqEntry:
    """Create (entry=None) or change an FAQ entry; marks the question it came from as reviewed."""
    _require(actor)
    question, answer = (question or "").strip(), (answer or "").strip()
    if not question or not answer:
        raise DomainError(_("Cần nhập cả câu hỏi và câu trả lời."), code="faq_incomplete", status=422)
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(_("Ngày hết hiệu lực phải sau ngày bắt đầu."), code="faq_validity_invalid", status=422)
    with transaction.atomic():
        created = entry is None
        entry = entry or FaqEntry(created_by=actor)
        entry.question, entry.answer, entry.procedure = question[:500], answer, procedure
        entry.keywords, entry.is_active = (keywords or "").strip()[:500], is_active
        entry.valid_from, entry.valid_until = valid_from, valid_until
        entry.save()
        if from_exchange is not None:
            Exchange.objects.filter(pk=from_exchange.pk).update(reviewed=True)
        audit_record(
            actor=actor,
            action="assistant.faq_created" if created else "assistant.faq_changed",
            object_type="assistant.FaqEntry",
            object_id=str(entry.pk),
            data={"procedure": procedure.code if procedure else None},
        )
    return entry


def exchange_mark_reviewed(*, actor, exchange: Exchange) -> None:
    _require(actor)
    Exchange.objects.filter(pk=exchange.pk).update(reviewed=True)


def procedure_keywords_add(*, actor, procedure_code: str, words: str, exchange: Exchange | None = None) -> Procedure:
    """Add the folded words of a question to a procedure's keywords (once each), refresh its search text."""
    _require(actor)
    new = fold(words)
    if not new:
        raise DomainError(_("Không có từ khóa để thêm."), code="keywords_empty", status=422)
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().filter(code=procedure_code).first()
        if procedure is None:
            raise NotFound(_("Không có thủ tục với mã này."), code="procedure_not_found")
        existing = [k.strip() for k in procedure.keywords.split(",") if k.strip()]
        if new not in {fold(k) for k in existing}:
            combined = ", ".join([*existing, new])
            if len(combined) > KEYWORDS_MAX:
                raise DomainError(
                    _("Từ khóa của thủ tục đã quá %(limit)d ký tự; hãy rút gọn trong trang quản trị.")
                    % {"limit": KEYWORDS_MAX},
                    code="keywords_too_long",
                    status=422,
                )
            procedure.keywords = combined
            procedure.search_text = build_search_text(procedure)
            procedure.save(update_fields=["keywords", "search_text", "updated_at"])
        if exchange is not None:
            Exchange.objects.filter(pk=exchange.pk).update(reviewed=True)
        audit_record(
            actor=actor,
            action="catalog.procedure_keywords_added",
            object_type="catalog.Procedure",
            object_id=str(procedure.pk),
            data={"code": procedure.code, "words": new, "via": "assistant"},
        )
    return procedure
