"""Checking and storing report photos and videos.

Types are decided by content (Pillow for images, the `ftyp` box for MP4), never by the name or
the browser's content type. Photos get a public copy re-encoded from pixels only, so EXIF (and
the GPS position of the citizen's home, often) never reaches the public; the original stays
for officers, re-encoded with its EXIF only. Pictures above MOTCUA_MAX_IMAGE_PIXELS are refused
from their header, before decoding. Videos stay private until an officer publishes them.

Validation (`media_check`) reads everything before anything is written, so a bad file leaves no
trace; `media_store` writes and records the names, and `FileJanitor` deletes them again if the
transaction that was to keep them rolls back.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from motcua.core.errors import DomainError
from motcua.core.images import image_opened, image_reencode

from ..models import FieldReport, ReportMedia

MAX_PHOTOS = 5
MAX_VIDEOS = 1
VIDEO_MAX_MB = 30
# Largest side of the public copy: enough for a phone screen, small enough to serve.
PUBLIC_MAX_SIDE = 1600
_PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# ISO BMFF brands of MP4/QuickTime files a phone produces.
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"qt  ",
    b"3gp4",
    b"3gp5",
    b"3g2a",
    b"dash",
    b"MSNV",
    b"mmp4",
}


def photo_max_mb() -> int:
    return int(getattr(settings, "MOTCUA_REPORT_PHOTO_MAX_MB", 8))


@dataclass
class CheckedMedia:
    kind: str  # "photo" | "video"
    data: bytes
    content_type: str
    ext: str
    width: int | None = None
    height: int | None = None
    public_data: bytes | None = None


@dataclass
class FileJanitor:
    """Names written during one transaction; deleted unless the transaction commits."""

    names: list[str] = field(default_factory=list)

    def cleanup(self) -> None:
        for name in self.names:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        self.names.clear()


def _read(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    return data if isinstance(data, bytes) else bytes(data)


def _too_large(limit_mb: int) -> DomainError:
    return DomainError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit_mb}, code="media_too_large", status=413)


def _invalid_type() -> DomainError:
    return DomainError(
        _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc video MP4 ngắn; tệp gửi lên không đúng định dạng."),
        code="media_type_invalid",
        status=415,
    )


def is_mp4(data: bytes) -> bool:
    return len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS


def _public_copy(image: Image.Image, fmt: str) -> bytes:
    """The copy the public sees: upright, at most PUBLIC_MAX_SIDE, rebuilt from pixels (no EXIF, no GPS)."""
    # Turned first: the thumbnail keeps no orientation tag to turn it by afterwards.
    small = ImageOps.exif_transpose(image)
    small.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
    return image_reencode(small, fmt, quality=85)


def check_photo(data: bytes) -> CheckedMedia:
    limit = photo_max_mb()
    if len(data) > limit * 1024 * 1024:
        raise _too_large(limit)
    try:
        # Pillow reads the header only: a decompression bomb is refused before decoding.
        with image_opened(data) as probe:
            fmt = probe.format
            if fmt not in _PHOTO_FORMATS:
                raise _invalid_type()
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
            public = _public_copy(image, fmt)
            # The original stays private for officers with its EXIF (place and time are evidence),
            # but re-encoded: nothing else hidden in the file is kept.
            original = image_reencode(image, fmt, keep_exif=True, quality=95)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _invalid_type() from None
    content_type, ext = _PHOTO_FORMATS[fmt]
    return CheckedMedia("photo", original, content_type, ext, width, height, public)


def check_video(data: bytes) -> CheckedMedia:
    if len(data) > VIDEO_MAX_MB * 1024 * 1024:
        raise _too_large(VIDEO_MAX_MB)
    return CheckedMedia("video", data, "video/mp4", "mp4")


def media_check(files) -> list[CheckedMedia]:
    """Check every upload by content; raises DomainError before anything is written."""
    files = list(files or ())
    checked: list[CheckedMedia] = []
    for upload in files:
        data = _read(upload)
        if not data:
            raise _invalid_type()
        checked.append(check_video(data) if is_mp4(data) else check_photo(data))
    photos = sum(1 for c in checked if c.kind == "photo")
    videos = len(checked) - photos
    if photos > MAX_PHOTOS or videos > MAX_VIDEOS:
        raise DomainError(
            _("Gửi tối đa %(photos)s ảnh và %(videos)s video.") % {"photos": MAX_PHOTOS, "videos": MAX_VIDEOS},
            code="media_too_many",
        )
    return checked


def _name(folder: str, ext: str) -> str:
    return os.path.join("fieldreports", folder, f"{uuid.uuid4().hex}.{ext}")


def media_store(
    *, report: FieldReport, checked: list[CheckedMedia], stage: str, uploaded_by, janitor: FileJanitor
) -> list[ReportMedia]:
    rows = []
    for item in checked:
        original = default_storage.save(_name("original", item.ext), ContentFile(item.data))
        janitor.names.append(original)
        public = ""
        if item.public_data is not None:
            public = default_storage.save(_name("public", item.ext), ContentFile(item.public_data))
            janitor.names.append(public)
        rows.append(
            ReportMedia.objects.create(
                report=report,
                stage=stage,
                kind=item.kind,
                original=original,
                public_file=public,
                content_type=item.content_type,
                size=len(item.data),
                sha256=hashlib.sha256(item.data).hexdigest(),
                width=item.width,
                height=item.height,
                uploaded_by=uploaded_by,
            )
        )
    return rows


def video_publish(*, media: ReportMedia, janitor: FileJanitor) -> ReportMedia:
    """Give an officer-approved video a public copy (the bytes as uploaded: MP4 has no EXIF GPS
    that Pillow could strip; the officer watched it before publishing)."""
    if media.kind != "video" or media.public_file:
        return media
    with media.original.open("rb") as handle:
        data = handle.read()
    name = default_storage.save(_name("public", "mp4"), ContentFile(data))
    janitor.names.append(name)
    media.public_file = name
    media.save(update_fields=["public_file", "updated_at"])
    return media
