from .procedures import (
    AgencyLevel,
    FeeItem,
    Field,
    OnlineLevel,
    Procedure,
    RequiredDocument,
)

__all__ = ["AgencyLevel", "FeeItem", "Field", "OnlineLevel", "Procedure", "RequiredDocument"]
