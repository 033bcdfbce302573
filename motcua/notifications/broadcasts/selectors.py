"""Reads for area broadcasts (thông báo diện rộng), with the access check in the same place.

Who may do what:
- officers holding an author role (receptionist, specialist, manager, leader) write broadcasts
  for the units of their roles; a province-level role covers every commune of the province;
- they see every broadcast owned by a unit in that scope;
- a leader whose scope covers the owning unit approves or rejects, never their own broadcast.
A broadcast outside the caller's scope is "not found", so an id typed by hand reveals nothing.

Counts are SQL aggregates (COUNT DISTINCT phone), never Python loops over people: a province
has millions of residents.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import PermissionDenied
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS, Hamlet, Person, Role, Unit
from motcua.core.scope import units_in_scope
from motcua.core.selectors.rows import row_get_by_id

from .. import sms
from ..models import Audience, Broadcast, BroadcastRecipient, BroadcastStatus, Message, MessageStatus
from .audiences import audience_source
from .states import APPROVER, AUTHOR, BROADCAST_MACHINE, PENDING_STATUSES

AUTHOR_ROLES = frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.MANAGER, Role.LEADER})
APPROVER_ROLES = frozenset({Role.LEADER})


# --- scope -------------------------------------------------------------------------------------


def scope_unit_ids(user, *, roles=AUTHOR_ROLES) -> set[int]:
    """Ids of the units (descendants included) the user's roles among `roles` cover."""
    if getattr(user, "is_superuser", False):
        return set(Unit.objects.values_list("pk", flat=True))
    return scope.covered_units(user, roles=roles)


def owner_unit_choices(user) -> list[Unit]:
    """The units a user may write broadcasts for: the units of their author roles."""
    if getattr(user, "is_superuser", False):
        return list(Unit.objects.filter(kind__in=PROVINCE_KINDS, parent__isnull=True).order_by("code"))
    units = scope.role_units(user, roles=AUTHOR_ROLES)
    return sorted(units, key=lambda u: (u.kind not in PROVINCE_KINDS, u.name_folded))


def area_unit_choices(owner_unit: Unit) -> QuerySet[Unit]:
    """The province itself (when the owner is the province) and the communes below the owner."""
    kinds = {*COMMUNE_KINDS, *PROVINCE_KINDS}
    return units_in_scope(owner_unit).filter(kind__in=kinds).order_by("-kind", "name_folded")


def area_hamlet_choices(owner_unit: Unit) -> QuerySet[Hamlet]:
    return (
        Hamlet.objects.filter(unit__in=units_in_scope(owner_unit))
        .select_related("unit")
        .order_by("unit__name_folded", "name")
    )


def broadcast_list_for(user) -> QuerySet[Broadcast]:
    units = scope_unit_ids(user)
    return Broadcast.objects.filter(owner_unit_id__in=units).select_related("owner_unit", "created_by")


def broadcast_get_for(user, broadcast_id) -> Broadcast:
    """One broadcast within the caller's scope; NotFound otherwise (never 403: see module doc)."""
    return row_get_by_id(broadcast_list_for(user), broadcast_id, code="broadcast_not_found")


def is_approver_for(user, broadcast: Broadcast) -> bool:
    return broadcast.owner_unit_id in scope_unit_ids(user, roles=APPROVER_ROLES)


def held_ties(*, broadcast: Broadcast, user) -> set[str]:
    """The user's ties to this broadcast (see `states`): its author, or an approver of its unit."""
    if user is None:
        return set()
    if broadcast.created_by_id == user.pk:
        return {AUTHOR}
    return {APPROVER} if is_approver_for(user, broadcast) else set()


def allowed_actions(*, broadcast: Broadcast, user) -> list[str]:
    """What this user may do now (the page shows these buttons, 409 answers list them)."""
    return BROADCAST_MACHINE.allowed(broadcast.status, held_ties(broadcast=broadcast, user=user))


# --- audience ----------------------------------------------------------------------------------


def expand_area_units(unit_ids) -> set[int]:
    """A province in the area stands for all its communes."""
    units = list(Unit.objects.filter(pk__in=list(unit_ids)))
    ids: set[int] = set()
    for unit in units:
        ids.update(units_in_scope(unit).values_list("pk", flat=True))
    return ids


def opted_out_phones() -> QuerySet:
    """Phones of people who refused broadcasts; used as a subquery so the check stays in SQL."""
    return Person.objects.filter(contact_preference__broadcast_opt_out=True).exclude(phone="").values("phone")


def _area_q(unit_ids: set[int], hamlet_ids: set[int]) -> Q:
    # The area is the union: whole communes plus single hamlets picked elsewhere.
    return Q(unit_id__in=unit_ids) | Q(hamlet_id__in=hamlet_ids)


def audience_rows(*, audience: str, unit_ids, hamlet_ids, broadcast_id: int | None = None) -> QuerySet:
    """One row per candidate (contact, person_id, name, unit_id, hamlet_id), opted-out excluded.

    `contact` is the phone; it may repeat (two people sharing one phone): count with
    `.values("contact").distinct()`.
    """
    units = expand_area_units(unit_ids or [])
    hamlets = set(hamlet_ids or [])
    if audience == Audience.CSV:
        rows = BroadcastRecipient.objects.filter(broadcast_id=broadcast_id, state=BroadcastRecipient.State.OK).exclude(
            phone__in=opted_out_phones()
        )
        return rows.values("unit_id", "hamlet_id", "person_id", "name", contact=F("phone"))
    source = audience_source(audience)
    if source is None:
        raise ValueError(audience)
    return source(_area_q(units, hamlets)).exclude(contact__in=opted_out_phones())


def audience_count(**kwargs) -> int:
    return audience_rows(**kwargs).order_by().values("contact").distinct().count()


@dataclass(frozen=True)
class Preview:
    recipients: int
    text: str
    encoding: str
    length: int
    segments: int
    per_segment: int
    remaining: int
    cost: int


def message_text(*, body: str, unaccented: bool) -> str:
    return sms.unaccented(body) if unaccented else body


def broadcast_preview(
    *, body: str, unaccented: bool, audience: str, unit_ids, hamlet_ids, broadcast_id: int | None = None
) -> Preview:
    text = message_text(body=body or "", unaccented=unaccented)
    info = sms.segments(text)
    if audience == Audience.CSV and broadcast_id is None:
        count = 0
    else:
        count = audience_count(audience=audience, unit_ids=unit_ids, hamlet_ids=hamlet_ids, broadcast_id=broadcast_id)
    return Preview(
        recipients=count,
        text=text,
        encoding=info.encoding,
        length=info.length,
        segments=info.segments,
        per_segment=info.per_segment,
        remaining=info.remaining,
        cost=sms.cost(info.segments, count),
    )


def broadcast_preview_for(broadcast: Broadcast) -> Preview:
    return broadcast_preview(
        body=broadcast.body,
        unaccented=broadcast.unaccented,
        audience=broadcast.audience,
        unit_ids=list(broadcast.units.values_list("pk", flat=True)),
        hamlet_ids=list(broadcast.hamlets.values_list("pk", flat=True)),
        broadcast_id=broadcast.pk,
    )


def csv_summary(broadcast: Broadcast) -> dict:
    """How the uploaded rows came out: {state: count} and the bad rows themselves."""
    counts = dict(
        BroadcastRecipient.objects.filter(broadcast=broadcast).values_list("state").annotate(n=Count("id")).order_by()
    )
    bad = list(
        BroadcastRecipient.objects.filter(broadcast=broadcast)
        .exclude(state=BroadcastRecipient.State.OK)
        .order_by("row_number")
        .values("row_number", "name", "phone", "state", "error")[:500]
    )
    return {"counts": {state: counts.get(state, 0) for state in BroadcastRecipient.State.values}, "bad_rows": bad}


# --- progress and report -----------------------------------------------------------------------


def broadcast_progress(broadcast: Broadcast) -> dict:
    counts = dict(Message.objects.filter(broadcast=broadcast).values_list("status").annotate(n=Count("id")).order_by())
    by_status = {status: counts.get(status, 0) for status in MessageStatus.values}
    total = sum(by_status.values())
    pending = sum(by_status[s] for s in PENDING_STATUSES)
    finished = total - pending
    return {
        "total": total,
        "pending": pending,
        "finished": finished,
        "percent": round(100 * finished / total) if total else (100 if broadcast.status == BroadcastStatus.DONE else 0),
        "by_status": by_status,
        # For pages: each status by its label, never its code.
        "status_rows": [(status, MessageStatus(status).label, n) for status, n in by_status.items() if n],
    }


def broadcast_report(broadcast: Broadcast) -> list[dict]:
    """Commune × hamlet × message status counts, one GROUP BY over the resolved recipients."""
    message_status = Subquery(
        Message.objects.filter(dedupe_key=Concat(Value(f"broadcast:{broadcast.pk}:"), OuterRef("phone"))).values(
            "status"
        )[:1]
    )
    rows = (
        BroadcastRecipient.objects.filter(broadcast=broadcast, state=BroadcastRecipient.State.OK)
        .annotate(message_status=message_status)
        .values("unit__name", "hamlet__name", "message_status")
        .annotate(n=Count("id"))
        .order_by("unit__name", "hamlet__name")
    )
    report: dict[tuple, dict] = {}
    for row in rows:
        key = (row["unit__name"] or "", row["hamlet__name"] or "")
        entry = report.setdefault(
            key,
            {"unit": key[0], "hamlet": key[1], "total": 0, **{s: 0 for s in MessageStatus.values}, "not_enqueued": 0},
        )
        entry[row["message_status"] or "not_enqueued"] += row["n"]
        entry["total"] += row["n"]
    return list(report.values())


REPORT_COLUMNS = ("total", *MessageStatus.values, "not_enqueued")


def report_csv(rows: list[dict]) -> str:
    """The per-area report as CSV (UTF-8 with BOM so that Excel shows Vietnamese correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    labels = dict(MessageStatus.choices)
    writer.writerow(
        [_("Xã, phường"), _("Ấp, khóm"), _("Tổng"), *[str(labels[s]) for s in MessageStatus.values], _("Chưa tạo tin")]
    )
    for row in rows:
        writer.writerow([row["unit"], row["hamlet"], *[row[c] for c in REPORT_COLUMNS]])
    return out.getvalue()


def check_area_in_scope(user, *, unit_ids, hamlet_ids) -> None:
    """A preview is an aggregate over people: only for areas the caller may write to."""
    units = scope_unit_ids(user)
    hamlet_ids = set(hamlet_ids or [])
    in_scope = Hamlet.objects.filter(pk__in=hamlet_ids, unit_id__in=units).count() == len(hamlet_ids)
    if not units or not set(unit_ids or []) <= units or not in_scope:
        raise PermissionDenied(code="not_in_scope")


def broadcast_preview_for_user(user, *, broadcast_id: int | None = None, **kwargs) -> Preview:
    if broadcast_id is not None:
        broadcast_get_for(user, broadcast_id)
    check_area_in_scope(user, unit_ids=kwargs.get("unit_ids"), hamlet_ids=kwargs.get("hamlet_ids"))
    return broadcast_preview(broadcast_id=broadcast_id, **kwargs)
