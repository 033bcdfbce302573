"""Domain errors with a machine-readable code and a Vietnamese message.

Services raise `DomainError`; the API turns it into `{"code": ..., "message": ...}` with the
error's HTTP status, and pages show the message. Never a 500 for bad input.
"""

from django.utils.translation import gettext as _


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None, details=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message or _("Không tìm thấy dữ liệu yêu cầu."), **kwargs)


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message or _("Tài khoản này không có quyền xem hoặc thực hiện thao tác này."), **kwargs)
