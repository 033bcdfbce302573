"""The allowed cells of the access matrix, written out by hand (never derived from the code under test).

Rows: roles. Columns per role: the kinds of record, each read through a page and through the API.
A cell value lists which of the four relations may be read:

    O  own               the citizen's own record; an officer's own agency's (or area's) record
    C  other commune     a record of commune B's committee, about a resident of commune B
    D  other department  a record a province department handles (Justice; Health for Justice's officer)
    X  other citizen     another citizen's record; for Justice's officer, a commune A citizen's

"" = none of them. A value starting with "r:" = readable only with a stated reason (the wide view:
without one the answer is 403 `reason_required`, with one 200 and an audit row). None = the kind has
no such surface (no API for a dossier file or a rating; a rating is read on its dossier's rating page).
"""

KINDS = (
    "person",
    "dossier",
    "dossier_file",
    "message",
    "field_report",
    "household",
    "payment_request",
    "receipt",
    "rating",
)
RELATIONS = ("O", "C", "D", "X")

# Which subject of the world (see world.py) stands for each relation, per role.
_DEFAULT_SUBJECTS = {"O": "AN", "C": "B", "D": "J", "X": "X"}
SUBJECT_OF = {
    "citizen": _DEFAULT_SUBJECTS,
    "one_stop_officer": _DEFAULT_SUBJECTS,
    "specialist": _DEFAULT_SUBJECTS,
    "leader": _DEFAULT_SUBJECTS,
    "cashier": _DEFAULT_SUBJECTS,
    "report_handler": _DEFAULT_SUBJECTS,
    "team_member": _DEFAULT_SUBJECTS,
    "commune_manager": _DEFAULT_SUBJECTS,
    "department_officer": {"O": "J", "C": "B", "D": "H", "X": "AN"},
    "province_manager": _DEFAULT_SUBJECTS,
    "administrator": _DEFAULT_SUBJECTS,
}

# role -> kind -> (page, api)
EXPECTED = {
    "citizen": {
        "person": ("", "O"),  # the officers' people pages are not for citizens (403)
        "dossier": ("O", "O"),
        "dossier_file": ("O", None),
        "message": ("O", "O"),
        "field_report": ("O", "O"),
        "household": ("", ""),
        "payment_request": ("O", "O"),
        "receipt": ("O", "O"),
        "rating": ("O", None),
    },
    "one_stop_officer": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("OX", "OX"),
        "field_report": ("", ""),
        "household": ("", ""),
        "payment_request": ("OX", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "specialist": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("OX", "OX"),
        "field_report": ("", ""),
        "household": ("", ""),
        "payment_request": ("", "OX"),  # the cash desk page is the cashiers' and receptionists'
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "leader": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("OX", "OX"),
        "field_report": ("", ""),
        "household": ("OX", "OX"),  # a commune leader sees the commune's households
        "payment_request": ("", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "cashier": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("OX", "OX"),
        "field_report": ("", ""),
        "household": ("", ""),
        "payment_request": ("OX", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "report_handler": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("OX", "OX"),
        "field_report": ("OX", "OX"),
        "household": ("", ""),
        "payment_request": ("", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "team_member": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("", ""),  # no agency of its own: no message contents
        "field_report": ("", ""),
        "household": ("OX", "OX"),
        "payment_request": ("", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "commune_manager": {
        "person": ("OX", "OX"),
        "dossier": ("OX", "OX"),
        "dossier_file": ("OX", None),
        "message": ("", ""),
        "field_report": ("OX", "OX"),
        "household": ("OX", "OX"),
        "payment_request": ("", "OX"),
        "receipt": ("OX", "OX"),
        "rating": ("", None),
    },
    "department_officer": {
        "person": ("O", "O"),  # only through the department's own dossiers: not the province's residents
        "dossier": ("O", "O"),
        "dossier_file": ("O", None),
        "message": ("O", "O"),
        "field_report": ("", ""),
        "household": ("", ""),
        "payment_request": ("", "O"),
        "receipt": ("O", "O"),
        "rating": ("", None),
    },
    "province_manager": {
        "person": ("r:OCDX", "r:OCDX"),
        "dossier": ("OCDX", "OCDX"),
        "dossier_file": ("OCDX", None),
        "message": ("", ""),
        "field_report": ("OCDX", "OCDX"),
        "household": ("", ""),  # figures only, never the households
        "payment_request": ("", "OCDX"),
        "receipt": ("OCDX", "OCDX"),
        "rating": ("", None),
    },
    "administrator": {
        "person": ("r:OCDX", "r:OCDX"),
        "dossier": ("OCDX", "OCDX"),
        "dossier_file": ("OCDX", None),
        "message": ("", ""),
        "field_report": ("OCDX", "OCDX"),
        "household": ("", ""),
        "payment_request": ("", "OCDX"),
        "receipt": ("OCDX", "OCDX"),
        "rating": ("", None),
    },
}

# roles x kinds x surfaces that exist (16 per role) x relations: 11 x 16 x 4.
CELL_COUNT = 704
