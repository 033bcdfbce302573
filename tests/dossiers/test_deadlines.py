"""Due dates, pause/resume, restart after supplement, the deadline job and apology letters."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus

from motcua.core.errors import DomainError
from motcua.dossiers.models import ApologyLetter, Channel, DeadlineState, DossierEvent, DossierStatus, StepKind
from motcua.dossiers.services.deadlines import apology_send, deadlines_refresh
from motcua.dossiers.services.workflow import dossier_act
from motcua.dossiers.tasks import dossier_deadlines_refresh
from motcua.notifications.models import InboxMessage

from .conftest import MONDAY_10, TZ

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 10, month: int = 3, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ)


# --- due dates across Tết 2026 (16–20/02/2026 off, weekends either side) -------------------------


def test_online_dossier_received_before_tet_is_due_after_it(make_received_dossier, citizen):
    dossier = make_received_dossier(at=_at(12, month=2))  # Thursday 12/02
    # Thu 10:00 -> Fri 10:00 (1) -> Tết and weekends skipped -> Mon 23/02 10:00 (2) -> Tue 24/02 10:00 (3)
    assert dossier.due_at == _at(24, month=2)
    assert "24/02/2026" in InboxMessage.objects.get(person=citizen.person, event="dossier.received").body


def test_paper_dossier_after_cut_off_counts_from_the_first_day_after_tet(make_received_dossier):
    dossier = make_received_dossier(at=_at(13, 15, month=2, minute=30), channel=Channel.COUNTER)
    assert dossier.due_at == _at(25, 17, month=2)


def test_online_dossier_after_cut_off_counts_from_the_moment(make_received_dossier):
    dossier = make_received_dossier(at=_at(13, 15, month=2, minute=30))
    # 1.5 h on Fri 13/02, then Mon 23, Tue 24, and 6.5 h on Wed 25/02 (4.5 h morning, 2 h afternoon).
    assert dossier.due_at == _at(25, 15, month=2, minute=30)


# --- supplement: pause, then the time limit restarts in full -------------------------------------


def test_supplement_restarts_the_time_limit(received_dossier_at_monday, specialist_a, citizen):
    d = dossier_act(
        dossier=received_dossier_at_monday,
        actor=specialist_a,
        action="request_supplement",
        items=["Giấy chứng sinh bản chính"],
        now=_at(17),
    )
    assert d.status == DossierStatus.SUPPLEMENT_REQUESTED and d.paused_at == _at(17)
    assert d.supplement_count == 1

    d = dossier_act(dossier=d, actor=citizen, action="supplement", now=_at(20, 14))

    assert d.status == DossierStatus.PROCESSING
    assert d.clock_started_at == _at(20, 14) and d.paused_at is None
    assert d.due_at == _at(25, 14)  # three full working days from Friday 14:00
    appraise = d.steps.get(kind=StepKind.APPRAISE)
    assert _at(20, 14) < appraise.due_at <= d.due_at
    assert d.supplement_requests.get().completed_at == _at(20, 14)
    assert "25/03/2026" in InboxMessage.objects.get(person=citizen.person, event="dossier.supplement_received").body


def test_supplement_at_the_counter_after_cut_off_starts_next_working_day(
    received_dossier_at_monday, specialist_a, receptionist_a
):
    d = dossier_act(
        dossier=received_dossier_at_monday,
        actor=specialist_a,
        action="request_supplement",
        items=["Giấy chứng sinh"],
        now=_at(17),
    )
    d = dossier_act(dossier=d, actor=receptionist_a, action="supplement", now=_at(20, 16))
    assert d.due_at == _at(25, 17)


def test_second_supplement_request_is_allowed_but_flagged(received_dossier_at_monday, specialist_a, citizen):
    d = dossier_act(
        dossier=received_dossier_at_monday,
        actor=specialist_a,
        action="request_supplement",
        items=["Giấy chứng sinh"],
        now=_at(17),
    )
    d = dossier_act(dossier=d, actor=citizen, action="supplement", now=_at(18))
    d = dossier_act(
        dossier=d, actor=specialist_a, action="request_supplement", items=["Chữ ký người đi khai"], now=_at(19)
    )
    assert d.supplement_count == 2
    assert d.events.latest("id").data["repeat"] is True
    assert InboxMessage.objects.filter(person=citizen.person, event="dossier.supplement_requested").count() == 2


# --- payment: pause and resume, the due date moves by the time waited ---------------------------


def test_payment_pauses_and_resumes_the_clock(received_dossier_at_monday, specialist_a, cashier_a):
    before = {s.pk: s.due_at for s in received_dossier_at_monday.steps.exclude(state="done")}
    d = dossier_act(
        dossier=received_dossier_at_monday, actor=specialist_a, action="request_fees", amount=8000, now=_at(17)
    )
    assert d.status == DossierStatus.PAYMENT_REQUESTED and d.paused_at == _at(17)
    assert d.due_at == _at(19)

    d = dossier_act(dossier=d, actor=cashier_a, action="fees_paid", receipt_number="BL-01", now=_at(18))

    assert d.status == DossierStatus.PROCESSING and d.paused_at is None
    assert d.due_at == _at(20)  # one working day waited, one day later
    assert d.events.latest("id").data["paused_days"] == "1"
    after = {s.pk: s.due_at for s in d.steps.exclude(state="done")}
    assert all(after[pk] > before[pk] for pk in before)


def test_payment_waiting_over_a_weekend_counts_only_working_time(received_dossier_at_monday, specialist_a, cashier_a):
    d = dossier_act(
        dossier=received_dossier_at_monday, actor=specialist_a, action="request_fees", amount=8000, now=_at(18)
    )  # Wednesday 10:00
    d = dossier_act(dossier=d, actor=cashier_a, action="fees_paid", now=_at(23))  # next Monday 10:00
    assert d.events.latest("id").data["paused_days"] == "3"
    assert d.due_at == _at(24)


# --- the deadline job ----------------------------------------------------------------------------


@pytest.fixture
def received_dossier_at_monday(make_received_dossier):
    return make_received_dossier(at=MONDAY_10)


@pytest.fixture
def job_dossiers(make_received_dossier, leader_a, specialist_a):
    due_soon = make_received_dossier(at=MONDAY_10)  # due Thu 19/03 10:00
    dossier_act(dossier=due_soon, actor=leader_a, action="assign", assignee=specialist_a.pk, now=MONDAY_10)
    on_time = make_received_dossier(at=_at(18, 9))  # due Mon 23/03 09:00
    overdue = make_received_dossier(at=_at(12))  # due Tue 17/03 10:00
    near_resolution = make_received_dossier(at=MONDAY_10)
    dossier_act(dossier=near_resolution, actor=specialist_a, action="appraise", note="Hợp lệ", now=_at(17))
    paused = make_received_dossier(at=_at(12))
    dossier_act(dossier=paused, actor=specialist_a, action="request_supplement", items=["Tờ khai"], now=_at(13))
    return {
        "due_soon": due_soon,
        "on_time": on_time,
        "overdue": overdue,
        "near_resolution": near_resolution,
        "paused": paused,
    }


def test_deadline_job_marks_states_and_drafts_apologies_once(job_dossiers, specialist_a):
    now = _at(18)  # Wednesday 18/03 10:00
    counts = deadlines_refresh(now=now, batch_size=2)

    states = {k: type(d).objects.get(pk=d.pk).deadline_state for k, d in job_dossiers.items()}
    assert states == {
        "due_soon": DeadlineState.DUE_SOON,
        "on_time": DeadlineState.ON_TIME,
        "overdue": DeadlineState.OVERDUE,
        "near_resolution": DeadlineState.DUE_SOON,
        "paused": DeadlineState.ON_TIME,
    }
    assert counts == {"overdue": 1, "due_soon": 2, "on_time": 0, "apologies_drafted": 2}
    letter = ApologyLetter.objects.get(dossier=job_dossiers["due_soon"])
    assert letter.drafted_by == specialist_a and letter.sent_at is None
    # Remaining work (appraise 1.5 + approve 1 day) counted from the current due date.
    assert letter.new_due_at == _at(23, 16)
    assert ApologyLetter.objects.filter(dossier=job_dossiers["overdue"]).exists()
    assert not ApologyLetter.objects.filter(dossier=job_dossiers["near_resolution"]).exists()
    assert not InboxMessage.objects.filter(event="dossier.apology").exists()  # drafted, not sent

    again = deadlines_refresh(now=now, batch_size=2)
    assert again == {"overdue": 0, "due_soon": 0, "on_time": 0, "apologies_drafted": 0}
    assert ApologyLetter.objects.count() == 2
    assert DossierEvent.objects.filter(action="apology_drafted").count() == 2


def test_apology_is_sent_once(job_dossiers, specialist_a, citizen, officers):
    deadlines_refresh(now=_at(18))
    dossier = job_dossiers["due_soon"]
    with pytest.raises(DomainError) as exc:
        apology_send(dossier=dossier, actor=officers["b"]["leader"])
    assert exc.value.status == 403

    letter = apology_send(dossier=dossier, actor=specialist_a)

    dossier.refresh_from_db()
    assert letter.sent_at and letter.sent_by == specialist_a
    assert dossier.apology_due_at == letter.new_due_at == _at(23, 16)
    message = InboxMessage.objects.get(person=citizen.person, event="dossier.apology")
    assert "23/03/2026" in message.body
    with pytest.raises(DomainError) as exc:
        apology_send(dossier=dossier, actor=specialist_a)
    assert exc.value.code == "apology_already_sent" and exc.value.status == 409
    assert InboxMessage.objects.filter(event="dossier.apology").count() == 1


def test_apology_send_without_draft_is_409(received_dossier, specialist_a):
    with pytest.raises(DomainError) as exc:
        apology_send(dossier=received_dossier, actor=specialist_a)
    assert exc.value.code == "apology_missing"


def test_task_and_command_run_the_job(job_dossiers):
    result = dossier_deadlines_refresh.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert set(result.return_value) == {"overdue", "due_soon", "on_time", "apologies_drafted"}
    out = StringIO()
    call_command("dossier_deadlines", stdout=out)
    assert "apologies_drafted=0" in out.getvalue()


def test_late_resolution_is_recorded(received_dossier_at_monday, specialist_a, leader_a):
    d = dossier_act(
        dossier=received_dossier_at_monday, actor=specialist_a, action="appraise", note="Hợp lệ", now=_at(19)
    )
    d = dossier_act(dossier=d, actor=leader_a, action="approve", now=_at(19, 11))
    assert d.status == DossierStatus.RESOLVED and d.finished_late is True
