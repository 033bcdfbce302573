"""Decoded-size cap on every image upload: 40 MP exactly passes, one more row is refused, the
14,000 x 12,700 PNG bomb (a few hundred KB on disk) is refused from its header without decoding."""

import io

import pytest
from PIL import Image, ImageFile

from motcua.core.errors import DomainError
from motcua.dossiers.files import check_upload
from motcua.fieldreports.services.media import check_photo
from tests.dossiers.intake_helpers import upload
from tests.images import png_of_size

AT_LIMIT = (8000, 5000)  # 40,000,000 pixels
ONE_ROW_MORE = (8000, 5001)  # 40,008,000 pixels
BOMB = (14000, 12700)  # 177,800,000 pixels


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_of_size(*BOMB)


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_default_limit_is_40_megapixels(settings):
    assert settings.MAX_IMAGE_PIXELS == 40_000_000
    assert Image.MAX_IMAGE_PIXELS == 40_000_000


def test_bomb_is_small_on_disk(bomb, monkeypatch):
    assert len(bomb) < 1024 * 1024
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.size == BOMB


def test_dossier_upload_at_limit_is_accepted_and_reencoded():
    checked = check_upload(upload("scan.png", png_of_size(*AT_LIMIT), "image/png"))
    assert checked.ext == "png"
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == AT_LIMIT


def test_dossier_upload_one_row_more_is_refused(no_decoding):
    with pytest.raises(DomainError) as exc:
        check_upload(upload("scan.png", png_of_size(*ONE_ROW_MORE), "image/png"))
    assert exc.value.code == "image_too_large"
    assert exc.value.status == 413
    assert exc.value.details == {"pixels": 40_008_000, "width": 8000, "height": 5001, "max_pixels": 40_000_000}
    assert "40,01 triệu điểm ảnh, tối đa 40 triệu" in exc.value.message


def test_dossier_upload_bomb_is_refused_with_a_clear_message(bomb, no_decoding):
    with pytest.raises(DomainError) as exc:
        check_upload(upload("anh.png", bomb, "image/png"))
    assert exc.value.code == "image_too_large"
    assert exc.value.message == (
        "Ảnh quá lớn: 177,8 triệu điểm ảnh, tối đa 40 triệu. Hãy chụp hoặc quét lại với độ phân giải thấp hơn."
    )


def test_setting_moves_the_limit(settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    assert check_upload(upload("a.png", png_of_size(100, 100), "image/png")).ext == "png"
    with pytest.raises(DomainError) as exc:
        check_upload(upload("a.png", png_of_size(100, 101), "image/png"))
    assert exc.value.code == "image_too_large"
    assert "0,01 triệu điểm ảnh, tối đa 0,01 triệu" in exc.value.message


def test_field_report_photo_at_limit_accepted():
    checked = check_photo(png_of_size(*AT_LIMIT))
    assert (checked.width, checked.height) == AT_LIMIT
    with Image.open(io.BytesIO(checked.public_data)) as public:
        assert max(public.size) == 1600


def test_field_report_photo_one_row_more_and_bomb_refused(bomb, no_decoding):
    for data in (png_of_size(*ONE_ROW_MORE), bomb):
        with pytest.raises(DomainError) as exc:
            check_photo(data)
        assert exc.value.code == "image_too_large"


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = "May anh cua toi"  # Make
    exif[0x8825] = {1: "N", 2: (9.0, 10.0, 37.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"ghi chu an")
    # Bytes hidden after the end of the image: kept by a byte-for-byte store, dropped by re-encoding.
    return out.getvalue() + b"\xff\xd9"


def test_dossier_images_are_stored_without_metadata():
    original = _jpeg_with_metadata()
    checked = check_upload(upload("a.jpg", original, "image/jpeg"))
    assert checked.content != original
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()
        assert "comment" not in image.info
        assert image.size == (64, 48)


def test_field_report_original_keeps_exif_but_is_reencoded():
    original = _jpeg_with_metadata()
    checked = check_photo(original)
    assert checked.data != original
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.getexif()[0x010F] == "May anh cua toi"
        assert "comment" not in image.info
    with Image.open(io.BytesIO(checked.public_data)) as public:
        assert not public.getexif()
