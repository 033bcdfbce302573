"""What the public verification accepts: a PDF upload checked by size and content, and a cap per client."""

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.net import client_address
from motcua.core.throttle import counter_hit

# Verifying costs a parse and a few signature checks: cap uploads per client to keep it a public service.
VERIFY_MAX_PER_WINDOW = 30
VERIFY_WINDOW_SECONDS = 600


def verify_throttle(request) -> None:
    hit = counter_hit(
        f"signing:verify:{client_address(request)}", limit=VERIFY_MAX_PER_WINDOW, window_seconds=VERIFY_WINDOW_SECONDS
    )
    if not hit.allowed:
        raise DomainError(
            _("Đã kiểm tra quá nhiều tệp trong thời gian ngắn. Vui lòng thử lại sau ít phút."),
            code="too_many_checks",
            status=429,
        )


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_MB", 10)) * 1024 * 1024


def read_pdf_upload(upload) -> bytes:
    """The uploaded bytes, checked by size and by content (never by name); DomainError otherwise."""
    if upload is None:
        raise DomainError(_("Vui lòng chọn tệp PDF cần kiểm tra."), code="file_required", status=400)
    limit = max_bytes()
    too_large = DomainError(
        _("Tệp quá lớn. Dung lượng tối đa là %(max)s MB.") % {"max": limit // 1024 // 1024},
        code="file_too_large",
        status=413,
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise DomainError(_("Tệp rỗng, không có nội dung."), code="file_empty", status=400)
    if not data.startswith(b"%PDF-"):
        raise DomainError(
            _("Tệp này không phải tệp PDF. Chỉ kiểm tra được chữ ký số trong tệp PDF."), code="file_not_pdf", status=415
        )
    return data
