"""Reads of core's records: people and accounts (`people`), administrative units (`units`).

The people selectors are re-exported here, the names other apps import.
"""

from motcua.core.selectors.people import (
    PERSONAL_ID_LENGTH,
    person_find_by_card,
    person_get_at_counter,
    person_get_for,
    person_list_for,
    person_scope_units_for,
    user_is_officer,
    user_scope_units,
    user_sees_all_people,
)

__all__ = [
    "PERSONAL_ID_LENGTH",
    "person_find_by_card",
    "person_get_at_counter",
    "person_get_for",
    "person_list_for",
    "person_scope_units_for",
    "user_is_officer",
    "user_scope_units",
    "user_sees_all_people",
]
