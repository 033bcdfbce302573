"""core.shortcuts: a selector's NotFound is a page's 404; a page step's refusal or success is a message."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory

from motcua.core.errors import DomainError, NotFound
from motcua.core.shortcuts import found_or_404, id_param, run_and_tell, year_param


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _select(key, *, scope="own"):
    if key == "missing":
        raise NotFound(code="thing_not_found")
    if key == "refused":
        raise DomainError("Không được xem.", code="forbidden_here", status=403)
    return (key, scope)


def test_found_passes_arguments_and_returns_the_selectors_answer():
    assert found_or_404(_select, "a", scope="all") == ("a", "all")


def test_not_found_is_a_404_and_other_refusals_are_left_alone():
    with pytest.raises(Http404):
        found_or_404(_select, "missing")
    with pytest.raises(DomainError) as exc:
        found_or_404(_select, "refused")
    assert exc.value.code == "forbidden_here"


def test_success_is_told_with_the_steps_result():
    request = _request()
    assert run_and_tell(request, lambda: 7, lambda n: f"Đã xong {n} việc.") == 7
    assert run_and_tell(request, lambda: "x", "Đã lưu.") == "x"
    assert _said(request) == [("success", "Đã xong 7 việc."), ("success", "Đã lưu.")]


def test_refusal_is_told_as_an_error_and_gives_none():
    request = _request()

    def refused():
        raise DomainError("Hồ sơ đã khóa.", code="locked")

    assert run_and_tell(request, refused, "Đã lưu.") is None
    assert _said(request) == [("error", "Hồ sơ đã khóa.")]


def test_missing_is_a_message_unless_the_page_asks_for_a_404():
    request = _request()

    def missing():
        raise NotFound(code="thing_not_found")

    assert run_and_tell(request, missing, "Đã lưu.") is None
    assert [level for level, _text in _said(request)] == ["error"]
    page = _request()
    with pytest.raises(Http404):
        run_and_tell(page, missing, "Đã lưu.", missing_is_404=True)
    assert _said(page) == []


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("7", 7),
        (" 42 ", 42),
        ("9" * 18, 10**18 - 1),  # the longest accepted: still inside a BIGINT
        ("9" * 19, None),
        ("²", None),  # str.isdigit() says yes; int() refuses it
        ("٣", None),  # int() takes an Arabic-Indic digit; an id is ASCII
        ("-1", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_id_param_reads_ascii_decimals_of_at_most_18_digits(typed, read):
    assert id_param(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"), [("2026", 2026), ("1", 1), ("0", None), ("9999", 9999), ("10000", None), ("²", None)]
)
def test_year_param_is_a_year_a_date_can_hold(typed, read):
    assert year_param(typed) == read
