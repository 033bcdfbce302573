"""A citizen's one inbox: /ho-so/hop-thu/ holds portal messages and channel deliveries; the old
address redirects there; web addresses in a message (the rating link) are real links."""

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.notifications.models import InboxMessage
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_old_address_redirects_permanently_keeping_the_query(client, citizen):
    client.force_login(citizen)
    response = client.get("/thong-bao/cua-toi/?page=2&x=%C3%A1")
    assert response.status_code == 301
    assert response.url == reverse("dossiers:inbox") + "?page=2&x=%C3%A1"
    assert client.get("/thong-bao/cua-toi/").url == reverse("dossiers:inbox")


def test_the_inbox_shows_portal_messages_deliveries_and_the_opt_out(client, citizen):
    InboxMessage.objects.create(person=citizen.person, event="x", title="Họp dân ấp 2", body="…", dedupe_key="i1")
    client.force_login(citizen)
    page = client.get(reverse("dossiers:inbox")).content.decode()
    assert "Họp dân ấp 2" in page
    assert "Tin đã gửi qua SMS, Zalo, thư điện tử" in page
    assert reverse("notifications:opt_out") in page


def test_the_rating_link_in_a_returned_notice_is_a_link_on_this_site(client, citizen):
    link = settings.PUBLIC_BASE_URL + reverse("ratings:token", args=["q3Xn0bVfK2LmT8wY"])
    body = f"Kết quả của hồ sơ X đã được trả. Đánh giá tại: {link}"
    InboxMessage.objects.create(
        person=citizen.person, event="dossier.returned", title="Đã trả", body=body, dedupe_key="r"
    )
    client.force_login(citizen)
    page = client.get(reverse("dossiers:inbox")).content.decode()
    path = reverse("ratings:token", args=["q3Xn0bVfK2LmT8wY"])
    assert f'<a href="{path}">Đánh giá mức độ hài lòng</a>' in page
    assert link not in page


def test_message_text_stays_text_and_only_web_addresses_become_links(client, citizen):
    body = '<script>alert(1)</script> xem https://example.org/a?b=1&c="2". javascript:alert(1)'
    InboxMessage.objects.create(person=citizen.person, event="x", title="T", body=body, dedupe_key="s")
    client.force_login(citizen)
    page = client.get(reverse("dossiers:inbox")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org/a?b=1&amp;c=">https://example.org/a?b=1&amp;c=</a>' in page
    assert 'href="javascript' not in page


def test_a_citizen_has_one_inbox_link_and_never_another_persons_messages(client, citizen):
    InboxMessage.objects.create(person=PersonFactory(), event="x", title="Thư người khác", body="…", dedupe_key="o")
    client.force_login(citizen)
    page = client.get(reverse("dossiers:my_list")).content.decode()
    assert page.count(f'href="{reverse("dossiers:inbox")}"') >= 1
    assert "/thong-bao/cua-toi/" not in page
    assert "Thư người khác" not in client.get(reverse("dossiers:inbox")).content.decode()
