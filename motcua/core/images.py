"""Image uploads: refuse a picture too big to decode before decoding it, and store a clean re-encoding.

A 518 KB PNG can declare 14,000 x 12,700 pixels: decoding it took 1.2 GB in one worker. Pillow's own
guard (`Image.MAX_IMAGE_PIXELS`) only warns up to twice its limit, and its default (~89 MP) is far
above anything a phone or a scanner makes. So every upload path opens the image (Pillow reads only
the header), checks width x height against `MAX_IMAGE_PIXELS` (MOTCUA_MAX_IMAGE_PIXELS, 40 MP by
default; a 2026 phone shoots 12-50 MP, an A4 scan at 600 dpi is 35 MP), and only then decodes.
`CoreConfig.ready` also lowers Pillow's global limit to the same number, for code that opens images
elsewhere (PDF rendering).

Stored images are re-encoded from pixels (`image_reencode`): metadata and anything hidden after or
between the image's blocks are dropped, so what we serve is an image and nothing else.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from motcua.core.errors import DomainError


def image_max_pixels() -> int:
    return int(getattr(settings, "MAX_IMAGE_PIXELS", 40_000_000))


def _megapixels(pixels: int) -> str:
    value = round(pixels / 1_000_000, 2)
    return number_format(int(value) if value == int(value) else value, use_l10n=True)


def image_too_large(pixels: int | None, *, width: int | None = None, height: int | None = None) -> DomainError:
    limit = image_max_pixels()
    if pixels:
        message = _(
            "Ảnh quá lớn: %(size)s triệu điểm ảnh, tối đa %(max)s triệu. "
            "Hãy chụp hoặc quét lại với độ phân giải thấp hơn."
        ) % {"size": _megapixels(pixels), "max": _megapixels(limit)}
    else:
        message = _(
            "Ảnh quá lớn: tối đa %(max)s triệu điểm ảnh. Hãy chụp hoặc quét lại với độ phân giải thấp hơn."
        ) % {"max": _megapixels(limit)}
    details = {"pixels": pixels, "max_pixels": limit}
    if width and height:
        details.update(width=width, height=height)
    return DomainError(message, code="image_too_large", status=413, details=details)


def image_check_pixels(image: Image.Image) -> None:
    """Refuse an opened (not yet decoded) image whose header declares more pixels than allowed."""
    width, height = image.size
    if width * height > image_max_pixels():
        raise image_too_large(width * height, width=width, height=height)


def image_bomb_refusal(error: Image.DecompressionBombError) -> DomainError:
    """Pillow's own guard fired in `Image.open` (above twice its limit): the same answer as ours."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    return image_too_large(int(found.group(1)) if found else None)


@contextlib.contextmanager
def image_opened(data: bytes):
    """`Image.open` on bytes (header only), refusing images above the pixel limit before any decoding."""
    try:
        with warnings.catch_warnings():
            # Between its limit and twice it Pillow only warns; our own check below refuses those.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise image_bomb_refusal(exc) from None
    with image:
        image_check_pixels(image)
        yield image


def image_reencode(image: Image.Image, fmt: str, *, keep_exif: bool = False, quality: int = 90) -> bytes:
    """A fresh file of the decoded pixels, turned upright by its EXIF orientation, without metadata
    (unless `keep_exif`, for private originals whose place and time are evidence)."""
    exif = image.getexif() if keep_exif else None
    upright = ImageOps.exif_transpose(image)
    if exif is not None and 0x0112 in exif:
        del exif[0x0112]  # turned already
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    if fmt == "WEBP" and upright.mode not in ("RGB", "RGBA"):
        upright = upright.convert("RGBA" if "A" in upright.mode or "transparency" in upright.info else "RGB")
    # Only what the pixels need survives; Pillow reads some keys (comments, profiles) from `info`.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    options: dict = {}
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = quality
    if exif:
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    upright.save(out, fmt, **options)
    return out.getvalue()
