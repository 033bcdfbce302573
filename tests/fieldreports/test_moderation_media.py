import io

import pytest
from PIL import Image

from motcua.core.errors import DomainError
from motcua.fieldreports.moderation import mask_personal_data, moderation_flags
from motcua.fieldreports.services.media import check_photo, is_mp4
from tests.fieldreports.conftest import mp4_bytes, png_bytes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("CCCD của tôi 096085000123", "personal_id"),
        ("gọi 0912.345.678 nhé", "phone"),
        ("số +84 912 345 678", "phone"),
        ("mail mai@example.vn", "email"),
        ("xe biển 69A-123.45 đậu chắn lối", "plate"),
    ],
)
def test_personal_data_flags(text, kind):
    assert kind in moderation_flags(text)["personal_data"]
    assert "***" in mask_personal_data(text)


def test_abusive_words_matched_folded_and_whole():
    assert moderation_flags("Đồ NGU như bò")["abusive"]
    assert moderation_flags("Thằng chó đó")["abusive"]
    assert moderation_flags("cút đi")["abusive"] == ["cút"]
    assert moderation_flags("ngõ cụt, cac ban oi") == {}  # folds like "cút", "các" but is not
    assert moderation_flags("Đèn đường hỏng ở hẻm 12, cống nghẹt") == {}
    assert moderation_flags("Rác tồn đọng ở chợ Lớn") == {}  # "lớn" folds to "lon" but only as a word


def test_clean_text_has_no_flags():
    assert moderation_flags("Cây ngã chắn đường Lý Thường Kiệt, năm 2026, 120 m") == {}


def test_png_webp_accepted_gif_refused():
    assert check_photo(png_bytes()).content_type == "image/png"
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "WEBP")
    assert check_photo(buf.getvalue()).content_type == "image/webp"
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    with pytest.raises(DomainError) as err:
        check_photo(gif.getvalue())
    assert err.value.code == "media_type_invalid"


def test_truncated_jpeg_refused():
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buf, "JPEG")
    with pytest.raises(DomainError):
        check_photo(buf.getvalue()[:200])


def test_mp4_detection():
    assert is_mp4(mp4_bytes())
    assert not is_mp4(b"\x00\x00\x00\x18ftypXXXX" + b"\x00" * 20)
