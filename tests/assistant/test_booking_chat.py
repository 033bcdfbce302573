"""Booking a slot by chat: the flow through the API (portal, with the one-time code), on Zalo and
SMS, leaving it, invalid choices, a slot filled meanwhile, and who may see the booking afterwards.

Time is frozen at Monday 7 Dec 2026 08:00 local (a working day); office "An Thạnh" has two groups
(Hộ tịch with capacity 1 per 30-minute slot, Chứng thực), office "Bình Minh" one group.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.appointments.models import Booking, BookingChannel, BookingPolicy, BookingStatus
from motcua.assistant.models import Conversation, Exchange
from motcua.assistant.services import ask
from motcua.core import calendar
from motcua.core.models import Counter
from motcua.notifications.models import Message
from motcua.queue.models import ServiceGroup
from tests.browser.conftest import browser, context_overrides, page  # noqa: F401  (fixtures)
from tests.factories import AgencyFactory, CommuneFactory, OfficeFactory

URL = "/api/v1/assistant/ask"
MONDAY = datetime.date(2026, 12, 7)
TUESDAY = MONDAY + datetime.timedelta(days=1)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), calendar.local_tz())


@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 8))


def _group(office, code, name, per_counter=1):
    group = ServiceGroup.objects.create(office=office, code=code, name=name, prefix=code[:1].upper())
    group.counters.set([Counter.objects.create(office=office, number=ServiceGroup.objects.count(), name="Quầy")])
    BookingPolicy.objects.create(group=group, slot_minutes=30, per_counter=per_counter, cutoff_minutes=60)
    return group


@pytest.fixture
def offices(db):
    an_thanh = OfficeFactory(name="Bộ phận một cửa xã An Thạnh", agency=AgencyFactory(unit=CommuneFactory()))
    binh_minh = OfficeFactory(name="Bộ phận một cửa xã Bình Minh", agency=AgencyFactory(unit=CommuneFactory()))
    civil = _group(an_thanh, "ho-tich", "Hộ tịch")
    _group(an_thanh, "chung-thuc", "Chứng thực")
    _group(binh_minh, "ho-tich", "Hộ tịch")
    return {"an_thanh": an_thanh, "binh_minh": binh_minh, "civil": civil}


def _post(client, message, conversation=None):
    response = client.post(URL, {"message": message, "conversation": conversation}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _key(reply, label_part):
    return next(c["key"] for c in reply["choices"] if label_part in c["label"])


def _otp():
    return re.search(r"\b(\d{6})\b", Message.objects.filter(event="otp.booking").latest("id").body).group(1)


def _to_tuesday_8(client, offices, conversation=None):
    """Walk office → group → day → slot; the reply asking for the phone (portal)."""
    first = _post(client, "cho tôi đặt lịch nộp hồ sơ", conversation)
    # The API keeps its three intents: a booking turn answers "procedure", with the flow's choices.
    assert first["intent"] == "procedure" and first["source"] == "booking"
    assert first["choices"][0] == {"key": "1", "label": "Bộ phận một cửa xã An Thạnh"}
    assert "1. Bộ phận một cửa xã An Thạnh" in first["answer"]  # the same choices as text (SMS, Zalo)
    conv = first["conversation"]
    groups = _post(client, _key(first, "An Thạnh"), conv)
    assert [c["label"] for c in groups["choices"]] == ["Chứng thực", "Hộ tịch"]
    days = _post(client, _key(groups, "Hộ tịch"), conv)
    assert days["choices"][0]["label"] == "Thứ Hai 07/12/2026"
    slots = _post(client, _key(days, "08/12/2026"), conv)
    assert slots["choices"][0]["label"] == "07:00"
    return _post(client, _key(slots, "08:00"), conv), conv


def test_a_whole_booking_through_the_api_with_the_code_step(client, offices):
    asked, conv = _to_tuesday_8(client, offices)
    assert "số điện thoại" in asked["answer"] and asked["choices"] == []
    bad_phone = _post(client, "12345", conv)
    assert "số điện thoại" in bad_phone["answer"].lower() and not Message.objects.filter(event="otp.booking")
    sent = _post(client, "0912 345 678", conv)
    assert "091****678" in sent["answer"]
    wrong = _post(client, "000000", conv)
    assert "không đúng" in wrong["answer"] and Booking.objects.count() == 0
    confirm = _post(client, _otp(), conv)
    assert "08:00" in confirm["answer"] and confirm["choices"][0] == {"key": "1", "label": "Xác nhận đặt lịch"}
    done = _post(client, "1", conv)
    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.ASSISTANT and booking.phone == "0912345678"
    assert booking.slot_start == at(TUESDAY, 8) and booking.group == offices["civil"]
    assert booking.code in done["answer"] and reverse("appointments:booking", args=[booking.code]) in done["answer"]
    assert done["choices"] == []
    # The flow is over: the next message is an ordinary question again.
    assert "booking" not in Conversation.objects.get(public_id=conv).context
    # The code typed in the chat is not kept in the stored questions.
    assert not Exchange.objects.filter(text__contains=_otp())
    # Access: this client (which booked) opens the page; another only with the code and the phone.
    booking_page = reverse("appointments:booking", args=[booking.code])
    assert client.get(booking_page).status_code == 200
    other = Client()
    assert other.get(booking_page).status_code == 404
    miss = other.post(reverse("appointments:lookup"), {"ma": booking.code, "dien_thoai": "0987654321"})
    assert "Không tìm thấy lịch hẹn" in miss.content.decode()
    found = other.post(reverse("appointments:lookup"), {"ma": booking.code, "dien_thoai": "0912345678"})
    assert found.status_code == 302 and other.get(booking_page).status_code == 200


def test_leaving_the_flow(client, offices):
    first = _post(client, "book lịch nộp hồ sơ")
    groups = _post(client, "1", first["conversation"])
    left = _post(client, "thôi", first["conversation"])
    assert left["choices"] == [] and "thôi đặt lịch" in left["answer"]
    assert "booking" not in Conversation.objects.get(public_id=first["conversation"]).context
    assert groups["choices"]
    # "1" now is no longer a choice of the flow.
    after = _post(client, "1", first["conversation"])
    assert after["source"] != "booking"
    assert Booking.objects.count() == 0


def test_hủy_at_the_phone_step_leaves_too(client, offices):
    asked, conv = _to_tuesday_8(client, offices)
    left = _post(client, "hủy", conv)
    assert "thôi đặt lịch" in left["answer"] and not Message.objects.filter(event="otp.booking")


@pytest.mark.parametrize("answer", ["0", "3", "mười", "99"])
def test_an_invalid_choice_repeats_the_question_with_a_hint(client, offices, answer):
    first = _post(client, "đặt lịch")
    again = _post(client, answer, first["conversation"])
    assert again["intent"] == "procedure" and again["source"] == "booking"
    assert "từ 1 đến 2" in again["answer"]
    assert again["choices"] == first["choices"]


def test_the_last_choice_is_valid(client, offices):
    first = _post(client, "đặt lịch")
    groups = _post(client, "2", first["conversation"])  # Bình Minh: one group, straight to the days
    assert groups["choices"][0]["label"] == "Thứ Hai 07/12/2026"


def test_a_slot_filled_meanwhile_is_told_and_others_offered(client, offices):
    _asked, conv = _to_tuesday_8(client, offices)
    _post(client, "0912345678", conv)
    _post(client, _otp(), conv)
    # Someone else takes the last place of 08:00 (capacity 1) before the citizen confirms.
    Booking.objects.create(
        code="ZZZZZZ", office=offices["an_thanh"], group=offices["civil"], day=TUESDAY, slot_start=at(TUESDAY, 8),
        slot_end=at(TUESDAY, 8, 30), channel=BookingChannel.PORTAL, phone="0987654321", name="Người khác",
    )  # fmt: skip
    full = _post(client, "1", conv)
    assert "đủ người" in full["answer"]
    labels = [c["label"] for c in full["choices"]]
    assert "08:00" not in labels and "08:30" in labels
    again = _post(client, _key(full, "08:30"), conv)
    assert "08:30" in again["answer"]  # the phone is already proven: straight to confirm
    _post(client, "1", conv)
    mine = Booking.objects.exclude(code="ZZZZZZ").get()
    assert mine.slot_start == at(TUESDAY, 8, 30) and mine.status == BookingStatus.BOOKED


def test_the_procedure_discussed_before_picks_the_group(client, offices, catalog):
    offices["civil"].procedures.add(catalog["birth"])
    about = _post(client, "làm giấy khai sinh")
    first = _post(client, "giờ tôi muốn đặt lịch", about["conversation"])
    days = _post(client, _key(first, "An Thạnh"), about["conversation"])
    assert "Hộ tịch" in days["answer"] and days["choices"][0]["label"] == "Thứ Hai 07/12/2026"


def test_sms_uses_the_senders_phone_without_a_code(offices):
    reply = ask("đặt lịch", channel="sms", sender="0912345678")
    for choice in ("1", "2", "2", "3"):  # An Thạnh, Hộ tịch, Tuesday, 08:00
        reply = ask(choice, channel="sms", sender="0912345678")
    assert "091****678" in reply.answer and [c["key"] for c in reply.choices] == ["1", "2"]
    done = ask("1", channel="sms", sender="0912345678")
    booking = Booking.objects.get()
    assert booking.code == done.booking_code and booking.phone == "0912345678"
    assert booking.channel == BookingChannel.ASSISTANT and not Message.objects.filter(event="otp.booking")


def test_zalo_user_without_phone_is_asked_for_it_and_the_code(offices):
    sender = "8421000000001"[:2] + "zalo-user-77"
    ask("lấy số trước", channel="zalo", sender=sender)
    for choice in ("1", "2", "2", "3"):
        reply = ask(choice, channel="zalo", sender=sender)
    assert "số điện thoại" in reply.answer
    reply = ask("0912345678", channel="zalo", sender=sender)
    assert "091****678" in reply.answer
    reply = ask(_otp(), channel="zalo", sender=sender)
    done = ask("1", channel="zalo", sender=sender)
    assert Booking.objects.get().code == done.booking_code


def test_other_messages_do_not_start_the_flow(offices, catalog):
    assert ask("làm giấy khai sinh").understood == "procedure"
    assert ask("hẹn giờ nộp hồ sơ được không").understood == "booking"


def test_booking_by_sms_keywords_through_the_gateway_text(offices):
    from motcua.assistant.channels.services import sms_reply_text

    phone = "0912345678"
    first = sms_reply_text(phone, "TT dat lich")
    assert "1. Bo phan mot cua xa An Thanh" in first  # unaccented, the choices numbered
    for choice in ("1", "2", "2", "3"):
        text = sms_reply_text(phone, choice)
    assert "091****678" in text
    done = sms_reply_text(phone, "1")
    booking = Booking.objects.get()
    assert booking.code in done and booking.channel == BookingChannel.ASSISTANT
    # The flow is over: a bare number is the help text again.
    assert booking.code not in sms_reply_text(phone, "1")


def test_signed_in_citizen_gets_their_communes_office_first_and_no_code(client, offices):
    from tests.factories import PersonFactory, UserFactory

    person = PersonFactory(phone="0987000111", unit=offices["binh_minh"].agency.unit)
    user = UserFactory(person=person)
    client.force_login(user)
    first = _post(client, "đặt lịch")
    assert first["choices"][0]["label"] == "Bộ phận một cửa xã Bình Minh"
    conv = first["conversation"]
    days = _post(client, "1", conv)
    slots = _post(client, _key(days, "08/12/2026"), conv)
    confirm = _post(client, _key(slots, "08:00"), conv)
    assert "098****111" in confirm["answer"]
    _post(client, "1", conv)
    booking = Booking.objects.get()
    assert booking.person == person and booking.office == offices["binh_minh"]
    assert not Message.objects.filter(event="otp.booking")


def test_officers_see_the_chat_booking_only_at_their_office(offices):
    from motcua.appointments.selectors import booking_for_officer
    from motcua.core.errors import NotFound
    from motcua.core.models import Role
    from tests.factories import OfficerFactory, grant

    ask("đặt lịch", channel="sms", sender="0912345678")
    for choice in ("1", "2", "2", "3", "1"):
        done = ask(choice, channel="sms", sender="0912345678")
    here, there = OfficerFactory(username="desk_here"), OfficerFactory(username="desk_there")
    grant(here, Role.RECEPTIONIST, agency=offices["an_thanh"].agency)
    grant(there, Role.RECEPTIONIST, agency=offices["binh_minh"].agency)
    assert booking_for_officer(here, done.booking_code).code == done.booking_code
    with pytest.raises(NotFound):
        booking_for_officer(there, done.booking_code)


def test_a_whole_booking_through_the_zalo_webhook(client, offices, settings, tmp_path, monkeypatch):
    from motcua.assistant.channels import services as channel_services

    from ._channels_world import channel_settings, zalo_running

    channel_settings(settings, tmp_path)
    monkeypatch.setattr(channel_services, "now_ms", lambda: 1_765_130_000_000)
    user = "246845883529197922"
    with zalo_running(settings) as oa:

        def send(text, n):
            body, mac = oa.signed_event(
                oa.event("user_send_text", user_id=user, text=text, timestamp=1_765_130_000_000 + n)
            )
            response = client.post(
                "/tro-ly/zalo/webhook/", data=body, content_type="application/json",
                headers={"X-ZEvent-Signature": mac},
            )  # fmt: skip
            assert response.status_code == 200
            return Message.objects.filter(recipient=user).latest("id").body

        assert "1. Bộ phận một cửa xã An Thạnh" in send("mình muốn hẹn giờ nộp hồ sơ", 0)
        for n, choice in enumerate(("1", "2", "2", "3"), start=1):
            text = send(choice, n)
        assert "số điện thoại" in text  # a Zalo user id is not a phone: asked, then the code
        assert "091****678" in send("0912345678", 5)
        assert "Xác nhận đặt lịch" in send(_otp(), 6)
        done = send("1", 7)
    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.ASSISTANT and booking.phone == "0912345678"
    assert f"https://dichvucong.camau.gov.vn/dat-lich/lich-hen/{booking.code}/" in done


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_booking_in_the_chat_box_with_buttons_on_a_phone(page, live_server, offices):  # noqa: F811
    page.goto(f"{live_server.url}/thu-tuc/")
    box = page.locator("#tro-ly")
    box.locator("summary").tap()
    field = page.get_by_label("Câu hỏi về thủ tục, hồ sơ")

    def send(text):
        count = box.locator("li.chat-a").count()
        field.fill(text)
        page.get_by_role("button", name="Gửi").tap()
        box.locator("li.chat-a").nth(count).wait_for()

    def choose(label):
        count = box.locator("li.chat-a").count()
        box.locator("li.chat-a").last.get_by_role("button", name=label).tap()
        box.locator("li.chat-a").nth(count).wait_for()

    send("đặt lịch nộp hồ sơ")
    choose("1. Bộ phận một cửa xã An Thạnh")
    choose("2. Hộ tịch")
    choose("2. Thứ Ba 08/12/2026")
    choose("3. 08:00")
    assert "số điện thoại" in box.locator("li.chat-a").last.inner_text()
    send("0912345678")
    send(_otp())
    choose("1. Xác nhận đặt lịch")
    booking = Booking.objects.get()
    assert booking.code in box.locator("li.chat-a").last.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The browser that booked in the chat opens the booking page.
    page.goto(f"{live_server.url}/dat-lich/lich-hen/{booking.code}/")
    assert booking.code in page.content()
