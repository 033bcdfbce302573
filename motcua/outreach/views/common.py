"""What the outreach pages share: who may open them, the indicator grid."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from ..models import IndicatorScope
from ..selectors.area import outreach_area_for
from ..selectors.teams import indicator_list


def outreach_required(view):
    """Signed-in users with an outreach area (team, commune leader, provincial manager)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.outreach_area = outreach_area_for(request.user)
        area = request.outreach_area
        if not (area.everything or area.team_ids or area.aggregate_unit_ids or area.unit_ids):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def households_required(view):
    """Pages listing households: never for aggregate-only users (provincial managers)."""

    @wraps(view)
    @outreach_required
    def wrapper(request, *args, **kwargs):
        if not request.outreach_area.sees_households:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def indicator_grid(household, achieved: set[tuple[int | None, int]]):
    """Rows of (member, [(indicator, achieved)]) for person indicators, and the household row."""
    indicators = list(indicator_list())
    person = [i for i in indicators if i.applies_to == IndicatorScope.PERSON]
    whole = [
        i
        for i in indicators
        if i.applies_to == IndicatorScope.HOUSEHOLD and (household.is_business or not i.business_only)
    ]
    rows = [(m, [(i, (m.pk, i.pk) in achieved) for i in person]) for m in household.members.all()]
    return person, rows, [(i, (None, i.pk) in achieved) for i in whole]
