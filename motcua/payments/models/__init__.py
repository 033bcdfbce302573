from .payments import (
    BankStatementImport,
    BankStatementLine,
    CollectionAccount,
    GatewayTransaction,
    LineOutcome,
    Payment,
    PaymentMethod,
    PaymentRequest,
    PaymentRequestStatus,
    PaymentStatus,
)
from .receipts import Receipt, ReceiptSeries, ReceiptStatus

__all__ = [
    "BankStatementImport", "BankStatementLine", "CollectionAccount", "GatewayTransaction", "LineOutcome", "Payment",
    "PaymentMethod", "PaymentRequest", "PaymentRequestStatus", "PaymentStatus", "Receipt", "ReceiptSeries",
    "ReceiptStatus",
]
