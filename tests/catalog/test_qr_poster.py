"""QR codes (SVG, PNG) and the A4 QR poster: real files, decoded with zxing-cpp and read with pypdf."""

import io
import re
import unicodedata
import xml.etree.ElementTree as ET

import pypdf
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image, ImageDraw

from motcua.catalog.poster import field_poster_pdf
from motcua.catalog.qr import procedure_qr_png, procedure_qr_svg
from tests.catalog.pages_seed import seed_public_catalog
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


@pytest.fixture
def catalog():
    return seed_public_catalog()


def _decode(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def rasterise_segno_svg(svg: str, pixels_per_module: int = 6) -> Image.Image:
    """Draw segno's SVG path (absolute M, relative m and h, one-unit strokes) onto a bitmap.

    There is no SVG renderer among the dependencies; segno's path language is tiny, and drawing it
    exactly is a faithful check that the SVG file itself holds the code (the browser test also
    decodes the SVG as Chromium renders it).
    """
    root = ET.fromstring(svg.encode("utf-8"))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    width = float(root.get("viewBox").split()[2])
    path = root.find("svg:path", ns)
    scale = float(re.fullmatch(r"scale\(([\d.]+)\)", path.get("transform")).group(1))
    size = round(width / scale)
    image = Image.new("L", (size * pixels_per_module, size * pixels_per_module), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", path.get("d")):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            row = int(y)  # strokes are one unit wide, centred on row + 0.5
            left, right = sorted((x, x + numbers[0]))
            draw.rectangle(
                [
                    left * pixels_per_module,
                    row * pixels_per_module,
                    right * pixels_per_module - 1,
                    (row + 1) * pixels_per_module - 1,
                ],
                fill=0,
            )
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected SVG path command {command!r}")
    return image


def test_png_decodes_to_the_procedures_absolute_url(catalog):
    image = Image.open(io.BytesIO(procedure_qr_png(catalog.birth, scale=6)))
    assert _decode(image) == ["http://127.0.0.1:8000/thu-tuc/1.001193/"]


def test_svg_decodes_to_the_procedures_absolute_url(catalog):
    svg = procedure_qr_svg(catalog.birth)
    assert svg.startswith("<?xml") and "viewBox" in svg
    assert _decode(rasterise_segno_svg(svg)) == ["http://127.0.0.1:8000/thu-tuc/1.001193/"]


def test_the_public_base_url_setting_is_what_gets_encoded(settings, catalog):
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.gov.vn"
    image = Image.open(io.BytesIO(procedure_qr_png(catalog.id_card)))
    assert _decode(image) == ["https://dichvucong.camau.gov.vn/thu-tuc/2.001622/"]


def test_qr_views_serve_cacheable_images(client, catalog):
    png = client.get(reverse("catalog:procedure_qr_png", args=["1.001193"]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert "public" in png["Cache-Control"] and "max-age=86400" in png["Cache-Control"]
    assert _decode(Image.open(io.BytesIO(png.content))) == ["http://127.0.0.1:8000/thu-tuc/1.001193/"]

    svg = client.get(reverse("catalog:procedure_qr_svg", args=["1.001193"]))
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert "max-age=86400" in svg["Cache-Control"]
    assert _decode(rasterise_segno_svg(svg.content.decode())) == ["http://127.0.0.1:8000/thu-tuc/1.001193/"]


def test_qr_of_an_unknown_procedure_is_an_uncached_404(client, catalog):
    response = client.get(reverse("catalog:procedure_qr_png", args=["9.999999"]))
    assert response.status_code == 404
    assert "max-age" not in response.get("Cache-Control", "")


def _pdf_text(reader: pypdf.PdfReader) -> str:
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def _pdf_qr_texts(reader: pypdf.PdfReader) -> list[str]:
    """Decode every QR image drawn in the PDF (WeasyPrint may share one image dictionary across pages)."""
    images = {}
    for page in reader.pages:
        for image in page.images:
            images[image.indirect_reference or image.name] = image.image
    texts = []
    for image in images.values():
        decoded = _decode(image)
        assert len(decoded) == 1, "every image on the poster is one readable QR code"
        texts.extend(decoded)
    return texts


def test_poster_is_a4_with_names_in_correct_vietnamese_and_embedded_fonts(catalog):
    pdf = field_poster_pdf(field=catalog.birth.field, office_name="UBND xã Tân Thành")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert tuple(round(v) for v in page.mediabox[2:]) == A4_POINTS
    text = _pdf_text(reader)
    assert "Danh mục thủ tục hành chính – Lĩnh vực Hộ tịch" in text
    assert "UBND XÃ TÂN THÀNH" in text  # printed in capitals by the poster's CSS
    assert "Đăng ký khai sinh" in text and "Đăng ký kết hôn" in text
    assert "1.001193" in text
    assert "Cấp đổi thẻ căn cước" not in text  # another field
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    names = [str(font["/BaseFont"]) for font in fonts]
    assert names and all(re.search(r"Noto-?Sans|DejaVu", name) for name in names), names
    # Embedded: each font's descendant carries its font file.
    for font in fonts:
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font["/FontDescriptor"]
        )
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_poster_qr_codes_decode_to_each_procedure(catalog):
    reader = pypdf.PdfReader(io.BytesIO(field_poster_pdf(field=catalog.birth.field)))
    assert sorted(_pdf_qr_texts(reader)) == [
        "http://127.0.0.1:8000/thu-tuc/1.000894/",
        "http://127.0.0.1:8000/thu-tuc/1.001193/",
    ]


def test_a_long_field_spills_onto_more_pages(catalog):
    field = catalog.birth.field
    for n in range(16):
        ProcedureFactory(field=field, code=f"1.09{n:04d}", name=f"Cấp bản sao trích lục hộ tịch số {n}")
    reader = pypdf.PdfReader(io.BytesIO(field_poster_pdf(field=field)))
    assert len(reader.pages) >= 2
    texts = _pdf_qr_texts(reader)
    assert len(texts) == 18 and len(set(texts)) == 18
    assert "Trang 2/" in _pdf_text(reader)


def test_poster_view_filters_by_level(client, catalog):
    response = client.get(reverse("catalog:field_poster", args=["can-cuoc"]), {"cap": "tinh"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ap-phich-qr-can-cuoc-tinh.pdf"' in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = _pdf_text(reader)
    assert "Lĩnh vực Căn cước" in text and "Cấp tỉnh" in text and "Cấp đổi thẻ căn cước" in text
    assert _pdf_qr_texts(reader) == ["http://127.0.0.1:8000/thu-tuc/2.001622/"]

    response = client.get(reverse("catalog:field_poster", args=["can-cuoc"]), {"cap": "xa"})
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "chưa có thủ tục nào" in _pdf_text(reader)
    assert _pdf_qr_texts(reader) == []


def test_poster_of_an_unknown_field_is_404(client, catalog):
    assert client.get(reverse("catalog:field_poster", args=["khong-co"])).status_code == 404
