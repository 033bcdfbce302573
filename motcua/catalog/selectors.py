"""Reads of the public catalog. Procedures are public: no access check beyond is_active."""

import hashlib

from django.db.models import Count, Model, Q
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.text import fold

from .models import Field, Procedure

# The catalog pages kept for visitors, for the home page outside this app.
from .search import catalog_pages as catalog_pages


def field_list_with_counts():
    return list(
        Field.objects.annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(procedure_count__gt=0)
        .order_by("order", "name")
    )


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


def _values(row: Model) -> tuple:
    return tuple(value for name, value in sorted(vars(row).items()) if not name.startswith("_"))


def procedure_fingerprint(procedure: Procedure) -> bytes:
    """A digest of everything `procedure_detail` read (the procedure, its field, documents and fees):
    equal digests, equal pages."""
    rows = [_values(procedure), _values(procedure.field)]
    rows += [_values(document) for document in procedure.documents.all()]
    rows += [_values(fee) for fee in procedure.fees.all()]
    return hashlib.blake2b(repr(rows).encode(), digest_size=16).digest()


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
