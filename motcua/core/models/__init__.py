from .accounts import Role, RoleAssignment, User
from .agencies import Agency, AgencyKind, Counter, OneStopOffice
from .audit import AuditEvent
from .base import Era, FoldedTextMixin, TimeStampedModel
from .calendar import CalendarOverride, OfficeHours, OverrideKind
from .people import Organisation, Person, Sex
from .throttle import ThrottleCounter
from .units import COMMUNE_KINDS, PROVINCE_KINDS, Hamlet, HamletKind, Unit, UnitKind

__all__ = [
    "COMMUNE_KINDS",
    "PROVINCE_KINDS",
    "Agency",
    "AgencyKind",
    "AuditEvent",
    "CalendarOverride",
    "Counter",
    "Era",
    "FoldedTextMixin",
    "Hamlet",
    "HamletKind",
    "OfficeHours",
    "OneStopOffice",
    "Organisation",
    "OverrideKind",
    "Person",
    "Role",
    "RoleAssignment",
    "Sex",
    "ThrottleCounter",
    "TimeStampedModel",
    "Unit",
    "UnitKind",
    "User",
]
