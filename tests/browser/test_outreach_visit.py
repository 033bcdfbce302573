"""Recording a visit from a phone-sized page (360x740) in a real browser: one online, one made
offline that waits in the phone's queue and is sent once when the connection returns."""

import pytest

from motcua.outreach.models import IndicatorAchievement, Visit
from tests.browser.conftest import sign_in
from tests.outreach import helpers

area = helpers.area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_overrides():
    # Service workers blocked: the offline behaviour under test is the page's own queue.
    return {"service_workers": "block"}


def test_record_online_then_offline_sent_once(page, live_server, area):
    sign_in(page, live_server, area.member_a)
    page.goto(f"{live_server.url}/cong-nghe-so/ghi-nhan/")
    page.get_by_label("Tìm hộ theo tên chủ hộ").fill("binh")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Nguyễn Văn Bình").click()
    page.get_by_label("Đã hỗ trợ Nguyễn Văn Bình").check()
    page.get_by_label("Có tài khoản dịch vụ công trực tuyến – Nguyễn Văn Bình").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**ok=1")
    assert "Đã ghi nhận lượt hỗ trợ" in page.locator("body").inner_text()
    assert Visit.objects.count() == 1

    # The connection drops: the entry is kept on the phone.
    page.context.set_offline(True)
    page.get_by_label("Đã hỗ trợ Nguyễn Thị Hoa").check()
    page.get_by_label("SIM di động đứng tên chính chủ – Nguyễn Thị Hoa").check()
    page.get_by_label("Ghi chú (không bắt buộc)").fill("Ghi khi mất sóng")
    page.get_by_role("button", name="Lưu").click()
    status = page.locator("#queue-status")
    status.get_by_text("Đang chờ gửi (1)").wait_for()
    assert Visit.objects.count() == 1

    # Back online: the queue is sent by itself, once.
    page.context.set_offline(False)
    status.get_by_text("Đã gửi các lượt ghi nhận đang chờ").wait_for()
    assert Visit.objects.count() == 2
    offline_visit = Visit.objects.get(note="Ghi khi mất sóng")
    assert IndicatorAchievement.objects.get(indicator__code="sim_owner").visit == offline_visit
    # A reload finds nothing left to send and sends nothing again.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert (
        page.evaluate(
            """() => new Promise((ok) => { const r = indexedDB.open('motcua-outreach', 1);
             r.onsuccess = () => { const q = r.result.transaction('queue').objectStore('queue').count();
               q.onsuccess = () => ok(q.result); }; })"""
        )
        == 0
    )
    assert Visit.objects.count() == 2
