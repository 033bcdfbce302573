"""The JSON API under /api/v1/. Each app contributes a thin router; errors are uniform JSON."""

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError
from motcua.schemas import ErrorOut, declare_error_responses  # noqa: F401  (ErrorOut re-exported for routers)

# Operation ids of routers as they were before they moved into their sub-packages: API clients are
# generated from them. Module of the view → the prefix its operation ids keep.
LEGACY_OPERATION_PREFIXES = {
    "motcua.fieldreports.api.reports": "motcua_fieldreports_api_",
    "motcua.payments.channels.api": "motcua_payments_api_channels_",
    "motcua.payments.receipts.api": "motcua_payments_api_receipts_",
}


class MotcuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        prefix = LEGACY_OPERATION_PREFIXES.get(operation.view_func.__module__)
        if prefix is None:
            return super().get_openapi_operation_id(operation)
        return prefix + operation.view_func.__name__


api = MotcuaAPI(
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
    details = [{"loc": [str(p) for p in err.get("loc", [])], "msg": err.get("msg", "")} for err in exc.errors]
    return error_response(request, 422, "validation_error", _("Dữ liệu gửi lên không hợp lệ."), details)


# Exceptions answered with a fixed status, code and message.
_FIXED_ERRORS = (
    (Http404, 404, "not_found", gettext_lazy("Không tìm thấy dữ liệu yêu cầu.")),
    (AuthenticationError, 401, "unauthenticated", gettext_lazy("Cần đăng nhập để tiếp tục.")),
    (RequestDataTooBig, 413, "payload_too_large", gettext_lazy("Dữ liệu gửi lên quá lớn.")),
    (MultiPartParserError, 400, "invalid_multipart", gettext_lazy("Không đọc được dữ liệu multipart gửi lên.")),
    # SQLite's driver refuses integers beyond 64 bits with OverflowError (PostgreSQL's is a DataError).
    (OverflowError, 422, "integer_out_of_range", gettext_lazy("Số nguyên gửi lên vượt quá giới hạn cho phép.")),
    # A value the schema let through but the column cannot hold (the schema should have said so);
    # the action's transaction is rolled back, so nothing half-written remains.
    (DataError, 422, "invalid_data", gettext_lazy("Dữ liệu gửi lên vượt quá giới hạn lưu trữ.")),
)


def _fixed_error_handler(status: int, code: str, message):
    def handler(request, exc):
        return error_response(request, status, code, str(message))

    return handler


for _exc_class, _status, _code, _message in _FIXED_ERRORS:
    api.add_exception_handler(_exc_class, _fixed_error_handler(_status, _code, _message))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


def _register_routers() -> None:
    from motcua.appointments.api import router as appointments_router
    from motcua.appointments.switchboard.api import router as switchboard_router
    from motcua.assistant.api import router as assistant_router
    from motcua.catalog.api import router as catalog_router
    from motcua.core.api import router as core_router
    from motcua.documents.api import router as documents_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.fieldreports.api.map import router as fieldreports_map_router
    from motcua.fieldreports.api.reports import router as fieldreports_router
    from motcua.nationalsync.api import router as nationalsync_router
    from motcua.notifications.api import router as notifications_router
    from motcua.notifications.broadcasts.api import router as broadcasts_router
    from motcua.outreach.api import router as outreach_router
    from motcua.payments.api import router as payments_router
    from motcua.payments.channels.api import router as payment_channels_router
    from motcua.payments.receipts.api import router as receipts_router
    from motcua.queue.api import router as queue_router
    from motcua.ratings.api import router as ratings_router
    from motcua.serviceindex.api import router as serviceindex_router
    from motcua.signing.api import router as signing_router
    from motcua.verification.api import router as verification_router

    for router in (
        core_router,
        catalog_router,
        dossiers_router,
        notifications_router,
        broadcasts_router,
        outreach_router,
        payments_router,
        payment_channels_router,
        receipts_router,
        signing_router,
        ratings_router,
        fieldreports_router,
        fieldreports_map_router,
        verification_router,
        queue_router,
        appointments_router,
        switchboard_router,
        assistant_router,
        nationalsync_router,
        serviceindex_router,
        documents_router,
    ):
        api.add_router("/", router)


_register_routers()
declare_error_responses(api)
