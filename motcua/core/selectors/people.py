"""Reads of people and accounts, with the access check in the same function.

Who may see whom (the rule itself lives in `motcua.core.scope`):
- a citizen sees only themselves;
- an officer sees the people their agency is handling something for (a dossier, a field report,
  a household of their area), the residents of the communes they work in, and themselves; a
  province department's officer does not browse the province's residents;
- a province manager or administrator (role scoped to the province unit) and a superuser may look
  anyone up beyond that, but only with a stated reason, and every such read is audited.
Anything outside is reported as "not found" so that an ID typed by hand does not reveal
whether that person exists.
"""

import re

from django.db.models import Q, QuerySet

from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import COMMUNE_KINDS, Era, Person, Role, Unit
from motcua.core.text import fold
from motcua.core.transitions import audit_record

_ID_SEPARATORS = re.compile(r"[\s.\-+]")
PERSONAL_ID_LENGTH = 12


def user_scope_units(user) -> set[int]:
    """Ids of the units an officer's roles cover, descendants included; empty for citizens."""
    return scope.covered_units(user)


def user_sees_all_people(user) -> bool:
    """Superusers and the province's system administrators may look up every person (with a reason)."""
    return scope.sees_everyone(user)


def user_is_officer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_officer or user.is_superuser))


def person_scope_units_for(user) -> QuerySet[Unit]:
    """The communes an officer may place a new person in (for form choices)."""
    if user_sees_all_people(user):
        units = Unit.objects.filter(era=Era.CURRENT, kind__in=COMMUNE_KINDS)
    else:
        units = Unit.objects.filter(pk__in=user_scope_units(user), kind__in=COMMUNE_KINDS)
    return units.order_by("name_folded")


def _search_condition(q: str) -> Q:
    compact = _ID_SEPARATORS.sub("", q)
    if compact.isdigit():
        condition = Q(personal_id__startswith=compact) | Q(old_id=compact)
        phone = normalize_phone_or_none(q)
        condition |= Q(phone=phone) if phone else Q(phone__contains=compact)
        return condition
    folded = fold(q)
    return Q(full_name_folded__contains=folded) if folded else Q()


def person_list_for(user, *, q: str | None = None, reason: str | None = None, via: str = "api") -> QuerySet[Person]:
    """The people this user may see, optionally searched by folded name, personal ID or phone.

    With a `reason`, a holder of the wide view searches everyone they may look up, and the search
    is audited; an unusable reason is refused (`reason_required`, `reason_too_long`). Without one,
    or for anyone else, the list is the people they reach through their work.
    """
    q = (q or "").strip()
    wide = scope.wide_people_for(user) if reason is not None and reason.strip() else None
    if wide is not None:
        text = scope.clean_reason(reason)
        scope.person_read_audit(actor=user, reason=text, via=via, query=q)
        people = wide
    else:
        people = scope.people_visible_to(user)
    people = people.select_related("unit", "hamlet")
    if q:
        people = people.filter(_search_condition(q))
    return people.order_by("full_name_folded", "id")


def person_get_for(user, person_id: int, *, reason: str | None = None, via: str = "api") -> Person:
    """One person, if this user may see them; NotFound otherwise (never 403: see module doc).

    A person outside the user's work but inside their wide view needs a `reason` (refused without
    one, before the lookup, so the refusal reveals nothing) and each such read is audited.
    """
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFound(code="person_not_found")
    people = Person.objects.select_related("unit", "hamlet")
    person = people.filter(scope.people_condition(user), pk=person_id).first()
    if person is not None:
        return person
    wide = scope.wide_people_for(user)
    if wide is None:
        raise NotFound(code="person_not_found")
    text = scope.clean_reason(reason)
    person = wide.select_related("unit", "hamlet").filter(pk=person_id).first()
    if person is None:
        raise NotFound(code="person_not_found")
    scope.person_read_audit(actor=user, reason=text, via=via, person_id=person.pk)
    return person


# --- the one-stop desk ------------------------------------------------------------------------


def _card_number(personal_id: str | None) -> str | None:
    compact = _ID_SEPARATORS.sub("", personal_id or "")
    return compact if len(compact) == PERSONAL_ID_LENGTH and compact.isdigit() else None


def person_find_by_card(user, personal_id: str | None, *, via: str = "page") -> Person | None:
    """The holder of a citizen ID card presented at a one-stop desk, or None.

    A receptionist receives citizens of anywhere (a province centre's desk has no area), so they
    may read the person whose complete 12-digit ID they hold (typed or scanned from the card) in
    order to receive their dossier; never by a partial number or a name. Each such read outside
    the officer's work is audited as `person.counter_lookup`.
    """
    number = _card_number(personal_id)
    if number is None:
        return None
    person = Person.objects.select_related("unit", "hamlet").filter(personal_id=number).first()
    if person is None:
        return None
    if Person.objects.filter(scope.people_condition(user), pk=person.pk).exists():
        return person
    if not scope.has_role(user, [Role.RECEPTIONIST]):
        return None
    audit_record(actor=user, action="person.counter_lookup", obj=person, data={"via": via})
    return person


def person_get_at_counter(user, person_id, *, personal_id: str | None, via: str = "page") -> Person:
    """`person_get_for`, or for a receptionist the holder of the presented card when it is that person."""
    try:
        return person_get_for(user, person_id, via=via)
    except DomainError as exc:  # not found, or a wide view without a reason: the desk has the card
        person = person_find_by_card(user, personal_id, via=via)
        if person is None or str(person.pk) != str(person_id).strip():
            raise NotFound(code="person_not_found") from exc
        return person
