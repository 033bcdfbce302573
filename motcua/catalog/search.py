"""Procedure search. INTERFACE STUB: the search work replaces the internals, keeping signatures."""

from dataclasses import dataclass

from motcua.core.text import fold

from .models import Procedure


def build_search_text(procedure: Procedure) -> str:
    """Folded text stored on the procedure for search (name, keywords, field, result)."""
    parts = [procedure.name, procedure.keywords, procedure.field.name if procedure.field_id else "", procedure.result_type]
    return fold(" ".join(p for p in parts if p))


@dataclass(frozen=True)
class SearchHit:
    procedure: Procedure
    score: float


def search_procedures(query: str, *, field: str | None = None, level: str | None = None, limit: int = 50) -> list[SearchHit]:
    """Active procedures matching `query` (any accents, typos, everyday words), best first.

    `field` is a Field slug, `level` an AgencyLevel value. An empty query lists all, by name.
    """
    qs = Procedure.objects.filter(is_active=True).select_related("field")
    if field:
        qs = qs.filter(field__slug=field)
    if level:
        qs = qs.filter(level=level)
    folded = fold(query)
    hits = [SearchHit(p, 1.0) for p in qs if not folded or folded in p.search_text]
    return hits[:limit]
