"""Public verification: upload a PDF, or open the link in its QR code. No login, no personal data."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.signing import selectors
from motcua.signing.services.verify import pdf_verify, signed_document_by_token, signed_document_verify
from motcua.signing.services.verify_uploads import max_bytes, read_pdf_upload, verify_throttle


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
