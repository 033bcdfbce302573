"""Issue #14 on dossiers: the processing log in words (status labels, event labels), names in
Vietnamese order, and the officer who holds or held each step."""

import pytest
from django.urls import reverse

from motcua.core.models import User
from motcua.dossiers import selectors
from motcua.dossiers.services.workflow import dossier_act

pytestmark = pytest.mark.django_db


def _named(user, family: str, given: str) -> User:
    User.objects.filter(pk=user.pk).update(last_name=family, first_name=given)
    user.refresh_from_db()
    return user


def _log(html: str) -> str:
    return html.split('class="event-log"', 1)[1].split("</ol>", 1)[0]


def test_officer_log_shows_status_labels_not_codes(client, make_received_dossier, receptionist_a, specialist_a):
    dossier = make_received_dossier()
    dossier_act(dossier=dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ", proposal="approve")
    client.force_login(receptionist_a)
    log = _log(client.get(reverse("dossiers:officer_detail", args=[dossier.code])).content.decode())
    assert "Tiếp nhận hồ sơ" in log and "Mới đăng ký → Được tiếp nhận" in log
    assert "Hoàn thành thẩm định" in log and "Được tiếp nhận → Đang xử lý" in log
    for code in ("registered", "received", "processing", "→ payment_requested", "draft →"):
        assert code not in log


def test_citizen_detail_shows_labels(client, make_received_dossier, citizen):
    dossier = make_received_dossier()
    client.force_login(citizen)
    html = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "Tiếp nhận hồ sơ (Được tiếp nhận)" in html
    assert "received" not in html.split("Quá trình xử lý", 1)[1].split("</ol>", 1)[0]


def test_names_read_family_middle_given(client, make_received_dossier, receptionist_a, specialist_a, leader_a):
    _named(receptionist_a, "Nguyễn Hoàng", "Hải")
    _named(specialist_a, "Trần Thị", "Mai")
    dossier = make_received_dossier()
    dossier_act(dossier=dossier, actor=leader_a, action="assign", assignee=specialist_a.pk)
    client.force_login(receptionist_a)
    html = client.get(reverse("dossiers:officer_detail", args=[dossier.code])).content.decode()
    assert "(Nguyễn Hoàng Hải)" in html  # the log
    assert "Cán bộ đang xử lý</dt><dd>Trần Thị Mai</dd>" in html
    assert "Hải Nguyễn Hoàng" not in html and "Mai Trần Thị" not in html
    queue = client.get(reverse("dossiers:queue"), {"tab": "office"}).content.decode()
    assert "Trần Thị Mai" in queue and "Mai Trần Thị" not in queue
    api = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert api["current_assignee"] == "Trần Thị Mai"


def test_step_table_names_who_holds_or_held_each_step(make_received_dossier, receptionist_a, specialist_a):
    _named(specialist_a, "Lê Văn", "Tâm")
    dossier = make_received_dossier()
    # The specialist appraises without being assigned: the step keeps no assignee but an event.
    dossier_act(dossier=dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ", proposal="approve")
    steps = selectors.dossier_detail_context(dossier, public_only=False)["steps"]
    by_kind = {s.kind: s for s in steps}
    assert by_kind["receive"].officer == receptionist_a
    assert by_kind["appraise"].assignee_id is None and by_kind["appraise"].officer == specialist_a
    assert by_kind["approve"].officer is None  # active, nobody yet


def test_step_table_page(client, make_received_dossier, receptionist_a, specialist_a):
    _named(specialist_a, "Lê Văn", "Tâm")
    dossier = make_received_dossier()
    dossier_act(dossier=dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ", proposal="approve")
    client.force_login(receptionist_a)
    html = client.get(reverse("dossiers:officer_detail", args=[dossier.code])).content.decode()
    table = html.split('id="h-steps"', 1)[1].split("</table>", 1)[0]
    assert '<td data-label="Cán bộ">Lê Văn Tâm</td>' in table
    assert "Chưa phân công" in table  # the approval step waiting for a leader


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("receive", "Tiếp nhận hồ sơ"),
        ("draft", "Tạo bản nháp"),
        ("result_uploaded", "Đính kèm tệp kết quả"),
        ("return_unsigned", "Trả kết quả bản giấy không ký số"),
        ("due_recomputed", "Tính lại hạn do thay đổi lịch làm việc"),
        ("no_such_action", "Cập nhật hồ sơ"),
    ],
)
def test_event_labels(action, label):
    assert selectors.event_label(action) == label


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("draft", "Bản nháp"),
        ("payment_requested", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        ("", ""),
        ("gone", "Trạng thái khác"),
    ],
)
def test_status_labels(status, label):
    assert selectors.status_label(status) == label


def test_public_lookup_history_is_in_words(client, make_received_dossier):
    dossier = make_received_dossier()
    page = client.get(
        reverse("dossiers:lookup"), {"code": dossier.code, "phone4": dossier.applicant_phone[-4:]}
    ).content.decode()
    history = page.split("Quá trình xử lý", 1)[1].split("</ol>", 1)[0]
    assert "Tiếp nhận hồ sơ" in history
    assert "receive" not in history and "registered" not in history
