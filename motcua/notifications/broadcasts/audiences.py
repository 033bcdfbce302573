"""Who a broadcast can reach: a registry of audience sources.

An audience source turns an area (a condition on `unit_id` / `hamlet_id`) into candidate rows with
the keys `contact` (a phone), `person_id`, `name`, `unit_id` and `hamlet_id`, as a lazy values
queryset (the sending step runs it as one INSERT … SELECT). Notifications knows people (core) and
registers the residents; apps above it register their own audiences in their `AppConfig.ready`
(outreach: household heads), so that notifications never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F, Q, QuerySet

from motcua.core.models import Person

AudienceSource = Callable[[Q], QuerySet]
_sources: dict[str, AudienceSource] = {}


def register_audience_source(audience: str, source: AudienceSource) -> None:
    """Let an app say how `audience` (an `Audience` value) is found in an area."""
    _sources[audience] = source


def audience_source(audience: str) -> AudienceSource | None:
    return _sources.get(audience)


def residents_audience(area: Q) -> QuerySet:
    """Everyone living in the area with a phone number."""
    return (
        Person.objects.filter(area)
        .exclude(phone="")
        .values("unit_id", "hamlet_id", contact=F("phone"), person_id=F("pk"), name=F("full_name"))
    )
