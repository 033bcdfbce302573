"""One guard in front of every view for input no view can use.

A NUL byte or another C0 control character in a path, a query or a form/JSON field, an integer
in the path or query beyond what the database stores (an `?offset=` of 10^20), a multipart body without a boundary or
a body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`: each used to reach a view and end as a 500 (a
database driver refusing NUL, SQLite's OverflowError, the multipart parser). Checking once here
keeps every endpoint, present and future, from repeating the same checks.

The refusal speaks the language of the surface asked: `{code, message}` JSON under `/api/`, the
shape another app registers for its prefix (Open311 registers its error list), otherwise a
Vietnamese page.
"""

import json
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError, parse_header_parameters
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# PostgreSQL bigint and SQLite INTEGER: the widest integer either database stores.
DB_INT_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)

# Paths never carry a control character; queries and bodies may carry tab, line feed and carriage
# return (a multi-line text field), never the rest of C0.
_PATH_CONTROL = re.compile(r"[\x00-\x1f]")
_FIELD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A whole value written as an integer; only these are checked against the database range.
_INTEGER = re.compile(r"[+-]?\d{19,}")
_JSON_ESCAPED_CONTROL = re.compile(rb"\\u00[01][0-9a-fA-F]")

Renderer = Callable[[HttpRequest, int, str, str], HttpResponse]
_renderers: dict[str, Renderer] = {}


def register_error_renderer(prefix: str, renderer: Renderer) -> None:
    """Let an app answer refusals under its own path prefix in its own format (call in `ready()`)."""
    _renderers[prefix] = renderer


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def refusal_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    path = request.path_info
    if path.startswith(API_PREFIX):
        return JsonResponse({"code": code, "message": message}, status=status)
    for prefix, renderer in _renderers.items():
        if path.startswith(prefix):
            return renderer(request, status, code, message)
    return render(request, "400.html", {"status": status, "message": message}, status=status)


def _invalid_characters() -> Refusal:
    return Refusal(400, "invalid_characters", _("Dữ liệu gửi lên chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL)."))


def _out_of_range() -> Refusal:
    return Refusal(
        422,
        "integer_out_of_range",
        _("Số nguyên gửi lên vượt quá giới hạn cho phép (từ %(min)s đến %(max)s).") % {"min": DB_INT_MIN, "max": DB_INT_MAX},
    )


def _check_text(value: str, pattern: re.Pattern) -> None:
    if pattern.search(value):
        raise _invalid_characters()


def _check_integer_text(value: str) -> None:
    value = value.strip()
    if not _INTEGER.fullmatch(value):
        return
    # Python refuses to convert very long digit strings (leading zeros count): convert the significant
    # digits only; more than 19 of them is out of range anyway.
    digits = value.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 19 or not DB_INT_MIN <= int(f"-{digits}" if value.startswith("-") else digits) <= DB_INT_MAX:
        raise _out_of_range()


def _check_json(value) -> None:
    """Every string (keys too) free of control characters.

    Integers in a body are left to the schema and the service, which know what the number is (an
    absurd amount is `amount_invalid`); the API turns a database overflow into a 422 as a last resort."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item, _FIELD_CONTROL)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def machine_surface(path: str) -> bool:
    return path.startswith(API_PREFIX) or any(path.startswith(prefix) for prefix in _renderers)


def _check_url(request: HttpRequest) -> None:
    _check_text(request.path_info, _PATH_CONTROL)
    # Integers only where parameters are typed (the API, Open311): on pages a long number in a search
    # box (a 19-digit bank account) is text, and pages validate their own numbers with forms.
    typed = machine_surface(request.path_info)
    if typed:
        for segment in request.path_info.split("/"):
            _check_integer_text(segment)
    for key, values in request.GET.lists():
        _check_text(key, _FIELD_CONTROL)
        for value in values:
            _check_text(value, _FIELD_CONTROL)
            if typed:
                _check_integer_text(value)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large() -> Refusal:
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return Refusal(413, "payload_too_large", _("Dữ liệu gửi lên quá lớn (tối đa %(kb)s KB).") % {"kb": limit_kb})


def _check_body(request: HttpRequest) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type == "multipart/form-data":
        boundary = params.get("boundary", "")
        if not boundary or len(boundary) > 200:
            raise Refusal(400, "invalid_multipart", _("Dữ liệu multipart thiếu hoặc sai ranh giới (boundary)."))
        if request.method != "POST":
            return  # Django parses multipart only for POST; the view reads other methods itself.
        try:
            if limit is None or _content_length(request) <= limit:
                # Keep the raw body readable for views that need it (a signature over the bytes):
                # parsing a multipart body consumes the stream unless it was read into memory first.
                request.body  # noqa: B018
            fields, files = request.POST, request.FILES
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as exc:
            raise Refusal(400, "invalid_multipart", _("Không đọc được dữ liệu multipart gửi lên.")) from exc
        except RequestDataTooBig as exc:
            raise _too_large() from exc
        for key, values in fields.lists():
            _check_text(key, _FIELD_CONTROL)
            for value in values:
                _check_text(value, _FIELD_CONTROL)
        for upload in files.values():
            _check_text(upload.name or "", _PATH_CONTROL)
        return
    # Any other body is read into memory whole: refuse what Django would refuse, before it does.
    if limit is not None and _content_length(request) > limit:
        raise _too_large()
    if content_type == "application/x-www-form-urlencoded" and request.method == "POST":
        try:
            fields = request.POST
        except (TooManyFieldsSent, RequestDataTooBig) as exc:
            raise _too_large() from exc
        for key, values in fields.lists():
            _check_text(key, _FIELD_CONTROL)
            for value in values:
                _check_text(value, _FIELD_CONTROL)
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            body = request.body
        except RequestDataTooBig as exc:
            raise _too_large() from exc
        if not _JSON_ESCAPED_CONTROL.search(body):
            # A raw control byte makes the JSON invalid (the view refuses it); only an escaped one
            # (\u0000 … \u001f) can reach a string, so the body is parsed here only when it has one.
            return
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return  # malformed or absurdly nested JSON is the view's to refuse, with its own message
        _check_json(data)


class RequestGuardMiddleware:
    """Refuse control characters, out-of-range integers and unreadable or oversized bodies with a 4xx."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_url(request)
            _check_body(request)
        except Refusal as refusal:
            return refusal_response(request, refusal.status, refusal.code, refusal.message)
        response = self.get_response(request)
        if (
            response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and machine_surface(request.path_info)
        ):
            # An unknown path under a machine surface (Django's HTML 404, the technical page under
            # DEBUG too): its clients parse JSON (or their own format) whatever path they got wrong.
            return refusal_response(request, 404, "not_found", _("Không tìm thấy dữ liệu yêu cầu."))
        return response
