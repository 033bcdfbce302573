"""Reads of the public catalog. Procedures are public: no access check beyond is_active."""

import hashlib
import json
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.text import fold

from .models import FeeItem, Field, Procedure, RequiredDocument

# The catalog pages kept for visitors, for the home page outside this app.
from .search import catalog_pages as catalog_pages
from .search import get_index


def field_list_with_counts():
    return list(
        Field.objects.annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(procedure_count__gt=0)
        .order_by("order", "name")
    )


def catalog_fields():
    """`field_list_with_counts`, read once per catalog version (see `search.get_index`)."""
    return get_index().kept("fields", field_list_with_counts)


def field_exists(slug: str) -> bool:
    return Field.objects.filter(slug=slug).exists()


def _procedure_not_found(code: str) -> NotFound:
    return NotFound(
        _("Không tìm thấy thủ tục hành chính có mã %(code)s, hoặc thủ tục đã ngừng áp dụng.") % {"code": code},
        code="procedure_not_found",
    )


def procedure_get(code: str) -> Procedure:
    """The active procedure with this code (its field loaded), or NotFound."""
    try:
        return Procedure.objects.select_related("field").get(code=code, is_active=True)
    except Procedure.DoesNotExist:
        raise _procedure_not_found(code)


def procedure_detail(code: str) -> Procedure:
    """`procedure_get` with its documents and fees loaded, for the detail page and API."""
    try:
        return (
            Procedure.objects.select_related("field")
            .prefetch_related("documents", "fees")
            .get(code=code, is_active=True)
        )
    except Procedure.DoesNotExist:
        raise _procedure_not_found(code)


@cache
def _stamp_sql(vendor: str) -> str:
    """One statement reading every column of the procedure, its field, its documents and its fees (the
    rows `procedure_detail` loads), written once per process from the models' tables and columns."""
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def columns(model, alias: str) -> str:
        return ", ".join(f"{alias}.{q(f.column)}" for f in model._meta.concrete_fields)

    def rows(model, alias: str) -> str:
        # Row order only matters for how often a kept page is reused, never for which page is shown.
        if vendor == "postgresql":
            agg = f"json_agg(json_build_array({columns(model, alias)}) ORDER BY {alias}.{q('id')})"
        else:
            agg = f"json_group_array(json_array({columns(model, alias)}))"
        return f"(SELECT {agg} FROM {table(model)} {alias} WHERE {alias}.{q('procedure_id')} = p.{q('id')})"

    return (
        f"SELECT {columns(Procedure, 'p')}, {columns(Field, 'f')},"
        f" {rows(RequiredDocument, 'd')}, {rows(FeeItem, 'e')}"
        f" FROM {table(Procedure)} p JOIN {table(Field)} f ON f.{q('id')} = p.{q('field_id')}"
        f" WHERE p.{q('code')} = %s AND p.{q('is_active')} = %s"
    )


def _rows_of(model, raw) -> list:
    """Model instances from one of the statement's aggregated rows (JSON arrays of every column)."""
    values = json.loads(raw) if isinstance(raw, str) else raw or []
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    rows = [model.from_db(None, names, [f.to_python(v) for f, v in zip(fields, row, strict=True)]) for row in values]
    return sorted(rows, key=lambda r: (r.order, r.pk))  # the models' ordering


def _prefetched(procedure: Procedure, name: str, rows: list) -> None:
    qs = getattr(procedure, name).all()
    qs._result_cache, qs._prefetch_done = rows, True
    procedure._prefetched_objects_cache[name] = qs


@dataclass(frozen=True)
class ProcedurePage:
    """What the procedure page shows, as one statement read it: `stamp` is a digest of every column
    (equal stamps, equal pages); `procedure()` builds the models only when the page is rendered."""

    code: str
    stamp: bytes
    documents: object
    fees: object

    def procedure(self) -> Procedure | None:
        """The active procedure with its field, and its documents and fees as read with the stamp."""
        procedure = Procedure.objects.select_related("field").filter(code=self.code, is_active=True).first()
        if procedure is not None:
            procedure._prefetched_objects_cache = {}
            _prefetched(procedure, "documents", _rows_of(RequiredDocument, self.documents))
            _prefetched(procedure, "fees", _rows_of(FeeItem, self.fees))
        return procedure


def procedure_page_read(code: str) -> ProcedurePage | None:
    """The public procedure page's data in one statement, without building models; None when no
    active procedure has this code."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(connection.vendor), [code, True])
        row = cursor.fetchone()
    if row is None:
        return None
    stamp = hashlib.blake2b(repr(row).encode(), digest_size=16).digest()
    return ProcedurePage(code=code, stamp=stamp, documents=row[-2], fees=row[-1])


# The public pages (views.py, poster.py) prefer "None means 404" to an exception.


def procedure_get_public(*, code: str) -> Procedure | None:
    """The active procedure with its field, documents and fees, or None."""
    try:
        return procedure_detail(code)
    except NotFound:
        return None


def field_get_public(*, slug: str) -> Field | None:
    return Field.objects.filter(slug=slug).first()


def procedure_list_public(*, field: Field, level: str | None = None) -> list[Procedure]:
    """Active procedures of a field, by name (the field is the one given: no extra query for it)."""
    qs = Procedure.objects.filter(field=field, is_active=True).order_by("name")
    if level:
        qs = qs.filter(level=level)
    procedures = list(qs)
    for procedure in procedures:
        procedure.field = field
    # Sorted on folded names: database collations put "Đăng ký" after "Thay đổi".
    return sorted(procedures, key=lambda p: (fold(p.name), p.code))
