import pytest
from django.core.management import call_command

from motcua.core.errors import DomainError
from motcua.notifications import sms
from motcua.notifications.admin import MessageTemplateForm
from motcua.notifications.models import MessageTemplate
from motcua.notifications.services.notify import notify
from motcua.notifications.services.templates import template_save
from motcua.notifications.templates import DOSSIER_EVENTS, EVENTS, preview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime")]


def test_a_placeholder_the_event_does_not_supply_is_refused():
    with pytest.raises(DomainError) as exc:
        template_save(event="dossier.received", channel="sms", body="Hồ sơ ((ma_ho_so)) của ((so_tai_khoan))")
    assert exc.value.code == "template_invalid"
    assert "((so_tai_khoan))" in exc.value.message
    assert not MessageTemplate.objects.exists()


def test_the_admin_form_refuses_it_too_in_vietnamese():
    form = MessageTemplateForm(
        data={
            "event": "dossier.refused",
            "channel": "sms",
            "subject": "",
            "body": "Lý do: ((ly_do)), hạn ((ngay_hen_moi))",
            "provider_template_id": "",
        }
    )
    assert not form.is_valid()
    assert "không có trong sự kiện" in str(form.errors)


def test_editing_saves_a_new_version_and_messages_record_it(citizen_person):
    first = template_save(event="notice", channel="sms", body="V1: ((noi_dung))")
    second = template_save(event="notice", channel="sms", body="V2: ((noi_dung))")
    first.refresh_from_db()
    assert (first.version, first.is_active, second.version, second.is_active) == (1, False, 2, True)
    notify(person=citizen_person, event="notice", title="Họp dân", body="Tối nay 19 giờ", dedupe_key="n1")
    message = citizen_person.messages.get()
    assert (message.template_id, message.template_version) == (second.pk, 2)
    assert message.body == "V2: Toi nay 19 gio"


def test_preview_fills_sample_values_and_counts_the_sms():
    result = preview(
        event="dossier.received",
        channel="sms",
        subject="",
        body="((co_quan)): Đã tiếp nhận hồ sơ ((ma_ho_so)). Hẹn trả ((ngay_hen)).",
    )
    facts = result["sms"]["unaccented"]
    assert facts["text"].startswith("UBND xa Tan Thanh: Da tiep nhan ho so 000.00.20.H12-260316-0007")
    assert facts["encoding"] == "GSM-7" and facts["segments"] == 1
    assert facts["cost"] == sms.cost(1)
    assert result["sms"]["accented"]["encoding"] == "UCS-2"
    assert result["problems"] == []


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("ă" * 70, "UCS-2", 1),
        ("ă" * 71, "UCS-2", 2),
        ("ă" * 134, "UCS-2", 2),
        ("ă" * 135, "UCS-2", 3),
    ],
)
def test_segments(text, encoding, segments):
    info = sms.segments(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_default_templates_cover_every_dossier_event_and_channel_and_load_once():
    call_command("load_message_templates", verbosity=0)
    call_command("load_message_templates", verbosity=0)
    for event in DOSSIER_EVENTS:
        for channel in ("sms", "zalo", "email", "inbox"):
            assert MessageTemplate.objects.filter(event=event, channel=channel, version=1).count() == 1
    assert MessageTemplate.objects.filter(event="broadcast", channel="sms").exists()
    assert set(DOSSIER_EVENTS) >= {
        f"dossier.{n}" for n in ("received", "supplement_requested", "result_ready", "apology", "refused")
    }
    assert "broadcast" in EVENTS


def test_default_sms_templates_fit_one_segment_with_sample_values():
    call_command("load_message_templates", verbosity=0)
    for template in MessageTemplate.objects.filter(channel="sms", event__startswith="dossier."):
        facts = preview(event=template.event, channel="sms", subject="", body=template.body)["sms"]["unaccented"]
        assert facts["encoding"] == "GSM-7", template.event
        assert facts["segments"] <= 2, template.event
