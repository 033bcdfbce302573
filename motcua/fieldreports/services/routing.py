"""Which agency handles a report: the most specific RoutingRule, else the commune's People's Committee."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import Agency, AgencyKind, Unit

from ..models import ReportCategory, RoutingRule


def _category_chain(category: ReportCategory) -> list[int]:
    # A rule on a parent group covers its leaves; the leaf's own rule is more specific.
    chain, seen = [], set()
    node = category
    while node is not None and node.pk not in seen:
        chain.append(node.pk)
        seen.add(node.pk)
        node = node.parent
    return chain


def route_agency(*, category: ReportCategory, unit: Unit) -> Agency:
    chain = _category_chain(category)
    rules = list(
        RoutingRule.objects.filter(
            Q(category_id__in=chain) | Q(category__isnull=True), Q(unit=unit) | Q(unit__isnull=True)
        ).select_related("agency").exclude(category__isnull=True, unit__isnull=True)
    )

    def rank(rule: RoutingRule) -> tuple:
        # Category+unit beats category alone beats unit alone; nearer category beats parent group.
        depth = chain.index(rule.category_id) if rule.category_id else len(chain)
        if rule.category_id and rule.unit_id:
            tier = 0
        elif rule.category_id:
            tier = 1
        else:
            tier = 2
        return (tier, depth)

    rules = [r for r in rules if r.agency.is_active]
    if rules:
        return min(rules, key=rank).agency
    agency = (
        Agency.objects.filter(unit=unit, kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).order_by("code").first()
    )
    if agency is None:
        raise DomainError(
            _("Chưa có cơ quan tiếp nhận phản ánh cho %(unit)s.") % {"unit": unit.name},
            code="no_agency",
            status=422,
        )
    return agency
