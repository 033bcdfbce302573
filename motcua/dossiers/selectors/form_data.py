"""Reads for the application form (tờ khai): the values it opens with, and the answers as a
labelled list for the dossier pages and the API.

`form_initial` reads only the given person's own dossiers: callers pass the signed-in citizen's
person, or the person a receptionist has opened at the counter (already access-checked).
"""

from __future__ import annotations

import datetime
from typing import Any

from motcua.catalog.models import Procedure
from motcua.core.models import Person, Sex
from motcua.dossiers.models import Dossier

# How far back to look for an earlier dossier with answers to carry over.
_PREVIOUS_LOOKBACK = 5


def _person_value(person: Person, source: str, field: dict) -> str:
    attr = source.removeprefix("person.")
    if attr == "birth_date":
        return person.date_of_birth.isoformat() if person.date_of_birth else ""
    if attr == "sex":
        label = str(dict(Sex.choices).get(person.sex, "")) if person.sex else ""
        # A choice field offers its own labels ("Nam", "Nữ"); keep the prefill only when it is one of them.
        return label if field["type"] != "choice" or label in field.get("choices", []) else ""
    value = getattr(person, attr, "") or ""
    return str(value)


def previous_answers(person: Person, procedure: Procedure, *, exclude: Dossier | None = None) -> dict[str, Any]:
    """The latest answers this person gave for this procedure (drafts included), or {}."""
    dossiers = Dossier.objects.filter(applicant_person=person, procedure=procedure).order_by("-created_at", "-id")
    if exclude is not None and exclude.pk:
        dossiers = dossiers.exclude(pk=exclude.pk)
    for data in dossiers.values_list("form_data", flat=True)[:_PREVIOUS_LOOKBACK]:
        if data:
            return data
    return {}


def form_initial(procedure: Procedure, person: Person | None, *, current: Dossier | None = None) -> dict[str, Any]:
    """The values the form opens with, per field: a draft's own answers; else the account's data
    (`prefill`); else the latest earlier answer of the same person and procedure (`remember`);
    else the field's `default`."""
    schema = procedure.form_schema or []
    if current is not None and current.form_data:
        return {f["key"]: current.form_data.get(f["key"], "") for f in schema}
    previous = previous_answers(person, procedure, exclude=current) if person is not None else {}
    values: dict[str, Any] = {}
    for field in schema:
        key = field["key"]
        value: Any = ""
        if person is not None and field.get("prefill"):
            value = _person_value(person, field["prefill"], field)
        if value in ("", None) and field.get("remember"):
            value = previous.get(key, "")
        if value in ("", None):
            value = field.get("default", "")
        values[key] = value
    return values


def _display(field: dict | None, value: Any) -> str:
    if field is not None and field["type"] == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def form_answers(dossier: Dossier) -> list[dict[str, str]]:
    """The answers in the form's order with their labels (the form as the dossier was received
    under; answers to fields no longer in it last, under their keys)."""
    data = dossier.form_data or {}
    if not data:
        return []
    schema = (dossier.procedure_snapshot or {}).get("form_schema") or dossier.procedure.form_schema or []
    out = []
    for field in schema:
        if field["key"] in data and data[field["key"]] not in ("", None):
            out.append(
                {
                    "key": field["key"],
                    "label": field["label"],
                    "section": field.get("section", ""),
                    "value": _display(field, data[field["key"]]),
                }
            )
    known = {f["key"] for f in schema}
    out.extend(
        {"key": key, "label": key, "section": "", "value": _display(None, value)}
        for key, value in data.items()
        if key not in known
    )
    return out


def form_answer_groups(answers: list[dict[str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    """Consecutive answers of one section together, for the pages' definition lists."""
    groups: list[tuple[str, list[dict[str, str]]]] = []
    for answer in answers:
        if not groups or groups[-1][0] != answer["section"]:
            groups.append((answer["section"], []))
        groups[-1][1].append(answer)
    return groups
