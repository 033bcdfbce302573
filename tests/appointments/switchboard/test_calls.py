"""Whole calls by digits: booking, the menu's other keys, invalid input and silence."""

import datetime

import pytest

from motcua.appointments.models import Booking, BookingChannel, SwitchboardCall
from motcua.appointments.services import book
from motcua.notifications.models import Message

from .conftest import CALLER, gather, texts

pytestmark = pytest.mark.django_db


def options(call_id="c1") -> list[dict]:
    return SwitchboardCall.objects.get(call_id=call_id).choices["options"]


def test_booking_by_digits_makes_one_phone_booking_and_reads_its_code(dial, policy, office, group):
    start = dial("start")
    assert start.status_code == 200
    assert "Bấm 1 để đặt lịch hẹn" in " ".join(texts(start))
    assert gather(start) == {"max_digits": 1, "timeout": 8}
    # every prompt carries its audio: an absolute, signed URL of the spoken words
    assert all(
        a["play"].startswith("http") and "/am-thanh/" in a["play"] for a in start.json()["actions"] if "play" in a
    )

    offices = dial("digits", "1")
    assert offices.json()["state"] == "office"
    assert f"Bấm 1: {office.name}." in texts(offices)
    groups = dial("digits", "1")
    assert "Bấm 1: Hộ tịch." in texts(groups)
    days = dial("digits", "1")
    assert days.json()["state"] == "day"
    first_day = options()[0]
    assert f"Bấm 1: {first_day['label']}." in texts(days)
    assert first_day["label"].startswith(("thứ ", "Chủ nhật")) and " tháng " in first_day["label"]
    slots = dial("digits", "1")
    assert slots.json()["state"] == "slot"
    first_slot = options()[0]
    assert " giờ" in first_slot["label"]
    confirm = dial("digits", "1")
    assert confirm.json()["state"] == "confirm"
    assert any(first_slot["label"] in t and first_day["label"] in t for t in texts(confirm))

    done = dial("digits", "1")
    body = done.json()
    assert body["hangup"] is True and body["state"] == "ended"
    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.PHONE and booking.phone == CALLER
    assert booking.group == group and booking.slot_start == datetime.datetime.fromisoformat(first_slot["key"])
    assert f"Mã đặt lịch của ông/bà là {booking.code}." in texts(done)[0]
    call = SwitchboardCall.objects.get()
    assert call.booking_code == booking.code and call.ended_at is not None
    # the booking's confirmation, with the code, waits in the outbox for the caller's phone
    sms = Message.objects.filter(recipient=CALLER, channel="sms")
    assert sms.count() == 1 and booking.code in sms.get().body


def test_saying_no_at_the_confirmation_offers_the_slots_again(dial, policy):
    for digits in ("", "1", "1", "1", "1", "1"):
        dial("digits", digits) if digits else dial("start")
    again = dial("digits", "2")
    assert again.json()["state"] == "slot"
    assert not Booking.objects.exists()


def test_a_slot_taken_meanwhile_is_told_and_other_slots_offered(dial, policy, group):
    dial("start")
    for _press in range(5):  # book, office 1, group 1, day 1, slot 1
        dial("digits", "1")
    chosen = SwitchboardCall.objects.get().choices["slot"]
    book(
        group=group,
        slot_start=datetime.datetime.fromisoformat(chosen),
        channel="portal",
        name="Người khác",
        phone="0987000111",
    )
    answer = dial("digits", "1")
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"] == "slot" and body["hangup"] is False
    assert any("không đặt được lịch" in t and "đủ người" in t for t in texts(answer))
    assert chosen not in [o["key"] for o in options()]
    assert Booking.objects.filter(channel=BookingChannel.PHONE).count() == 0
    # and the caller can book another one
    dial("digits", "1")
    dial("digits", "1")
    assert Booking.objects.filter(channel=BookingChannel.PHONE).count() == 1


def test_nine_repeats_the_menu_and_zero_transfers_to_the_hotline(dial):
    first = dial("start")
    repeat = dial("digits", "9")
    assert texts(repeat) == texts(first)[1:]  # without the greeting
    transfer = dial("digits", "0")
    actions = transfer.json()["actions"]
    assert {"transfer": {"number": "02903836000"}} in actions
    assert SwitchboardCall.objects.get().state == "ended"


@pytest.mark.parametrize("event", ["digits", "timeout"])
def test_two_wrong_tries_repeat_the_prompt_and_the_third_says_goodbye(dial, event):
    dial("start")
    for attempt in (1, 2):
        answer = dial(event, "7")
        body = answer.json()
        assert body["hangup"] is False and body["state"] == "menu"
        assert SwitchboardCall.objects.get().tries == attempt
        assert "Bấm 1 để đặt lịch hẹn làm thủ tục hành chính. Bấm 2 để nghe tình trạng hồ sơ." in texts(answer)
    last = dial(event, "7")
    body = last.json()
    assert body["hangup"] is True and body["state"] == "ended"
    assert "Xin chào và hẹn gặp lại" in texts(last)[-1]


def test_a_valid_choice_resets_the_tries(dial, policy):
    dial("start")
    dial("digits", "7")
    dial("digits", "7")
    dial("digits", "1")  # to the offices
    assert SwitchboardCall.objects.get().tries == 0
    assert dial("digits", "5").json()["state"] == "office"  # no fifth office: invalid, not the end


def test_no_bookable_office_is_said_and_the_menu_read_again(dial):
    dial("start")
    answer = dial("digits", "1")
    assert answer.json()["state"] == "menu"
    assert "Hiện chưa có nơi nào nhận đặt lịch qua tổng đài." in texts(answer)


def test_hangup_ends_the_call(dial):
    dial("start")
    answer = dial("hangup")
    assert answer.json() == {"call_id": "c1", "state": "ended", "actions": [], "hangup": True}


def test_a_long_list_is_read_eight_at_a_time_with_nine_for_more(dial, policy, office):
    from motcua.appointments.models import BookingPolicy
    from motcua.queue.models import ServiceGroup
    from tests.factories import OfficeFactory

    for n in range(9):  # ten offices in all
        other = OfficeFactory(name=f"Bộ phận một cửa số {n:02d}")
        BookingPolicy.objects.create(group=ServiceGroup.objects.create(office=other, code="g", name="G", prefix="A"))
    dial("start")
    first = dial("digits", "1")
    listed = options()
    assert len(listed) == 10
    said = texts(first)
    assert f"Bấm 8: {listed[7]['label']}." in said and listed[8]["label"] not in " ".join(said)
    assert "Bấm 9 để nghe các lựa chọn khác." in said
    second = dial("digits", "9")
    said = texts(second)
    assert f"Bấm 1: {listed[8]['label']}." in said and f"Bấm 2: {listed[9]['label']}." in said
    assert dial("digits", "3").json()["state"] == "office"  # only two on this page
    assert texts(dial("digits", "9"))[1] == f"Bấm 1: {listed[0]['label']}."  # after the last page, the first
    dial("digits", "9")
    chosen = dial("digits", "2")
    assert chosen.json()["state"] == "group"
    assert SwitchboardCall.objects.get().choices["office_label"] == listed[9]["label"]


def test_nine_options_are_read_at_once_and_nine_chooses_the_ninth(dial, policy):
    from motcua.appointments.models import BookingPolicy
    from motcua.queue.models import ServiceGroup
    from tests.factories import OfficeFactory

    for n in range(8):  # nine offices in all
        other = OfficeFactory(name=f"Bộ phận một cửa số {n:02d}")
        BookingPolicy.objects.create(group=ServiceGroup.objects.create(office=other, code="g", name="G", prefix="A"))
    dial("start")
    said = texts(dial("digits", "1"))
    assert "Bấm 9 để nghe các lựa chọn khác." not in said
    ninth = options()[8]
    assert f"Bấm 9: {ninth['label']}." in said
    dial("digits", "9")
    assert SwitchboardCall.objects.get().choices["office_label"] == ninth["label"]


def test_a_long_sentence_is_cut_into_parts_each_with_its_audio():
    from motcua.appointments.switchboard.machine import SAY_MAX, Answer

    text = " ".join(["Liên thông các thủ tục hành chính về đăng ký khai tử"] * 8)
    actions = Answer().say(text).actions
    assert len(actions) > 1
    assert " ".join(a["text"] for a in actions) == text
    assert all(len(a["text"]) <= SAY_MAX and "/am-thanh/" in a["play"] for a in actions)
    assert [a["text"] for a in Answer().say("x" * SAY_MAX).actions] == ["x" * SAY_MAX]


def test_the_prompts_audio_is_vietnamese_speech_of_the_words(dial, client, settings, tmp_path):
    from urllib.parse import parse_qs, urlsplit

    settings.VOICE_CACHE_DIR = tmp_path / "voice"
    play = next(a["play"] for a in dial("start").json()["actions"] if "play" in a)
    url = urlsplit(play)
    assert parse_qs(url.query)["t"] == ["Tổng đài dịch vụ công xin kính chào ông bà."]
    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
