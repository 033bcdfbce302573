import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.notifications.models import Broadcast, BroadcastStatus, Message

from ._broadcast_world import make_world, residents

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def test_officer_writes_previews_submits_and_leader_approves(client, w):
    residents(w.a, w.a1, 3)
    client.force_login(w.author)
    page = client.get("/thong-bao-dien-rong/soan-moi/")
    assert page.status_code == 200 and w.a.name in page.content.decode() and w.b.name not in page.content.decode()
    form = {
        "owner_unit": w.a.pk,
        "title": "Vệ sinh môi trường",
        "body": "Sáng chủ nhật tổng vệ sinh.",
        "unaccented": "on",
        "audience": "residents",
        "units": [w.a.pk],
    }
    preview = client.post("/thong-bao-dien-rong/uoc-tinh/", form, HTTP_HX_REQUEST="true")
    assert "data-recipients>3<" in preview.content.decode().replace(" ", "")
    assert "Sang chu nhat tong ve sinh." in preview.content.decode()
    response = client.post("/thong-bao-dien-rong/soan-moi/", form)
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/thong-bao-dien-rong/{broadcast.pk}/"
    detail = client.get(f"/thong-bao-dien-rong/{broadcast.pk}/").content.decode()
    assert "Trình lãnh đạo duyệt" in detail and "Duyệt gửi" not in detail
    client.post(f"/thong-bao-dien-rong/{broadcast.pk}/submit/")
    refused = client.post(f"/thong-bao-dien-rong/{broadcast.pk}/approve/", follow=True)
    assert "không được tự duyệt" in refused.content.decode()

    client.force_login(w.leader)
    assert "Duyệt gửi" in client.get(f"/thong-bao-dien-rong/{broadcast.pk}/").content.decode()
    client.post(f"/thong-bao-dien-rong/{broadcast.pk}/approve/", {"note": "Đồng ý"})
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.APPROVED

    from motcua.notifications.broadcasts.sending import broadcasts_dispatch

    broadcasts_dispatch()
    progress = client.get(f"/thong-bao-dien-rong/{broadcast.pk}/tien-do/", HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in progress and 'hx-trigger="every 3s"' in progress
    report = client.get(f"/thong-bao-dien-rong/{broadcast.pk}/bao-cao.csv")
    assert report.status_code == 200 and w.a1.name in report.content.decode()
    client.post(f"/thong-bao-dien-rong/{broadcast.pk}/cancel/")
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}


def test_csv_page_flow_and_other_commune_sees_nothing(client, w):
    client.force_login(w.author)
    form = {"owner_unit": w.a.pk, "title": "Danh sách", "body": "Mời họp.", "audience": "csv"}
    client.post("/thong-bao-dien-rong/soan-moi/", form)
    broadcast = Broadcast.objects.get()
    csv_file = SimpleUploadedFile("ds.csv", "họ tên,số điện thoại\nA,0912345678\nB,12\n".encode())
    page = client.post(
        f"/thong-bao-dien-rong/{broadcast.pk}/danh-sach/", {"file": csv_file}, follow=True
    ).content.decode()
    assert "Số điện thoại di động không hợp lệ" in page and 'name="confirm_bad_rows"' in page
    client.post(f"/thong-bao-dien-rong/{broadcast.pk}/submit/")
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DRAFT
    client.post(f"/thong-bao-dien-rong/{broadcast.pk}/submit/", {"confirm_bad_rows": "on"})
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SUBMITTED

    client.force_login(w.leader_b)
    assert client.get(f"/thong-bao-dien-rong/{broadcast.pk}/").status_code == 404
    assert "Danh sách" not in client.get("/thong-bao-dien-rong/").content.decode()
    assert client.get("/thong-bao-dien-rong/soan-moi/").status_code == 200  # writes for their own commune


@pytest.mark.parametrize("bad", ["²", "9" * 30])
def test_preview_with_an_odd_broadcast_id_is_not_a_500(client, w, bad):
    client.force_login(w.author)
    form = {"owner_unit": w.a.pk, "body": "Mời họp.", "audience": "csv", "broadcast_id": bad}
    response = client.post("/thong-bao-dien-rong/uoc-tinh/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
