"""Uploaded files: checked by content (never by name or browser-declared type), then stored.

Accepted: PDF (the `%PDF-` header and a `%%EOF` trailer), JPEG and PNG (fully decoded with
Pillow, so a truncated or corrupt image is refused, then stored re-encoded without metadata).
Size limits: MOTCUA_UPLOAD_MAX_MB on disk, MOTCUA_MAX_IMAGE_PIXELS decoded (checked from the
header, before decoding).

Storage is not transactional. Services wrap their atomic block in `cleanup_on_error()`: every
file stored inside it is deleted again when the block raises, so a failed request leaves no
row and no file behind. (If a caller wraps the service in its own larger transaction that
later rolls back, the file is left over; the names are content hashes, so it is harmless.)
"""

import contextlib
import hashlib
import io
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from motcua.core.errors import DomainError
from motcua.core.images import image_opened, image_reencode

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Writers may append whitespace or a few bytes after the end marker (%%EOF, JPEG EOI, PNG IEND).
TRAILER_WINDOW = 1024

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    ext: str
    content_type: str
    size: int
    sha256: str


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_MB", 10)) * 1024 * 1024


def _too_large(size: int) -> DomainError:
    return DomainError(
        _("Tệp quá lớn (%(size)s MB). Dung lượng tối đa là %(max)s MB.")
        % {"size": f"{size / 1024 / 1024:.1f}", "max": settings.UPLOAD_MAX_MB},
        code="file_too_large",
        status=413,
    )


def _not_allowed() -> DomainError:
    return DomainError(
        _("Chỉ nhận tệp PDF, JPEG hoặc PNG. Tệp này không phải một trong các loại đó (kiểm tra theo nội dung tệp)."),
        code="file_type_not_allowed",
        status=415,
    )


def _corrupt(kind: str) -> DomainError:
    return DomainError(
        _("Tệp %(kind)s bị hỏng hoặc không đầy đủ, không mở được. Vui lòng quét hoặc lưu lại rồi tải lên lần nữa.")
        % {"kind": kind},
        code="file_corrupt",
        status=422,
    )


def _check_image(content: bytes, expected: str) -> bytes:
    """The image decoded and re-encoded (metadata dropped), or DomainError; the size is checked first."""
    # WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES, which makes Pillow pad cut-off
    # files silently; so check the end marker ourselves (JPEG EOI, PNG IEND) before decoding.
    tail = content[-TRAILER_WINDOW:]
    if (expected == "JPEG" and b"\xff\xd9" not in tail) or (expected == "PNG" and b"IEND" not in tail):
        raise _corrupt(expected)
    try:
        # The header alone says how big the picture is: a decompression bomb is refused undecoded.
        with image_opened(content) as probe:
            if probe.format != expected:
                raise _corrupt(expected)
            probe.verify()
        # verify() does not decode pixel data; load() does, and fails on truncated files.
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            return image_reencode(image, expected)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _corrupt(expected)


def check_upload(upload: UploadedFile | bytes) -> CheckedFile:
    """Read and check one upload; raise DomainError file_too_large / file_type_not_allowed / file_corrupt."""
    limit = upload_max_bytes()
    if isinstance(upload, bytes | bytearray):
        content = bytes(upload)
    else:
        if upload.size is not None and upload.size > limit:
            raise _too_large(upload.size)
        upload.seek(0)
        # Read one byte past the limit so a lying `size` cannot smuggle a large file in.
        content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(len(content))
    if not content:
        raise DomainError(_("Tệp rỗng, không có nội dung."), code="file_corrupt", status=422)

    if content.startswith(PDF_MAGIC):
        if b"%%EOF" not in content[-TRAILER_WINDOW:]:
            raise _corrupt("PDF")
        ext = "pdf"
    elif content.startswith(JPEG_MAGIC):
        content = _check_image(content, "JPEG")
        ext = "jpg"
    elif content.startswith(PNG_MAGIC):
        content = _check_image(content, "PNG")
        ext = "png"
    else:
        raise _not_allowed()
    return CheckedFile(
        content=content,
        ext=ext,
        content_type=ALLOWED[ext],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


# --- storage with clean-up -------------------------------------------------------------------

_stored: ContextVar[list[str] | None] = ContextVar("motcua_stored_files", default=None)


@contextlib.contextmanager
def cleanup_on_error():
    """Delete the files stored inside this block if the block raises. Nested uses share the outer list."""
    if _stored.get() is not None:
        yield
        return
    names: list[str] = []
    token = _stored.set(names)
    try:
        yield
    except BaseException:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete stored file %s after a failed request", name)
        raise
    finally:
        _stored.reset(token)


def attach_file(document, checked: CheckedFile) -> None:
    """Store the checked content in `document.file` (named by its hash) without saving the row."""
    document.sha256 = checked.sha256
    document.size = checked.size
    document.content_type = checked.content_type
    document.file.save(f"upload.{checked.ext}", ContentFile(checked.content), save=False)
    names = _stored.get()
    if names is not None:
        names.append(document.file.name)


def delete_file_if_unused(name: str, *, model) -> None:
    """After commit, delete a stored file unless a row still points at it (reused documents share files).

    Deferred to commit so that a rolled-back replacement does not lose the file its row still names.
    """

    def _delete() -> None:
        if name and not model.objects.filter(file=name).exists():
            default_storage.delete(name)

    transaction.on_commit(_delete)
