"""Upload checks: by content, size limit, corrupt files refused."""

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.files import check_upload
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload


def _code(content, name="x.pdf", content_type="application/pdf") -> str:
    with pytest.raises(DomainError) as exc:
        check_upload(upload(name, content, content_type))
    return exc.value.code


def test_pdf_jpeg_png_accepted_by_content():
    assert check_upload(upload("a.pdf", pdf_bytes())).content_type == "application/pdf"
    assert check_upload(upload("b.jpg", image_bytes("JPEG"), "image/jpeg")).ext == "jpg"
    checked = check_upload(upload("c.png", image_bytes("PNG"), "image/png"))
    assert (checked.ext, checked.content_type, len(checked.sha256)) == ("png", "image/png", 64)


def test_name_and_declared_type_are_ignored():
    # A PNG called .pdf is stored as what it is: a PNG.
    checked = check_upload(upload("giay-to.pdf", image_bytes("PNG"), "application/pdf"))
    assert (checked.ext, checked.content_type) == ("png", "image/png")


def test_text_named_jpg_is_refused():
    assert _code(b"day la van ban thuong\n", "anh.jpg", "image/jpeg") == "file_type_not_allowed"


def test_other_formats_are_refused():
    assert _code(b"PK\x03\x04" + b"\0" * 100, "ho-so.pdf") == "file_type_not_allowed"
    assert _code(image_bytes("GIF"), "anh.png", "image/png") == "file_type_not_allowed"


def test_oversize_refused(settings):
    settings.UPLOAD_MAX_MB = 1
    content = pdf_bytes()
    big = content[:-6] + b" " * (1024 * 1024) + content[-6:]
    with pytest.raises(DomainError) as exc:
        check_upload(upload("lon.pdf", big))
    assert exc.value.code == "file_too_large"
    assert exc.value.status == 413
    assert "1 MB" in exc.value.message


def test_corrupt_pdf_refused():
    truncated = pdf_bytes()[:200]
    assert _code(truncated) == "file_corrupt"


def test_corrupt_images_refused():
    jpeg = image_bytes("JPEG", (400, 300))
    assert _code(jpeg[: len(jpeg) // 2], "a.jpg", "image/jpeg") == "file_corrupt"
    png = image_bytes("PNG", (400, 300))
    assert _code(png[:60], "a.png", "image/png") == "file_corrupt"
    assert _code(b"\x89PNG\r\n\x1a\n" + b"rac" * 50, "a.png", "image/png") == "file_corrupt"


def test_truncated_images_refused_even_when_pillow_is_told_to_pad_them(monkeypatch):
    # WeasyPrint turns this global on when imported; our check must not depend on it.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    jpeg = image_bytes("JPEG", (400, 300))
    assert _code(jpeg[: len(jpeg) // 2], "a.jpg", "image/jpeg") == "file_corrupt"
    png = image_bytes("PNG", (400, 300))
    assert _code(png[: len(png) - 20], "a.png", "image/png") == "file_corrupt"


def test_empty_file_refused():
    assert _code(b"") == "file_corrupt"


def test_message_is_vietnamese():
    with pytest.raises(DomainError) as exc:
        check_upload(upload("a.jpg", b"hello", "image/jpeg"))
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in exc.value.message
