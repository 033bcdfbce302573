"""Issue #14 on field reports: who handles a report, names in Vietnamese order, event labels instead
of action codes, coordinates with a clear separator."""

import pytest
from django.urls import reverse

from motcua.core.models import User
from motcua.fieldreports.selectors.reports import report_handler
from motcua.fieldreports.services.handling import report_act
from motcua.fieldreports.templatetags.fieldreport_labels import event_label

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _named(user, family: str, given: str) -> User:
    User.objects.filter(pk=user.pk).update(last_name=family, first_name=given)
    return User.objects.get(pk=user.pk)


def test_accepted_and_answered_report_names_its_handler(answered_report, handler_a):
    _named(handler_a, "Nguyễn Hoàng", "Hải")
    assert answered_report.assignee_id is None
    page = client_for(handler_a).get(reverse("fieldreports:officer_detail", args=[answered_report.code]))
    html = page.content.decode()
    assert "Cán bộ xử lý</dt><dd>Nguyễn Hoàng Hải</dd>" in html
    assert "Hải Nguyễn Hoàng" not in html


def test_handler_is_the_assignee_when_there_is_one(make_report, handler_a, agency_a):
    from tests.factories import OfficerFactory, grant

    colleague = OfficerFactory()
    grant(colleague, "report_handler", agency=agency_a)
    report = report_act(report=make_report(), actor=handler_a, action="accept")
    assert report_handler(report) == handler_a
    report = report_act(report=report, actor=handler_a, action="assign", assignee=colleague.pk)
    assert report_handler(report) == colleague


def test_a_report_nobody_took_has_no_handler(make_report, handler_a):
    report = make_report()
    assert report_handler(report) is None
    html = client_for(handler_a).get(reverse("fieldreports:officer_detail", args=[report.code])).content.decode()
    assert "Chưa có cán bộ nhận xử lý" in html


def test_history_shows_labels_not_action_codes(make_report, handler_a, agency_a):
    from tests.factories import OfficerFactory, grant

    colleague = OfficerFactory()
    grant(colleague, "report_handler", agency=agency_a)
    report = report_act(report=make_report(), actor=handler_a, action="accept")
    report = report_act(report=report, actor=handler_a, action="assign", assignee=colleague.pk)
    html = client_for(handler_a).get(reverse("fieldreports:officer_detail", args=[report.code])).content.decode()
    history = html.split('class="fr-history"', 1)[1].split("</ol>", 1)[0]
    assert "Cơ quan tiếp nhận" in history and "Phân công cán bộ" in history
    for code in ("accept", "assign", "submit"):
        assert f"– {code}" not in history


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("submit", "Người dân gửi phản ánh"),
        ("accepted", "Cơ quan tiếp nhận"),
        ("review", "Kiểm duyệt nội dung"),
        ("merged_in", "Nhận phản ánh khác gộp vào"),
        ("auto_close", "Hoàn thành (hết thời gian chờ người dân xác nhận)"),
        ("something_new", "Cập nhật phản ánh"),
        ("", "Cập nhật phản ánh"),
    ],
)
def test_event_label(action, label):
    assert event_label(action) == label


def test_coordinates_print_with_a_decimal_point_and_one_separator(client, answered_report, handler_a):
    officer = client_for(handler_a).get(reverse("fieldreports:officer_detail", args=[answered_report.code]))
    assert "(9.17690, 105.15240)" in officer.content.decode()
    report_act(report=answered_report, actor=handler_a, action="review", public_description="Rác trước chợ.")
    public = client.get(reverse("fieldreports:detail", args=[answered_report.code])).content.decode()
    assert "9.17690, 105.15240" in public
    assert "9,17690" not in public
