"""The PDF: read back with pypdf, its QR decoded with zxing-cpp and followed to the verify page."""

import hashlib
import io
from urllib.parse import urlparse

import pypdf
import pytest
import zxingcpp
from PIL import Image

from motcua.payments.receipts.pdf import receipt_qr_png
from motcua.payments.receipts.services import receipt_cancel, receipt_replace

pytestmark = pytest.mark.django_db


def _pdf(receipt) -> bytes:
    with receipt.pdf.open("rb") as f:
        return f.read()


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _qr_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    texts = []
    for page in reader.pages:
        for image in page.images:
            picture = image.image.convert("L")
            # The embedded PNG has its quiet zone; scale up a little for the decoder all the same.
            picture = picture.resize((picture.width * 2, picture.height * 2), Image.NEAREST)
            texts += [barcode.text for barcode in zxingcpp.read_barcodes(picture)]
    return texts


def test_pdf_holds_the_numbers_and_the_amount_in_words(pay, receipt_of, agency_a):
    receipt = receipt_of(pay())
    data = _pdf(receipt)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == receipt.pdf_sha256
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait in points
    text = _text(data)
    assert "0000001" in text
    assert receipt.series.form in text and receipt.series.symbol in text
    assert "150.000" in text
    assert "Một trăm năm mươi nghìn đồng" in text
    assert "Trần Thị Mai" in text
    assert agency_a.name.upper() in text
    assert "Tiền mặt tại quầy" in text


def test_qr_in_the_pdf_opens_the_verify_page_which_says_genuine(client, pay, receipt_of):
    receipt = receipt_of(pay())
    texts = _qr_texts(_pdf(receipt))
    assert texts == [f"https://dichvucong.camau.test/bien-lai/{receipt.verify_token}/"]
    response = client.get(urlparse(texts[0]).path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-verdict="genuine"' in body
    assert "0000001" in body and "150.000" in body
    # The standalone PNG (the same code) decodes too.
    png = Image.open(io.BytesIO(receipt_qr_png(receipt)))
    assert [b.text for b in zxingcpp.read_barcodes(png)] == texts


def test_cancelled_receipt_shows_cancelled(client, pay, receipt_of, cashier_a):
    receipt = receipt_of(pay())
    receipt_cancel(receipt=receipt, actor=cashier_a, reason="Thu nhầm hồ sơ")
    body = client.get(urlparse(_qr_texts(_pdf(receipt))[0]).path).content.decode()
    assert 'data-verdict="cancelled"' in body and "Thu nhầm hồ sơ" in body
    assert 'data-verdict="genuine"' not in body


def test_replaced_receipt_names_its_successor_and_the_new_pdf_says_so(client, pay, receipt_of, cashier_a):
    receipt = receipt_of(pay())
    new = receipt_replace(receipt=receipt, actor=cashier_a, reason="Sai tên", payer_name="Trần Thị Mai Anh")
    body = client.get(f"/bien-lai/{receipt.verify_token}/").content.decode()
    assert 'data-verdict="replaced"' in body and f"{new.series.symbol} 0000002" in body
    text = _text(_pdf(new))
    assert "0000002" in text and "Thay thế biên lai" in text and "0000001" in text
    assert _qr_texts(_pdf(new)) == [f"https://dichvucong.camau.test/bien-lai/{new.verify_token}/"]


def test_unknown_token_is_not_genuine(client):
    response = client.get("/bien-lai/AAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert 'data-verdict="unknown"' in response.content.decode()
