from .procedures import (
    AgencyLevel,
    FeeItem,
    Field,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    ResultSignature,
)

__all__ = ["AgencyLevel", "FeeItem", "Field", "OnlineLevel", "Procedure", "RequiredDocument", "ResultSignature"]
