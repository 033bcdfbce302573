from .procedures import (
    AgencyLevel,
    FeeItem,
    FeeKind,
    Field,
    OnlineLevel,
    Procedure,
    RequiredDocument,
)

__all__ = ["AgencyLevel", "FeeItem", "FeeKind", "Field", "OnlineLevel", "Procedure", "RequiredDocument"]
