import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core.calendar import add_working_days
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.fieldreports.models import FieldReport, ReportEvent, ReportFollower, ReportLink, ReportStatus
from motcua.fieldreports.services.handling import TRANSITIONS, allowed_actions, report_act
from motcua.notifications.models import InboxMessage
from tests.fieldreports.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db
S = ReportStatus


def act(report, actor, action, **params):
    return report_act(report=report, actor=actor, action=action, **params)


def test_full_path_accept_answer_confirm(make_report, handler_a, citizen, categories):
    report = make_report()
    before = timezone.now()
    report = act(report, handler_a, "accept")
    assert report.status == S.ACCEPTED and report.accepted_at
    expected = add_working_days(report.accepted_at, categories["rac-thai"].deadline_days)
    assert report.due_at == expected and report.due_at > before
    report = act(report, handler_a, "assign", assignee=handler_a.pk)
    assert report.assignee == handler_a
    report = act(report, handler_a, "answer", text="Đã thu gom rác.", outcome="resolved",
                 media=[jpeg_with_gps(name="sau.jpg")])
    assert report.status == S.ANSWERED and report.media.filter(stage="after").count() == 1
    report = act(report, citizen, "confirm")
    assert report.status == S.CLOSED and report.citizen_confirmed_at
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["submit", "accept", "assign", "answer", "confirm"]
    assert InboxMessage.objects.filter(person=citizen.person, event="fieldreport.answered").count() == 1


def test_forbidden_transitions_are_409_and_roles_403(make_report, handler_a, citizen):
    report = make_report()
    with pytest.raises(DomainError) as err:
        act(report, handler_a, "answer", text="x", outcome="resolved")
    assert err.value.code == "action_not_allowed" and err.value.status == 409
    with pytest.raises(DomainError) as err:
        act(report, citizen, "confirm")
    assert err.value.code == "action_not_allowed"
    with pytest.raises(PermissionDenied):
        act(report, citizen, "accept")
    assert FieldReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_every_table_action_has_a_step():
    from motcua.fieldreports.services import handling_steps

    for actions in TRANSITIONS.values():
        for action in actions:
            assert hasattr(handling_steps, f"do_{action}")


def test_officer_of_other_agency_cannot_act(make_report, handler_b):
    report = make_report()
    with pytest.raises(PermissionDenied):
        act(report, handler_b, "accept")


def test_refuse_requires_reason_and_spam_hides(make_report, handler_a):
    report = make_report()
    with pytest.raises(DomainError) as err:
        act(report, handler_a, "refuse", reason="boring")
    assert err.value.code == "reason_invalid"
    report = act(report, handler_a, "refuse", reason="spam", text="Quảng cáo")
    assert report.status == S.REFUSED and report.hidden and not report.is_public


def test_transfer_resets_acceptance_window(make_report, handler_a, handler_b, agency_b):
    report = make_report()
    report = act(report, handler_a, "accept")
    with pytest.raises(DomainError) as err:
        act(report, handler_a, "transfer", agency=agency_b.pk)
    assert err.value.code == "reason_required"
    report = act(report, handler_a, "transfer", agency=agency_b.code, reason="Thuộc phường Bạc Liêu")
    assert report.status == S.SUBMITTED and report.agency == agency_b and report.accepted_at is None
    assert report.due_at == add_working_days(report.events.last().at, 5) or report.due_at > timezone.now()
    report = act(report, handler_b, "accept")
    assert report.status == S.ACCEPTED


def test_answer_not_ours_can_transfer(make_report, handler_a, agency_b):
    report = act(make_report(), handler_a, "accept")
    report = act(report, handler_a, "answer", text="Không thuộc thẩm quyền", outcome="not_ours", agency=agency_b.pk)
    assert report.status == S.SUBMITTED and report.agency == agency_b


def test_reopen_within_seven_days_counts(make_report, handler_a, citizen):
    report = act(make_report(), handler_a, "accept")
    report = act(report, handler_a, "answer", text="Xong", outcome="partly")
    with pytest.raises(DomainError) as err:
        act(report, citizen, "reopen")
    assert err.value.code == "reason_required"
    report = act(report, citizen, "reopen", reason="Vẫn còn rác")
    assert report.status == S.ACCEPTED and report.reopen_count == 1
    report = act(report, handler_a, "answer", text="Đã dọn hết", outcome="resolved")
    FieldReport.objects.filter(pk=report.pk).update(answered_at=timezone.now() - datetime.timedelta(days=8))
    report.refresh_from_db()
    assert "reopen" not in allowed_actions(report=report, actor=citizen)
    with pytest.raises(DomainError) as err:
        act(report, citizen, "reopen", reason="Lại có rác")
    assert err.value.code == "reopen_window_closed"


def test_merge_moves_followers_links_and_tells_everyone(make_report, handler_a, citizen, citizen2):
    survivor = make_report(reporter=citizen2)
    duplicate = make_report()
    follower = type(citizen).objects.get(pk=citizen.pk)
    duplicate = act(duplicate, handler_a, "merge", into=survivor.code)
    assert duplicate.status == S.MERGED and duplicate.merged_into == survivor
    assert ReportFollower.objects.filter(report=survivor, user=follower).exists()
    assert not ReportFollower.objects.filter(report=duplicate).exists()
    assert ReportLink.objects.filter(from_report=duplicate, to_report=survivor).exists()
    survivor.refresh_from_db()
    assert survivor.follower_count == 2
    assert InboxMessage.objects.filter(person=citizen.person, event="fieldreport.merged").count() == 1
    assert ReportEvent.objects.filter(report=survivor, action="merged_in").exists()


def test_merge_needs_same_category(make_report, handler_a, categories):
    other = make_report(category=categories["tieng-on"])
    with pytest.raises(DomainError) as err:
        act(make_report(), handler_a, "merge", into=other.code)
    assert err.value.code == "merge_category_mismatch"


def test_link_hide_unhide_review_follow(make_report, handler_a, citizen2):
    a, b = make_report(), make_report()
    act(a, handler_a, "link", other=b.code)
    assert ReportLink.objects.filter(from_report=a, to_report=b, kind="related").count() == 1
    act(b, handler_a, "link", other=a.code)  # stored once per pair
    assert ReportLink.objects.count() == 1
    with pytest.raises(DomainError):
        act(a, handler_a, "hide")
    a = act(a, handler_a, "hide", reason="Trùng lặp")
    assert a.hidden
    a = act(a, handler_a, "unhide")
    assert not a.hidden
    b = act(b, citizen2, "follow")
    assert b.follower_count == 2
    b = act(b, citizen2, "unfollow")
    assert FieldReport.objects.get(pk=b.pk).follower_count == 1


def test_moderation_flags_hold_back_and_review_masks(make_report, handler_a):
    report = make_report(description="Liên hệ tôi 0912 345 678, CCCD 096085000123, đồ ngu như bò")
    assert not report.reviewed and not report.is_public
    assert set(report.flags["personal_data"]) >= {"phone", "personal_id"}
    assert report.flags["abusive"]
    report = act(report, handler_a, "review", mask=True)
    assert report.reviewed and "0912" not in report.public_description
    assert "096085000123" not in report.public_description


def test_follow_of_non_public_report_is_not_found(make_report, citizen2):
    report = make_report(description="Gọi 0912345678")
    with pytest.raises(NotFound):
        act(report, citizen2, "follow")


def test_rating_after_confirm(make_report, handler_a, citizen):
    report = act(make_report(), handler_a, "accept")
    report = act(report, handler_a, "answer", text="Xong", outcome="resolved")
    report = act(report, citizen, "confirm", level=4)
    assert report.status == S.CLOSED
    from motcua.ratings.models import Rating

    assert Rating.objects.filter(field_report=report).count() == 1


def test_answer_with_fake_after_photo_leaves_nothing(make_report, handler_a, settings):
    report = act(make_report(), handler_a, "accept")
    bad = SimpleUploadedFile("x.jpg", b"not an image")
    with pytest.raises(DomainError):
        act(report, handler_a, "answer", text="Xong", outcome="resolved", media=[bad])
    report.refresh_from_db()
    assert report.status == S.ACCEPTED and report.media.count() == 0
