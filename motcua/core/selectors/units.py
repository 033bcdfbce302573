"""Reads of administrative units and hamlets.

Units are public data: there is no access check here. Callers that scope people's access
(officers' roles) build on `motcua.core.scope.units_in_scope`.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.models import PROVINCE_KINDS, Era, Hamlet, Unit


def _with_links(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    return queryset.select_related("parent").prefetch_related("legacy_sources", "successors")


def unit_list(*, parent_code: str | None = None, era: str = Era.CURRENT) -> QuerySet[Unit]:
    """The provinces of an era (no parent given), or the direct children of one unit.

    Raises NotFound when the parent code does not exist in that era.
    """
    if parent_code is None or parent_code == "":
        queryset = Unit.objects.filter(era=era, parent__isnull=True, kind__in=PROVINCE_KINDS)
    else:
        parent = unit_get(code=parent_code, era=era)
        queryset = Unit.objects.filter(parent=parent)
    return _with_links(queryset).order_by("code")


def unit_get(*, code: str, era: str = Era.CURRENT) -> Unit:
    """One unit by code within an era; the era matters because codes were reused in 2025."""
    unit = _with_links(Unit.objects.filter(era=era, code=code)).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị hành chính mã %(code)s.") % {"code": code}, code="unit_not_found")
    return unit


def unit_get_province(*, code: int | str | None = None) -> Unit:
    """The current-era province this installation serves (settings.PROVINCE_CODE by default)."""
    raw = settings.PROVINCE_CODE if code is None else code
    return unit_get(code=f"{int(raw):02d}", era=Era.CURRENT)


def communes_of(province: Unit) -> QuerySet[Unit]:
    """The current communes, wards and special zones of a province, ordered by code."""
    return Unit.objects.filter(parent=province, era=province.era).order_by("code")


def hamlet_list(*, unit: Unit) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(unit=unit).order_by("code", "name")
