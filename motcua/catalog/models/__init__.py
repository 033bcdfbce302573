from .procedures import (
    AgencyLevel,
    FeeItem,
    FeeKind,
    Field,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    ResultSignature,
)

__all__ = ["AgencyLevel", "FeeItem", "FeeKind", "Field", "OnlineLevel", "Procedure", "RequiredDocument", "ResultSignature"]
