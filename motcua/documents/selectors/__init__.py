"""Reads of documents: every query starts from what the officer may see."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet, Value

from motcua.core import calendar, scope
from motcua.core.errors import NotFound
from motcua.core.shortcuts import id_param
from motcua.core.text import fold
from motcua.core.transitions import audit_record

from ..access import headed_agency_condition, visible_agencies
from ..models import Confidentiality, DocumentType, IncomingDocument, OutgoingDocument


def _confidential_condition(model, user) -> Q:
    """Normal rows, or confidential ones naming this user, or of an agency this user heads."""
    through = model.readers.through
    named = through.objects.filter(user_id=user.pk).values(f"{model._meta.model_name}_id")
    return Q(confidentiality=Confidentiality.NORMAL) | Q(pk__in=named) | headed_agency_condition(user)


def _base(model, user, *, agency_id: int | None = None, resolved: bool = False) -> QuerySet:
    """The rows this officer may see; `resolved` reads the agencies first (one small query).

    A search passes `resolved=True`: with the agency ids as constants, a single agency becomes
    `agency_id = N`, and the book's indexes (agency, year, number …) then give the rows already in
    the book's order, so the first page stops after 50 matches instead of sorting every match.
    """
    if not scope.is_officer(user):
        return model.objects.none()
    if resolved or agency_id:
        ids = list(visible_agencies(user).values_list("pk", flat=True))
        if agency_id:
            ids = [pk for pk in ids if pk == agency_id]
        if not ids:
            return model.objects.none()
        rows = model.objects.filter(agency_id=ids[0]) if len(ids) == 1 else model.objects.filter(agency_id__in=ids)
    else:
        rows = model.objects.filter(agency__in=visible_agencies(user))
    if user.is_superuser:
        return rows
    # Confidential rows: the named people and the head only (subqueries keep rows distinct).
    return rows.filter(_confidential_condition(model, user))


def incoming_visible_to(user) -> QuerySet[IncomingDocument]:
    return _base(IncomingDocument, user)


def outgoing_visible_to(user) -> QuerySet[OutgoingDocument]:
    return _base(OutgoingDocument, user)


def _text_condition(rows: QuerySet, q: str) -> tuple[QuerySet, Q]:
    """The rows annotated as the text search needs, and the condition matching `q`."""
    folded = fold(q).strip()
    if not folded:
        return rows, Q()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        rows = rows.annotate(_sv=SearchVector("search_folded", config="simple"))
        return rows, Q(_sv=SearchQuery(folded, config="simple", search_type="plain"))
    condition = Q()
    for token in folded.split():
        condition &= Q(search_folded__contains=token)
    return rows, condition


def _text_search(rows: QuerySet, q: str) -> QuerySet:
    rows, condition = _text_condition(rows, q)
    return rows.filter(condition)


def _type_filter(rows: QuerySet, code: str) -> QuerySet:
    """The type by its id (a constant the (agency, doc_type, year, number) index can use), not a join."""
    type_id = DocumentType.objects.filter(code=code).values_list("pk", flat=True).first()
    return rows.filter(doc_type_id=type_id) if type_id else rows.none()


def _period(rows, field: str, date_from: datetime.date | None, date_to: datetime.date | None):
    """Local calendar days, as a range on the timestamp (so its index serves)."""
    tz = calendar.local_tz()
    if date_from:
        rows = rows.filter(**{f"{field}__gte": datetime.datetime.combine(date_from, datetime.time.min, tz)})
    if date_to:
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tz)
        rows = rows.filter(**{f"{field}__lt": end})
    return rows


def incoming_search(
    user,
    *,
    q: str = "",
    number: int | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    doc_type: str = "",
    status: str = "",
    assignee_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    before: tuple[int, int] | None = None,
) -> QuerySet[IncomingDocument]:
    """The incoming book filtered: text (number, code, sender, summary, full text), period, type…

    In the book's order (newest number first). Agency and type are resolved to ids first, so the
    conditions are equalities on the indexed columns: see docs/documents.md, "Search speed".
    """
    rows = _base(IncomingDocument, user, agency_id=agency_id, resolved=True)
    q = (q or "").strip()
    typed_number = id_param(q) if len(q) < 10 else None
    if typed_number is not None and number is None:
        # A bare number is the incoming number (or part of a code such as "125/QĐ-UBND"). The
        # number's few rows are read first: `id IN (…) OR text` lets PostgreSQL OR two index scans,
        # where `incoming_number = N OR text` had it walk the whole book looking for the number.
        by_number = list(rows.filter(incoming_number=typed_number).values_list("pk", flat=True)[:200])
        rows, condition = _text_condition(rows, q)
        rows = rows.filter(Q(pk__in=by_number) | condition)
    elif q:
        rows = _text_search(rows, q)
    if number is not None:
        rows = rows.filter(incoming_number=number)
    if year:
        rows = rows.filter(year=year)
    if doc_type:
        rows = _type_filter(rows, doc_type)
    if status:
        rows = rows.filter(status=status)
    if assignee_id:
        rows = rows.filter(assignments__user_id=assignee_id).distinct()
    rows = _period(rows, "received_at", date_from, date_to)
    if before is not None:
        rows = _before(rows, *before)
    return rows.select_related("doc_type", "agency").order_by("-year", "-incoming_number")


def _row(*values) -> Func:
    """A row value, "(a, b)": compared as a whole, so PostgreSQL seeks the (agency, year, number)
    index straight to it (SQLite has row values too)."""
    return Func(*values, function="", output_field=IntegerField())


def _before(rows: QuerySet, year: int, number: int) -> QuerySet:
    """Keyset paging: the entries after (year, number) in the book's order (newest first), found by
    an index seek rather than by reading and dropping every earlier row as an offset does."""
    return rows.alias(_book_key=_row(F("year"), F("incoming_number"))).filter(
        _book_key__lt=_row(Value(year), Value(number))
    )


def outgoing_search(
    user,
    *,
    q: str = "",
    year: int | None = None,
    agency_id: int | None = None,
    doc_type: str = "",
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[OutgoingDocument]:
    rows = _base(OutgoingDocument, user, agency_id=agency_id, resolved=True)
    if q and q.strip():
        rows = _text_search(rows, q)
    if year:
        rows = rows.filter(year=year)
    if doc_type:
        rows = _type_filter(rows, doc_type)
    if status:
        rows = rows.filter(status=status)
    rows = _period(rows, "issued_at", date_from, date_to)
    return rows.select_related("doc_type", "agency").order_by("-created_at")


def _read(rows, pk, user, *, audit: bool):
    document = rows.filter(pk=pk).first()
    if document is None:
        raise NotFound(code="document_not_found")
    if audit or document.is_confidential:
        audit_record(
            actor=user, action="documents.read", obj=document, data={"confidentiality": document.confidentiality}
        )
    return document


def incoming_get_for(user, pk, *, audit: bool = True) -> IncomingDocument:
    """One incoming document this officer may see; the read is audited."""
    return _read(incoming_visible_to(user).select_related("doc_type", "agency"), pk, user, audit=audit)


def outgoing_get_for(user, pk, *, audit: bool = True) -> OutgoingDocument:
    return _read(outgoing_visible_to(user).select_related("doc_type", "agency"), pk, user, audit=audit)


def my_assignments(user) -> QuerySet[IncomingDocument]:
    """Incoming documents assigned to this officer and not done yet (their workspace)."""
    return incoming_visible_to(user).filter(assignments__user=user).exclude(status="done").distinct()


def my_overdue_count(user, now) -> int:
    return my_assignments(user).filter(handling_due__lt=now).count()


def awaiting_leader(user) -> QuerySet[IncomingDocument]:
    """Documents registered or presented, waiting for this leader's instruction."""
    return (
        incoming_visible_to(user)
        .filter(status__in=["registered", "presented"])
        .filter(
            headed_agency_condition(user) | Q(agency__in=scope.assignments(user, roles=["leader"]).values("agency_id"))
        )
    )


def incoming_for_dossier(user, dossier) -> QuerySet[IncomingDocument]:
    """The incoming documents linked to `dossier` that this officer may see (a confidential one only
    for its named people and the head: the dossier page never reveals it to anyone else)."""
    return incoming_visible_to(user).filter(dossiers=dossier).select_related("doc_type", "agency")


def dossiers_linked_to(user, document: IncomingDocument):
    """The dossiers linked to `document` that this user may see."""
    from motcua.dossiers.selectors import dossiers_visible_to

    linked = document.dossiers.values("pk")
    return dossiers_visible_to(user).filter(pk__in=linked).select_related("procedure").order_by("code")
