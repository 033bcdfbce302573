import datetime

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import AuditEvent
from motcua.notifications.broadcasts import selectors as sel
from motcua.notifications.broadcasts import sending
from motcua.notifications.broadcasts import services as svc
from motcua.notifications.models import Audience, BroadcastRecipient, BroadcastStatus, Message, MessageStatus
from motcua.notifications.sms import cost, segments, unaccented

from ._broadcast_world import household, make_world, opt_out, residents

pytestmark = pytest.mark.django_db

BODY = "Thông báo: ngày 20/11 tiêm chủng tại trạm y tế xã, mời bà con đưa trẻ đến."


@pytest.fixture
def w():
    return make_world()


def draft(w, **kwargs):
    params = {"title": "Tiêm chủng", "body": BODY, "unit_ids": [w.a.pk]} | kwargs
    return svc.broadcast_create(actor=w.author, **params)


def approved(w, **kwargs):
    broadcast = draft(w, **kwargs)
    svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    return svc.broadcast_approve(actor=w.leader, broadcast=broadcast)


# --- approval rule -----------------------------------------------------------------------------


def test_leader_of_same_commune_approves_and_it_is_audited(w):
    residents(w.a, w.a1, 2)
    broadcast = draft(w)
    svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    broadcast = svc.broadcast_approve(actor=w.leader, broadcast=broadcast, note="Đồng ý")
    assert broadcast.status == BroadcastStatus.APPROVED
    assert broadcast.decided_by == w.leader
    actions = list(
        AuditEvent.objects.filter(object_type="broadcast", object_id=str(broadcast.pk)).values_list("action", flat=True)
    )
    assert {"broadcast.created", "broadcast.submitted", "broadcast.approved"} <= set(actions)


def test_author_can_never_approve_even_as_leader(w):
    residents(w.a, None, 1)
    broadcast = svc.broadcast_create(actor=w.leader, title="T", body="Noi dung", unit_ids=[w.a.pk])
    svc.broadcast_submit(actor=w.leader, broadcast=broadcast)
    with pytest.raises(PermissionDenied) as exc:
        svc.broadcast_approve(actor=w.leader, broadcast=broadcast)
    assert exc.value.code == "self_approval_forbidden"
    # Another leader whose scope covers the commune (the province's) may.
    assert svc.broadcast_approve(actor=w.province_leader, broadcast=broadcast).status == BroadcastStatus.APPROVED


@pytest.mark.parametrize("who", ["specialist", "leader_b"])
def test_non_leader_and_other_communes_leader_cannot_approve(w, who):
    residents(w.a, None, 1)
    broadcast = draft(w)
    svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    with pytest.raises(PermissionDenied) as exc:
        svc.broadcast_approve(actor=getattr(w, who), broadcast=broadcast)
    assert exc.value.code == "approval_forbidden"
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SUBMITTED


def test_reject_needs_reason_and_rejected_draft_can_be_edited_and_resubmitted(w):
    residents(w.a, None, 1)
    broadcast = draft(w)
    svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    with pytest.raises(DomainError) as exc:
        svc.broadcast_reject(actor=w.leader, broadcast=broadcast, note=" ")
    assert exc.value.code == "reason_required"
    svc.broadcast_reject(actor=w.leader, broadcast=broadcast, note="Sửa lại ngày")
    broadcast = svc.broadcast_update(
        actor=w.author,
        broadcast=broadcast,
        title="Tiêm chủng",
        body=BODY + " Sửa ngày 21/11.",
        audience="residents",
        unit_ids=[w.a.pk],
    )
    assert broadcast.status == BroadcastStatus.DRAFT
    assert svc.broadcast_submit(actor=w.author, broadcast=broadcast).status == BroadcastStatus.SUBMITTED


def test_invalid_state_lists_allowed_actions(w):
    residents(w.a, None, 1)
    broadcast = draft(w)
    with pytest.raises(DomainError) as exc:
        svc.broadcast_approve(actor=w.leader, broadcast=broadcast)
    assert exc.value.code == "invalid_state" and exc.value.status == 409
    assert exc.value.details["allowed"] == ["cancel"]  # the leader may only cancel someone's draft


def test_area_outside_scope_is_refused(w):
    with pytest.raises(PermissionDenied) as exc:
        draft(w, unit_ids=[w.b.pk])
    assert exc.value.code == "not_in_scope"
    with pytest.raises(PermissionDenied):
        draft(w, unit_ids=[], hamlet_ids=[w.b1.pk])
    with pytest.raises(PermissionDenied):
        draft(w, unit_ids=[w.province.pk])


def test_access_across_communes(w):
    broadcast = draft(w)
    assert sel.broadcast_get_for(w.leader, broadcast.pk) == broadcast
    assert sel.broadcast_get_for(w.province_leader, broadcast.pk) == broadcast
    with pytest.raises(NotFound):
        sel.broadcast_get_for(w.leader_b, broadcast.pk)
    assert list(sel.broadcast_list_for(w.leader_b)) == []


# --- counts ------------------------------------------------------------------------------------


def test_counts_by_area_and_audience_exclude_opted_out_and_repeat_phones(w):
    a1_people = residents(w.a, w.a1, 3)
    residents(w.a, w.a2, 2)
    residents(w.b, w.b1, 4)
    residents(w.a, w.a1, 1, phone="")  # no phone: cannot be reached
    opt_out(a1_people[0])
    # A second person sharing a phone with someone else counts once.
    residents(w.a, w.a1, 1, phone=a1_people[1].phone)

    def count(**kw):
        return sel.audience_count(audience=kw.pop("audience", Audience.RESIDENTS), **kw)

    assert count(unit_ids=[w.a.pk], hamlet_ids=[]) == 4
    assert count(unit_ids=[], hamlet_ids=[w.a1.pk]) == 2
    assert count(unit_ids=[w.province.pk], hamlet_ids=[]) == 8
    assert count(unit_ids=[w.a.pk], hamlet_ids=[w.b1.pk]) == 8

    head = a1_people[2]
    household(w.a1, head=head, phone="0987000001")  # head's own phone wins
    household(w.a1, phone="0987000002")
    household(w.a2, phone="")  # no phone at all
    household(w.b1, phone="0987000003")
    household(w.a2, head=a1_people[0], phone="0987000004")  # head opted out
    assert count(audience=Audience.HOUSEHOLD_HEADS, unit_ids=[w.a.pk], hamlet_ids=[]) == 2
    assert set(
        sel.audience_rows(audience=Audience.HOUSEHOLD_HEADS, unit_ids=[w.a.pk], hamlet_ids=[]).values_list(
            "contact", flat=True
        )
    ) == {head.phone, "0987000002"}


def test_preview_segments_and_cost(w, settings):
    settings.SMS_SEGMENT_PRICE = 800
    residents(w.a, None, 5)
    preview = sel.broadcast_preview(body=BODY, unaccented=True, audience="residents", unit_ids=[w.a.pk], hamlet_ids=[])
    assert preview.text == unaccented(BODY) and preview.encoding == "GSM-7"
    assert preview.segments == segments(unaccented(BODY)).segments == 1
    assert preview.cost == cost(1, 5) == 4000
    accented = sel.broadcast_preview(
        body=BODY, unaccented=False, audience="residents", unit_ids=[w.a.pk], hamlet_ids=[]
    )
    assert accented.encoding == "UCS-2" and accented.segments == 2 and accented.cost == 8000


# --- CSV ---------------------------------------------------------------------------------------


CSV = (
    "Họ tên;Số điện thoại;Ấp/khóm\n"
    "Nguyễn Văn A;0912 345 678;Ấp Một\n"
    "Trần Thị B;+84912345678;Ấp Hai\n"  # same number as row 2
    "Lê Văn C;12345;\n"
    "Phạm Văn D;0983111222;\n"
    "Võ Thị E;0983111333;Không có ấp này\n"
).encode()


def test_csv_reports_bad_rows_and_needs_confirmation(w):
    opted = residents(w.a, None, 1, phone="0983111222")[0]
    opt_out(opted)
    broadcast = draft(w, audience=Audience.CSV, unit_ids=[])
    report = svc.broadcast_csv_upload(actor=w.author, broadcast=broadcast, content=CSV)
    assert report.counts() == {"ok": 2, "invalid": 1, "duplicate": 1, "opted_out": 1}
    bad = {d["row"]: d["state"] for d in report.bad_details()}
    assert bad == {3: "duplicate", 4: "invalid", 5: "opted_out"}
    first = BroadcastRecipient.objects.get(broadcast=broadcast, row_number=2)
    assert (first.phone, first.hamlet, first.unit) == ("0912345678", w.a1, w.a)

    with pytest.raises(DomainError) as exc:
        svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    assert exc.value.code == "csv_unconfirmed" and exc.value.details["bad_rows"] == 3
    broadcast = svc.broadcast_submit(actor=w.author, broadcast=broadcast, confirm_bad_rows=True)
    assert broadcast.recipient_count == 2
    svc.broadcast_approve(actor=w.leader, broadcast=broadcast)
    sending.broadcasts_dispatch()
    assert sorted(Message.objects.filter(broadcast=broadcast).values_list("recipient", flat=True)) == [
        "0912345678",
        "0983111333",
    ]


@pytest.mark.parametrize(
    "content",
    [b"ten,email\nA,a@example.com\n", "Họ tên,Số điện thoại\nA,123\nB,abc\n".encode(), b"\xff\xfe\x00garbage"],
)
def test_unusable_csv_is_refused_with_details(w, content):
    broadcast = draft(w, audience=Audience.CSV, unit_ids=[])
    with pytest.raises(DomainError) as exc:
        svc.broadcast_csv_upload(actor=w.author, broadcast=broadcast, content=content)
    assert exc.value.code == "csv_invalid"
    assert BroadcastRecipient.objects.filter(broadcast=broadcast).count() == 0


# --- sending -----------------------------------------------------------------------------------


def test_enqueue_creates_exactly_one_message_per_good_recipient(w, settings):
    settings.SMS_SEGMENT_PRICE = 800
    people = residents(w.a, w.a1, 4)
    residents(w.a, w.a2, 1, phone=people[0].phone)
    opt_out(people[3])
    broadcast = approved(w)
    result = sending.broadcasts_dispatch()
    assert result["started"] == 1 and result["enqueued"] == 3
    messages = Message.objects.filter(broadcast=broadcast)
    assert messages.count() == 3 == BroadcastRecipient.objects.filter(broadcast=broadcast).count()
    m = messages.get(recipient=people[1].phone)
    assert m.dedupe_key == f"broadcast:{broadcast.pk}:{people[1].phone}"
    assert (m.channel, m.urgent, m.status, m.segments, m.cost) == ("sms", False, "created", 1, 800)
    assert m.body == unaccented(BODY) and m.person == people[1]
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENDING and broadcast.recipient_count == 3
    # Running again starts nothing twice and keeps it sending while messages are pending.
    assert sending.broadcasts_dispatch() == {"started": 0, "enqueued": 0, "finished": 0}
    assert messages.count() == 3
    messages.update(status=MessageStatus.DELIVERED)
    assert sending.broadcasts_dispatch()["finished"] == 1
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE and broadcast.finished_at


def test_scheduled_broadcast_waits_for_its_time(w):
    residents(w.a, None, 2)
    at = timezone.now() + datetime.timedelta(hours=2)
    broadcast = approved(w, scheduled_at=at)
    assert sending.broadcasts_dispatch(now=at - datetime.timedelta(minutes=1))["started"] == 0
    assert not Message.objects.filter(broadcast=broadcast).exists()
    assert sending.broadcasts_dispatch(now=at)["enqueued"] == 2
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENDING


def test_cancel_mid_way_keeps_what_the_provider_has(w):
    residents(w.a, None, 6)
    broadcast = approved(w)
    sending.broadcasts_dispatch()
    ids = list(Message.objects.filter(broadcast=broadcast).order_by("id").values_list("id", flat=True))
    Message.objects.filter(id__in=ids[:2]).update(status=MessageStatus.DELIVERED)
    Message.objects.filter(id=ids[2]).update(status=MessageStatus.SENDING)
    Message.objects.filter(id=ids[3]).update(status=MessageStatus.TEMPORARY_FAILURE)
    svc.broadcast_cancel(actor=w.author, broadcast=broadcast)
    by_status = sel.broadcast_progress(broadcast)["by_status"]
    assert (by_status["delivered"], by_status["sending"], by_status["cancelled"], by_status["created"]) == (2, 1, 3, 0)
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.CANCELLED and broadcast.cancelled_by == w.author
    with pytest.raises(DomainError) as exc:
        svc.broadcast_cancel(actor=w.author, broadcast=broadcast)
    assert exc.value.code == "invalid_state" and exc.value.details["allowed"] == []


def test_cancelled_before_its_time_is_never_sent(w):
    residents(w.a, None, 2)
    broadcast = approved(w, scheduled_at=timezone.now() + datetime.timedelta(hours=1))
    svc.broadcast_cancel(actor=w.leader, broadcast=broadcast)
    sending.broadcasts_dispatch(now=timezone.now() + datetime.timedelta(hours=2))
    assert not Message.objects.filter(broadcast=broadcast).exists()


def test_report_per_commune_and_hamlet(w):
    residents(w.a, w.a1, 3)
    residents(w.a, w.a2, 2)
    broadcast = approved(w)
    sending.broadcasts_dispatch()
    a1_phones = list(
        BroadcastRecipient.objects.filter(broadcast=broadcast, hamlet=w.a1).values_list("phone", flat=True)
    )
    Message.objects.filter(broadcast=broadcast, recipient__in=a1_phones[:2]).update(status=MessageStatus.DELIVERED)
    Message.objects.filter(broadcast=broadcast, recipient=a1_phones[2]).update(status=MessageStatus.PERMANENT_FAILURE)
    rows = {(r["unit"], r["hamlet"]): r for r in sel.broadcast_report(broadcast)}
    assert rows[(w.a.name, w.a1.name)]["delivered"] == 2
    assert rows[(w.a.name, w.a1.name)]["permanent_failure"] == 1
    assert rows[(w.a.name, w.a1.name)]["total"] == 3
    assert rows[(w.a.name, w.a2.name)]["created"] == 2
    csv_text = sel.report_csv(sel.broadcast_report(broadcast))
    assert csv_text.startswith("\ufeff") and f"{w.a.name},{w.a1.name},3," in csv_text


def test_household_heads_are_enqueued_once_per_phone_by_the_command(w):
    head = residents(w.a, w.a1, 1)[0]
    household(w.a1, head=head, phone="0987000001")
    household(w.a2, phone="0987000002")
    household(w.a2, phone="0987000002", name="Hộ thứ hai cùng số")
    broadcast = approved(w, audience=Audience.HOUSEHOLD_HEADS)
    from django.core.management import call_command

    call_command("broadcasts_dispatch")
    assert sorted(Message.objects.filter(broadcast=broadcast).values_list("recipient", flat=True)) == sorted(
        [head.phone, "0987000002"]
    )
    assert Message.objects.get(recipient=head.phone).person == head
    assert BroadcastRecipient.objects.get(broadcast=broadcast, phone=head.phone).hamlet == w.a1
