from .mapcells import MapCell, MapCellTotal
from .reports import (
    OPEN_STATUSES,
    FieldReport,
    ReportChannel,
    ReportCodeSequence,
    ReportEvent,
    ReportFollower,
    ReportLink,
    ReportMedia,
    ReportOutcome,
    ReportStatus,
)
from .setup import Open311Client, ReportCategory, RoutingRule, ServiceArea

__all__ = [
    "OPEN_STATUSES", "FieldReport", "MapCell", "MapCellTotal", "Open311Client", "ReportCategory", "ReportChannel",
    "ReportCodeSequence", "ReportEvent", "ReportFollower", "ReportLink", "ReportMedia", "ReportOutcome",
    "ReportStatus", "RoutingRule", "ServiceArea",
]
