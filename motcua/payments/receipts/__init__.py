"""E-receipts (biên lai điện tử): issue, number, cancel, replace, the PDF and the public check by QR.

`services` writes (the only module that creates a `Receipt`), `selectors` reads with the access check,
`pdf` renders the printed receipt, `words` writes amounts and masked names, `api` / `views` / `urls`
serve them under /api/v1/receipts and /bien-lai/. The models stay in `payments.models.receipts`.
"""
