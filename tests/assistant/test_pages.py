"""Pages: the conversation page without script, the chat box on public pages, the officers' review of
questions (who may open it, one-click FAQ entry and keywords) and the FAQ editor."""

import datetime

import pytest
from django.urls import reverse

from motcua.assistant.models import Exchange, FaqEntry
from motcua.assistant.services import ask
from motcua.catalog.models import Procedure
from motcua.catalog.search import search_procedures
from motcua.core.models import AuditEvent, Role
from tests.factories import CitizenUserFactory, OfficerFactory, grant

pytestmark = pytest.mark.django_db
CHAT = "/tro-ly/"


def test_no_script_form_keeps_the_conversation(client, catalog):
    page = client.get("/thu-tuc/")
    assert 'action="/tro-ly/"' in page.content.decode()  # the chat box on a public page
    response = client.post(CHAT, {"message": "đăng ký kết hôn cần giấy tờ gì"})
    assert response.status_code == 302 and response["Location"].startswith(CHAT)
    client.post(CHAT, {"message": "còn lệ phí bao nhiêu?"})
    html = client.get(CHAT).content.decode()
    assert "đăng ký kết hôn cần giấy tờ gì" in html
    assert "Tờ khai đăng ký kết hôn" in html
    assert "Miễn phí" in html
    assert 'href="/thu-tuc/1.000894/"' in html and 'href="/ho-so/nop/1.000894/"' in html
    assert Exchange.objects.values("conversation").distinct().count() == 1


def test_no_script_form_refusals(client, catalog):
    empty = client.post(CHAT, {"message": "  "})
    assert empty.status_code == 422 and "Vui lòng nhập câu hỏi." in empty.content.decode()
    long = client.post(CHAT, {"message": "a" * 1001})
    assert long.status_code == 422 and "dài quá 1000 ký tự" in long.content.decode()
    assert client.post(CHAT, {"message": "a" * 1000}).status_code == 302
    assert Exchange.objects.count() == 1


def test_officers_do_not_get_the_chat_box(client, catalog, manager):
    client.force_login(manager)
    assert 'id="tro-ly"' not in client.get("/thu-tuc/").content.decode()


@pytest.fixture
def reviewed_world(catalog, commune_a):
    ask("thời tiết mai ra sao")  # out of scope: unanswered
    ask("làm giấy khai sinh cho con")  # a sure answer: not listed
    admin = OfficerFactory(username="admin_a")
    grant(admin, Role.ADMINISTRATOR, unit=commune_a)
    receptionist = OfficerFactory(username="recv_a")
    grant(receptionist, Role.RECEPTIONIST, unit=commune_a)
    return {"admin": admin, "receptionist": receptionist, "citizen": CitizenUserFactory()}


def test_review_page_access(client, reviewed_world, manager):
    url = reverse("assistant:review")
    assert client.get(url).status_code == 302  # visitors sign in first
    for name in ("receptionist", "citizen"):
        client.force_login(reviewed_world[name])
        assert client.get(url).status_code == 403
        assert client.get(reverse("assistant:faq_list")).status_code == 403
        exchange = Exchange.objects.first()
        assert client.post(reverse("assistant:review_done", args=[exchange.pk])).status_code == 403
    for user in (manager, reviewed_world["admin"]):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "thời tiết mai ra sao" in html
        assert "làm giấy khai sinh cho con" not in html
        assert "Tạo câu hỏi thường gặp" in html and "Thêm từ khóa cho thủ tục" in html
        assert 'href="/tro-ly/cau-hoi/"' in html  # in their menu
    client.force_login(reviewed_world["receptionist"])
    assert 'href="/tro-ly/cau-hoi/"' not in client.get("/").content.decode()


def test_review_to_faq_in_one_click(client, reviewed_world, manager, catalog):
    exchange = Exchange.objects.get(text="thời tiết mai ra sao")
    client.force_login(manager)
    form = client.get(reverse("assistant:faq_new") + f"?tu={exchange.pk}")
    assert 'value="thời tiết mai ra sao"' in form.content.decode()
    response = client.post(
        reverse("assistant:faq_new") + f"?tu={exchange.pk}",
        {"question": "thời tiết mai ra sao", "answer": "Xem dự báo của Đài khí tượng tỉnh.", "keywords": "thoi tiet",
         "procedure_code": "", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.created_by == manager and entry.procedure is None
    exchange.refresh_from_db()
    assert exchange.reviewed
    assert AuditEvent.objects.filter(action="assistant.faq_created").exists()
    assert ask("thời tiết mai thế nào").answer == "Xem dự báo của Đài khí tượng tỉnh."


def test_faq_form_from_a_question_id_that_is_not_one(client, manager, catalog):
    client.force_login(manager)
    url = reverse("assistant:faq_new")
    for junk in ("²", "٣", "-1", "x", "", "9" * 19):  # not an id: the blank form, as without `tu`
        response = client.get(url, {"tu": junk})
        assert response.status_code == 200 and 'name="question"' in response.content.decode(), junk
    assert client.get(url, {"tu": "9" * 18}).status_code == 404  # the longest id: no such question


def test_faq_form_refusals(client, manager, catalog):
    client.force_login(manager)
    url = reverse("assistant:faq_new")
    bad_code = client.post(url, {"question": "q", "answer": "a", "procedure_code": "9.999"})
    assert bad_code.status_code == 200 and "Không có thủ tục với mã này." in bad_code.content.decode()
    backwards = client.post(
        url, {"question": "q", "answer": "a", "valid_from": "2026-05-02", "valid_until": "2026-05-01"}
    )
    assert backwards.status_code == 200 and "Ngày hết hiệu lực phải sau ngày bắt đầu." in backwards.content.decode()
    same_day = client.post(
        url, {"question": "q", "answer": "a", "valid_from": "2026-05-01", "valid_until": "2026-05-01",
              "procedure_code": "1.001193"},
    )  # fmt: skip
    assert same_day.status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.procedure == catalog["birth"] and entry.valid_until == datetime.date(2026, 5, 1)
    edit = client.post(reverse("assistant:faq_edit", args=[entry.pk]), {"question": "q2", "answer": "a2"})
    assert edit.status_code == 302
    entry.refresh_from_db()
    assert (entry.question, entry.is_active, entry.procedure) == ("q2", False, None)


def test_add_keywords_from_a_question(client, catalog, manager):
    reply = ask("thủ tục bà đẻ cho em bé")
    exchange = Exchange.objects.get()
    assert reply.procedures == [] or reply.procedures[0]["code"] != "1.000656"
    client.force_login(manager)
    url = reverse("assistant:review_keywords", args=[exchange.pk])
    refused = client.post(url, {"procedure": "9.999", "words": "bà đẻ"}, follow=True)
    assert "Không có thủ tục với mã này." in refused.content.decode()
    empty = client.post(url, {"procedure": "1.000656", "words": " ?! "}, follow=True)
    assert "Không có từ khóa để thêm." in empty.content.decode()
    client.post(url, {"procedure": "1.000656", "words": "bà đẻ em bé"})
    death = Procedure.objects.get(code="1.000656")
    assert death.keywords == "ba de em be"
    assert "ba de em be" in death.search_text
    client.post(url, {"procedure": "1.000656", "words": "Bà đẻ em bé"})  # once only
    assert Procedure.objects.get(code="1.000656").keywords == "ba de em be"
    exchange.refresh_from_db()
    assert exchange.reviewed
    assert search_procedures("ba de em be")[0].procedure.code == "1.000656"
    assert AuditEvent.objects.filter(action="catalog.procedure_keywords_added").count() == 2


def test_demo_builder_is_idempotent(catalog):
    from motcua.demo.assistant import FAQ, assistant_demo_build

    first = assistant_demo_build()
    assert first.faq_created == len(FAQ) and first.questions == 3
    again = assistant_demo_build()
    assert (again.faq_created, again.questions) == (0, 0)
    assert FaqEntry.objects.get(question=FAQ[0][0]).procedure == catalog["birth"]
    assert ask("khai sinh có mất tiền không").source == "faq"
