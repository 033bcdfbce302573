"""Public verification: upload a PDF, or open the link in its QR code. No login, no personal data."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.core.net import client_address
from motcua.core.throttle import counter_hit
from motcua.signing import selectors
from motcua.signing.services.verify import pdf_verify, signed_document_by_token, signed_document_verify

# Verifying costs a parse and a few signature checks: cap uploads per client to keep it a public service.
VERIFY_MAX_PER_WINDOW = 30
VERIFY_WINDOW_SECONDS = 600


def verify_throttle(request) -> None:
    hit = counter_hit(
        f"signing:verify:{client_address(request)}", limit=VERIFY_MAX_PER_WINDOW, window_seconds=VERIFY_WINDOW_SECONDS
    )
    if not hit.allowed:
        raise DomainError(
            _("Bạn đã kiểm tra quá nhiều tệp trong thời gian ngắn. Vui lòng thử lại sau ít phút."),
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


def _render_result(request, verification, *, status=200, from_token=False):
    context = {
        "verification": verification,
        "facts": selectors.public_facts(verification.signed_document),
        "from_token": from_token,
        "max_mb": max_bytes() // 1024 // 1024,
    }
    return render(request, "signing/verify_result.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_home(request):
    error, status = "", 200
    if request.method == "POST":
        try:
            verify_throttle(request)
            data = read_pdf_upload(request.FILES.get("file"))
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return _render_result(request, pdf_verify(pdf_bytes=data))
    return render(
        request,
        "signing/verify_home.html",
        {"error": error, "max_mb": max_bytes() // 1024 // 1024},
        status=429 if status == 429 else (400 if error else 200),
    )


@require_GET
def verify_token(request, token: str):
    document = signed_document_by_token(token)
    if document is None:
        raise Http404
    return _render_result(request, signed_document_verify(document), from_token=True)


@require_GET
def verify_download(request, token: str):
    document = signed_document_by_token(token)
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    # Always an attachment: a PDF shown inline in our origin could carry active content.
    return FileResponse(
        handle, as_attachment=True, filename=f"ban-da-ky-{token[:8]}.pdf", content_type="application/pdf"
    )
