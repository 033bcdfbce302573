"""A file that is not a statement (a PNG, a PDF) is refused with a clear 4xx; UTF-16 text is read."""

import io

import pytest

from motcua.payments.channels.services.statement_parse import StatementFormatError, statement_parse
from motcua.payments.models import BankStatementImport
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes

from .test_statements import PREAMBLE, csv_bytes

pytestmark = pytest.mark.django_db


def _upload(client, account, content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/api/v1/payments/statements", {"file": upload, "account_id": account.pk})


@pytest.mark.parametrize("name", ["sao-ke.png", "sao-ke.csv"])
def test_png_posted_as_statement_is_400(client, account_a, cashier_a, name):
    client.force_login(cashier_a)
    response = _upload(client, account_a, image_bytes("PNG"), name)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "statement_not_text"
    assert "CSV hoặc Excel" in body["message"]
    assert not BankStatementImport.objects.exists()


def test_pdf_posted_as_statement_is_400(client, account_a, cashier_a):
    client.force_login(cashier_a)
    response = _upload(client, account_a, pdf_bytes(), "sao-ke.pdf")
    assert response.status_code == 400 and response.json()["code"] == "statement_not_text"


def test_one_nul_byte_in_otherwise_text_is_refused():
    content = csv_bytes([[1, "05/11/2026", "FT1", "", "8.000", "x"]]) + b"\x00"
    with pytest.raises(StatementFormatError) as refused:
        statement_parse(file_name="a.csv", content=content)
    assert refused.value.code == "statement_not_text"


def test_utf16_text_export_is_read():
    # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab separated.
    rows = [*PREAMBLE, [1, "05/11/2026", "FT1", "", "8.000", "Thanh toan"]]
    text = "\r\n".join("\t".join(str(c) for c in row) for row in rows)
    lines = statement_parse(file_name="a.txt", content=text.encode("utf-16"))
    assert [(line.bank_txn_id, line.credit) for line in lines] == [("FT1", 8000)]
