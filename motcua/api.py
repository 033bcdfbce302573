"""The JSON API under /api/v1/. Each app contributes a thin router; errors are uniform JSON."""

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError
from motcua.schemas import ErrorOut, declare_error_responses  # noqa: F401  (ErrorOut re-exported for routers)

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="API công khai và nghiệp vụ của hệ thống motcua. Mọi lỗi trả về JSON {code, message}.",
    urls_namespace="api",
)


def error_response(request, status: int, code: str, message: str, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = [
        {"loc": [str(p) for p in err.get("loc", [])], "msg": err.get("msg", "")} for err in exc.errors
    ]
    return error_response(request, 422, "validation_error", _("Dữ liệu gửi lên không hợp lệ."), details)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", _("Không tìm thấy dữ liệu yêu cầu."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Bạn cần đăng nhập."))


@api.exception_handler(RequestDataTooBig)
def _too_large(request, exc):
    return error_response(request, 413, "payload_too_large", _("Dữ liệu gửi lên quá lớn."))


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    return error_response(request, 400, "invalid_multipart", _("Không đọc được dữ liệu multipart gửi lên."))


@api.exception_handler(OverflowError)
def _overflow(request, exc):
    # SQLite's driver refuses integers beyond 64 bits with OverflowError (PostgreSQL's is a DataError).
    return error_response(
        request, 422, "integer_out_of_range", _("Số nguyên gửi lên vượt quá giới hạn cho phép.")
    )


@api.exception_handler(DataError)
def _data_error(request, exc):
    # A value the schema let through but the column cannot hold (the schema should have said so);
    # the action's transaction is rolled back, so nothing half-written remains.
    return error_response(request, 422, "invalid_data", _("Dữ liệu gửi lên vượt quá giới hạn lưu trữ."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


def _register_routers() -> None:
    from motcua.catalog.api import router as catalog_router
    from motcua.core.api import router as core_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.fieldreports.api.map import router as fieldreports_map_router
    from motcua.fieldreports.api.reports import router as fieldreports_router
    from motcua.notifications.api import router as notifications_router
    from motcua.notifications.broadcasts.api import router as broadcasts_router
    from motcua.outreach.api import router as outreach_router
    from motcua.payments.api import router as payments_router
    from motcua.payments.channels.api import router as payment_channels_router
    from motcua.payments.receipts.api import router as receipts_router
    from motcua.ratings.api import router as ratings_router
    from motcua.signing.api import router as signing_router
    from motcua.verification.api import router as verification_router

    for router in (
        core_router, catalog_router, dossiers_router, notifications_router, broadcasts_router, outreach_router,
        payments_router, payment_channels_router, receipts_router, signing_router, ratings_router,
        fieldreports_router, fieldreports_map_router, verification_router,
    ):
        api.add_router("/", router)


_register_routers()
declare_error_responses(api)
