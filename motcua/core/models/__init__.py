from .accounts import PersonProof, Role, RoleAssignment, User
from .agencies import Agency, AgencyKind, Counter, OneStopOffice
from .audit import AuditEvent
from .base import Era, EventLogEntry, FoldedTextMixin, TimeStampedModel, optional_fk, set_null_fk, set_null_one_to_one
from .calendar import DAY_OFF_KINDS, CalendarOverride, OfficeHours, OverrideKind
from .people import Organisation, Person, Sex
from .throttle import ThrottleCounter
from .units import COMMUNE_KINDS, PROVINCE_KINDS, Hamlet, HamletKind, Unit, UnitKind

__all__ = [
    "COMMUNE_KINDS",
    "PROVINCE_KINDS",
    "Agency",
    "AgencyKind",
    "AuditEvent",
    "DAY_OFF_KINDS",
    "CalendarOverride",
    "Counter",
    "Era",
    "EventLogEntry",
    "FoldedTextMixin",
    "Hamlet",
    "HamletKind",
    "OfficeHours",
    "OneStopOffice",
    "Organisation",
    "OverrideKind",
    "Person",
    "PersonProof",
    "Role",
    "RoleAssignment",
    "Sex",
    "ThrottleCounter",
    "TimeStampedModel",
    "Unit",
    "UnitKind",
    "User",
    "optional_fk",
    "set_null_fk",
    "set_null_one_to_one",
]
