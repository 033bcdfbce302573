"""Payment channels: how money reaches a payment request other than at the cash desk.

Bank statement import and reconciliation (`services.statements`, `services.statement_parse`), the
bank's credit notification webhook (`services.bank_notify`), the payment gateway (`services.gateway`
with the provider adapters in `gateway/`). Each ends in `payments.services.apply.payment_record`'s
rules. `selectors`, `api`, `views` and `urls` serve them under /api/v1/payments/… and /thanh-toan/kenh/.
"""
