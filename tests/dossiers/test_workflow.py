"""The transition table, its guards and the workflow steps (services/workflow.py)."""

import datetime
from decimal import Decimal

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import AgencyKind, Role
from motcua.dossiers.models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    DossierStep,
    StepKind,
    SupplementRequest,
    Workflow,
    WorkflowStep,
)
from motcua.dossiers.services.workflow import (
    ACTION_ROLES,
    TRANSITIONS,
    allowed_actions,
    dossier_act,
)
from motcua.dossiers.workflows import ensure_default_workflows, split_durations
from motcua.notifications.models import InboxMessage
from tests.factories import AgencyFactory, CitizenUserFactory, OfficerFactory, grant

from .conftest import MONDAY_10, TZ

S = DossierStatus
pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 10, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def states(make_dossier, make_received_dossier, specialist_a, leader_a, receptionist_a, agency_b, citizen):
    """Builders of a dossier in each reachable state, through the workflow itself."""

    def received():
        return make_received_dossier(at=MONDAY_10)

    def approving():
        return dossier_act(dossier=received(), actor=specialist_a, action="appraise", note="Đủ điều kiện", now=_at(17))

    def resolved():
        return dossier_act(dossier=approving(), actor=leader_a, action="approve", now=_at(18))

    def supplement_requested():
        return dossier_act(
            dossier=received(),
            actor=specialist_a,
            action="request_supplement",
            items=["Bản sao giấy chứng sinh"],
            now=_at(17),
        )

    def supplement_at_intake():
        return dossier_act(
            dossier=make_dossier(),
            actor=receptionist_a,
            action="request_supplement",
            items=["Tờ khai có chữ ký"],
            now=_at(16, 11),
        )

    def payment_requested():
        return dossier_act(dossier=received(), actor=specialist_a, action="request_fees", amount=8000, now=_at(17))

    def transferred():
        return dossier_act(
            dossier=received(),
            actor=leader_a,
            action="transfer",
            agency=agency_b.pk,
            reason="Thuộc thẩm quyền xã Lý Văn Lâm",
            now=_at(17),
        )

    return {
        "registered": make_dossier,
        "received": received,
        "approving": approving,
        "resolved": resolved,
        "supplement_requested": supplement_requested,
        "supplement_at_intake": supplement_at_intake,
        "payment_requested": payment_requested,
        "transferred": transferred,
    }


@pytest.fixture
def actors(officers, citizen):
    return {**officers["a"], "citizen": citizen, "specialist_b": officers["b"][Role.SPECIALIST]}


def _result_doc(dossier):
    DossierDocument.objects.create(dossier=dossier, kind=DocumentKind.RESULT, name="Giấy khai sinh (bản điện tử)")
    return {}


# (state, action, actor, params, expected status, extra check)
TRANSITION_CASES = [
    ("registered", "receive", "receptionist", {}, S.RECEIVED, None),
    ("registered", "refuse_intake", "receptionist", {"reason": "Không thuộc thẩm quyền"}, S.NOT_RECEIVED, None),
    (
        "registered",
        "request_supplement",
        "receptionist",
        {"items": "Tờ khai\nGiấy chứng sinh"},
        S.SUPPLEMENT_REQUESTED,
        None,
    ),
    ("registered", "withdraw", "citizen", {}, S.WITHDRAWN, None),
    ("received", "appraise", "specialist", {"note": "Đủ điều kiện"}, S.PROCESSING, None),
    ("received", "forward", "specialist", {}, S.PROCESSING, None),
    ("received", "request_supplement", "specialist", {"items": ["Giấy chứng sinh"]}, S.SUPPLEMENT_REQUESTED, None),
    ("received", "request_fees", "specialist", {"amount": 8000}, S.PAYMENT_REQUESTED, None),
    ("received", "refuse_after_appraisal", "specialist", {"reason": "Không đủ điều kiện"}, S.RESOLVED, None),
    ("received", "stop", "leader", {"reason": "Quá hạn bổ sung"}, S.STOPPED, None),
    ("received", "withdraw", "citizen", {}, S.WITHDRAWN, None),
    ("received", "withdraw", "receptionist", {"reason": "Đơn xin rút ngày 17/3"}, S.WITHDRAWN, None),
    ("received", "assign", "leader", {"assignee": "specialist"}, S.RECEIVED, None),
    ("received", "transfer", "leader", {"agency": "agency_b", "reason": "Sai thẩm quyền"}, S.PROCESSING, None),
    ("approving", "approve", "leader", {}, S.RESOLVED, None),
    ("approving", "send_back", "leader", {"reason": "Thẩm định lại"}, S.PROCESSING, None),
    ("approving", "refuse_after_appraisal", "leader", {"reason": "Hồ sơ giả mạo"}, S.RESOLVED, None),
    ("supplement_requested", "supplement", "citizen", {}, S.PROCESSING, None),
    ("supplement_requested", "supplement", "receptionist", {"note": "Nộp tại quầy"}, S.PROCESSING, None),
    ("supplement_requested", "stop", "leader", {"reason": "Không bổ sung"}, S.STOPPED, None),
    ("supplement_requested", "withdraw", "citizen", {}, S.WITHDRAWN, None),
    ("supplement_at_intake", "supplement", "citizen", {}, S.REGISTERED, None),
    ("payment_requested", "fees_paid", "cashier", {"receipt_number": "BL-0001"}, S.PROCESSING, None),
    ("payment_requested", "fees_paid", "receptionist", {}, S.PROCESSING, None),
    (
        "resolved",
        "return_result",
        "receptionist",
        {"mode": "desk", "collector_personal_id": "APPLICANT"},
        S.RETURNED,
        None,
    ),
    (
        "resolved",
        "return_result",
        "receptionist",
        {"mode": "post", "tracking_number": "EV123456789VN"},
        S.RETURNED,
        None,
    ),
    ("resolved", "return_result", "receptionist", {"mode": "electronic"}, S.RETURNED, _result_doc),
    ("transferred", "transfer_back", "specialist_b", {"note": "Trả lại"}, S.PROCESSING, None),
]


@pytest.mark.parametrize(
    ("state", "action", "who", "params", "expected", "prepare"),
    TRANSITION_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in TRANSITION_CASES],
)
def test_transition(states, actors, agency_b, state, action, who, params, expected, prepare):
    dossier = states[state]()
    before = dossier.status
    params = dict(params)
    if params.get("assignee") in actors:
        params["assignee"] = actors[params["assignee"]].pk
    if params.get("agency") == "agency_b":
        params["agency"] = agency_b.code
    if params.get("collector_personal_id") == "APPLICANT":
        params["collector_personal_id"] = dossier.applicant_personal_id
    if prepare:
        prepare(dossier)
    assert action in allowed_actions(dossier=dossier, actor=actors[who])

    result = dossier_act(dossier=dossier, actor=actors[who], action=action, **params)

    assert result.status == expected
    assert Dossier.objects.get(pk=dossier.pk).status == expected
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.action, event.from_status, event.to_status) == (action, before, expected)


def test_every_table_action_has_roles_and_every_status_is_covered():
    for status, actions in TRANSITIONS.items():
        assert status in S.values
        assert set(actions) <= set(ACTION_ROLES), status
    assert set(S.values) - set(TRANSITIONS) == {S.DRAFT, S.NOT_RECEIVED, S.WITHDRAWN, S.STOPPED, S.RETURNED}


@pytest.fixture
def all_roles_applicant(agency_a, citizen):
    """One user holding every role at agency A who is also the applicant: only the table limits them."""
    user = citizen
    user.is_officer = True
    user.save(update_fields=["is_officer"])
    for role in Role.values:
        grant(user, role, agency=agency_a)
    return user


@pytest.mark.parametrize("status", [s for s in S.values if s != S.DRAFT])
def test_actions_outside_the_table_are_409_and_change_nothing(make_dossier, all_roles_applicant, status):
    dossier = make_dossier(status=status)
    for action in ACTION_ROLES:
        if action in TRANSITIONS.get(status, {}):
            continue
        with pytest.raises(DomainError) as exc:
            dossier_act(dossier=dossier, actor=all_roles_applicant, action=action, reason="x", items=["x"])
        assert exc.value.status == 409 and exc.value.code == "action_not_allowed"
        assert exc.value.details["allowed"] == allowed_actions(dossier=dossier, actor=all_roles_applicant)
    assert not DossierEvent.objects.filter(dossier=dossier).exists()
    assert Dossier.objects.get(pk=dossier.pk).status == status


def test_unknown_action_is_409(make_dossier, receptionist_a):
    with pytest.raises(DomainError) as exc:
        dossier_act(dossier=make_dossier(), actor=receptionist_a, action="teleport")
    assert exc.value.status == 409
    assert exc.value.details["allowed"] == ["receive", "refuse_intake", "request_supplement", "withdraw"]


ROLE_CASES = [
    ("registered", "receive", "specialist"),
    ("registered", "receive", "citizen"),
    ("registered", "refuse_intake", "leader"),
    ("registered", "request_supplement", "specialist"),
    ("received", "approve", "specialist"),
    ("received", "appraise", "leader"),
    ("received", "stop", "specialist"),
    ("received", "request_fees", "receptionist"),
    ("received", "assign", "specialist"),
    ("received", "appraise", "specialist_b"),
    ("supplement_requested", "supplement", "specialist"),
    ("payment_requested", "fees_paid", "specialist"),
    ("payment_requested", "fees_paid", "citizen"),
    ("resolved", "return_result", "leader"),
]


@pytest.mark.parametrize(("state", "action", "who"), ROLE_CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in ROLE_CASES])
def test_role_guard(states, actors, state, action, who):
    dossier = states[state]()
    events = DossierEvent.objects.filter(dossier=dossier).count()
    assert action not in allowed_actions(dossier=dossier, actor=actors[who])
    with pytest.raises(DomainError) as exc:
        dossier_act(dossier=dossier, actor=actors[who], action=action, reason="x", note="x", items=["x"], amount=1)
    assert exc.value.status == 403 and exc.value.code == "action_forbidden"
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_other_citizen_cannot_withdraw(make_dossier):
    stranger = CitizenUserFactory()
    with pytest.raises(DomainError) as exc:
        dossier_act(dossier=make_dossier(), actor=stranger, action="withdraw")
    assert exc.value.status == 403


BAD_PARAMS = [
    ("registered", "refuse_intake", "receptionist", {}, "reason_required"),
    ("registered", "request_supplement", "receptionist", {"items": "  \n "}, "items_required"),
    ("received", "request_supplement", "specialist", {"items": []}, "items_required"),
    ("received", "request_fees", "specialist", {"amount": "tám nghìn"}, "amount_invalid"),
    ("received", "request_fees", "specialist", {"amount": 0}, "amount_invalid"),
    ("received", "stop", "leader", {"reason": "   "}, "reason_required"),
    ("received", "withdraw", "receptionist", {}, "reason_required"),
    ("received", "appraise", "specialist", {}, "note_required"),
    ("received", "transfer", "leader", {"agency": "không có", "reason": "x"}, "agency_invalid"),
    ("received", "transfer", "leader", {"agency": "agency_a", "reason": "x"}, "agency_same"),
    ("received", "assign", "leader", {"assignee": "citizen"}, "assignee_invalid"),
    ("received", "assign", "leader", {"assignee": "specialist_b"}, "assignee_invalid"),
    ("received", "assign", "leader", {"assignee": "cashier"}, "assignee_invalid"),
    ("approving", "send_back", "leader", {}, "reason_required"),
    ("approving", "refuse_after_appraisal", "leader", {}, "reason_required"),
    ("resolved", "return_result", "receptionist", {"mode": "desk"}, "collector_personal_id_required"),
    (
        "resolved",
        "return_result",
        "receptionist",
        {"mode": "desk", "collector_personal_id": "0960"},
        "collector_personal_id_invalid",
    ),
    (
        "resolved",
        "return_result",
        "receptionist",
        {"mode": "desk", "collector_personal_id": "096085999999"},
        "authorisation_required",
    ),
    ("resolved", "return_result", "receptionist", {"mode": "post"}, "tracking_number_required"),
    ("resolved", "return_result", "receptionist", {"mode": "electronic"}, "result_document_missing"),
    ("resolved", "return_result", "receptionist", {"mode": "pigeon"}, "mode_invalid"),
]


@pytest.mark.parametrize(
    ("state", "action", "who", "params", "code"), BAD_PARAMS, ids=[f"{c[1]}-{c[4]}" for c in BAD_PARAMS]
)
def test_bad_params_are_rejected_and_nothing_is_saved(states, actors, agency_a, state, action, who, params, code):
    dossier = states[state]()
    params = dict(params)
    if params.get("assignee") in actors:
        params["assignee"] = actors[params["assignee"]].pk
    if params.get("agency") == "agency_a":
        params["agency"] = agency_a.pk
    snapshot = Dossier.objects.filter(pk=dossier.pk).values().get()
    events = DossierEvent.objects.count()
    requests = SupplementRequest.objects.count()
    messages = InboxMessage.objects.count()

    with pytest.raises(DomainError) as exc:
        dossier_act(dossier=dossier, actor=actors[who], action=action, **params)

    assert exc.value.status == 400 and exc.value.code == code
    assert exc.value.message and exc.value.message.isascii() is False  # a Vietnamese sentence
    assert Dossier.objects.filter(pk=dossier.pk).values().get() == snapshot
    assert (DossierEvent.objects.count(), SupplementRequest.objects.count(), InboxMessage.objects.count()) == (
        events,
        requests,
        messages,
    )


def test_desk_return_to_authorised_person_is_recorded(states, receptionist_a):
    dossier = states["resolved"]()
    dossier = dossier_act(
        dossier=dossier,
        actor=receptionist_a,
        action="return_result",
        mode="desk",
        collector_personal_id="096085999999",
        collector_name="Lê Văn Nhận",
        authorisation="Giấy ủy quyền chứng thực ngày 17/3/2026, số 12/UQ",
    )
    assert dossier.status == S.RETURNED and dossier.returned_at
    event = dossier.events.latest("id")
    assert event.data["collector_name"] == "Lê Văn Nhận"
    assert "12/UQ" in event.data["authorisation"]
    assert not dossier.steps.exclude(state=DossierStep.State.DONE).exclude(state=DossierStep.State.SKIPPED).exists()


def test_receive_copies_the_default_workflow(make_dossier, receptionist_a, citizen):
    dossier = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive", now=MONDAY_10)

    steps = list(dossier.steps.order_by("order"))
    assert [(s.kind, s.role, s.state) for s in steps] == [
        (StepKind.RECEIVE, Role.RECEPTIONIST, "done"),
        (StepKind.APPRAISE, Role.SPECIALIST, "active"),
        (StepKind.APPROVE, Role.LEADER, "pending"),
        (StepKind.RETURN, Role.RECEPTIONIST, "pending"),
    ]
    assert [s.duration_days for s in steps] == [Decimal("0.5"), Decimal("1.5"), Decimal("1.0"), Decimal("0")]
    assert all(s.agency_id == dossier.receiving_agency_id for s in steps)
    # 3 working days from Monday 10:00 is Thursday 10:00; the steps share that time in order.
    assert dossier.received_at == MONDAY_10 == dossier.clock_started_at
    assert dossier.due_at == _at(19)
    assert [s.due_at for s in steps] == [_at(16, 16), _at(18, 10), _at(19), _at(19)]
    assert steps[0].assignee == receptionist_a
    message = InboxMessage.objects.get(person=citizen.person)
    assert message.event == "dossier.received"
    assert dossier.code in message.title and "19/03/2026" in message.body


def test_full_path_with_assignment_and_desk_return(received_dossier, leader_a, specialist_a, receptionist_a, citizen):
    d = dossier_act(dossier=received_dossier, actor=leader_a, action="assign", assignee=specialist_a.pk)
    assert d.current_assignee == specialist_a and d.status == S.RECEIVED
    d = dossier_act(dossier=d, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ", proposal="approve")
    assert d.status == S.PROCESSING
    assert d.steps.get(kind=StepKind.APPROVE).state == "active"
    assert allowed_actions(dossier=d, actor=specialist_a) == [
        "request_supplement",
        "request_fees",
        "refuse_after_appraisal",
        "transfer",
    ]
    d = dossier_act(dossier=d, actor=leader_a, action="approve", note="Đồng ý")
    assert d.status == S.RESOLVED and d.resolved_at and d.finished_late is False
    assert d.steps.get(kind=StepKind.RETURN).state == "active"
    d = dossier_act(
        dossier=d,
        actor=receptionist_a,
        action="return_result",
        mode="desk",
        collector_personal_id=citizen.person.personal_id,
    )
    assert d.status == S.RETURNED
    assert list(InboxMessage.objects.filter(person=citizen.person).order_by("id").values_list("event", flat=True)) == [
        "dossier.received",
        "dossier.result_ready",
        "dossier.returned",
    ]
    assert allowed_actions(dossier=d, actor=receptionist_a) == []


def test_reassign_needs_a_reason_and_a_previous_assignee(received_dossier, leader_a, specialist_a, agency_a):
    other = OfficerFactory()
    grant(other, Role.SPECIALIST, agency=agency_a)
    assert "reassign" not in allowed_actions(dossier=received_dossier, actor=leader_a)
    d = dossier_act(dossier=received_dossier, actor=leader_a, action="assign", assignee=specialist_a.pk)
    d = dossier_act(dossier=d, actor=leader_a, action="reassign", assignee=other.pk, reason="Nghỉ phép")
    assert d.current_assignee == other
    assert d.events.latest("id").data["previous_assignee"] == specialist_a.pk


def test_send_back_reopens_appraisal(states, leader_a, specialist_a):
    d = dossier_act(dossier=states["approving"](), actor=leader_a, action="send_back", reason="Bổ sung ý kiến")
    assert d.steps.get(kind=StepKind.APPRAISE).state == "active"
    assert d.steps.get(kind=StepKind.APPROVE).state == "pending"
    assert "approve" not in allowed_actions(dossier=d, actor=leader_a)
    d = dossier_act(dossier=d, actor=specialist_a, action="appraise", note="Đã bổ sung ý kiến")
    assert "approve" in allowed_actions(dossier=d, actor=leader_a)


def test_refusal_after_appraisal_tells_the_citizen_why(states, leader_a, citizen):
    d = dossier_act(
        dossier=states["approving"](),
        actor=leader_a,
        action="refuse_after_appraisal",
        reason="Người được khai sinh đã có giấy khai sinh",
    )
    assert d.status == S.RESOLVED
    assert d.events.latest("id").data["refused"] is True
    message = InboxMessage.objects.get(person=citizen.person, event="dossier.refused")
    assert "đã có giấy khai sinh" in message.body


def test_transfer_changes_current_agency_and_back(states, specialist_b, agency_a, agency_b):
    d = states["transferred"]()
    assert d.current_agency == agency_b
    assert d.events.latest("id").data == {"from_agency": agency_a.pk, "to_agency": agency_b.pk}
    assert "transfer_back" in allowed_actions(dossier=d, actor=specialist_b)
    d = dossier_act(dossier=d, actor=specialist_b, action="transfer_back")
    assert d.current_agency == agency_a
    assert "transfer_back" not in allowed_actions(dossier=d, actor=specialist_b)


def test_stop_and_withdraw_close_open_steps(states, leader_a):
    d = dossier_act(dossier=states["received"](), actor=leader_a, action="stop", reason="Không đủ điều kiện")
    assert set(d.steps.values_list("state", flat=True)) == {"done", "skipped"}
    assert allowed_actions(dossier=d, actor=leader_a) == []


def test_parallel_steps_complete_only_when_all_are_done(
    make_dossier, procedure, agency_a, police_a, officers, receptionist_a
):
    workflow = Workflow.objects.create(procedure=procedure, name="Liên thông khai sinh – thường trú")
    for order, kind, role, agency_kind, days in [
        (1, StepKind.RECEIVE, Role.RECEPTIONIST, "", "0.5"),
        (2, StepKind.APPRAISE, Role.SPECIALIST, "", "1"),
        (2, StepKind.APPRAISE, Role.SPECIALIST, AgencyKind.COMMUNE_POLICE, "1"),
        (3, StepKind.APPROVE, Role.LEADER, "", "1"),
        (4, StepKind.RETURN, Role.RECEPTIONIST, "", "0"),
    ]:
        WorkflowStep.objects.create(
            workflow=workflow,
            order=order,
            kind=kind,
            name=f"Bước {order}",
            role=role,
            agency_kind=agency_kind,
            duration_days=Decimal(days),
        )
    police_specialist = OfficerFactory()
    grant(police_specialist, Role.SPECIALIST, agency=police_a)

    d = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive", now=MONDAY_10)
    parallel = list(d.steps.filter(order=2))
    assert {s.agency_id for s in parallel} == {agency_a.pk, police_a.pk}
    assert {s.state for s in parallel} == {"active"}
    assert parallel[0].due_at == parallel[1].due_at == _at(17, 16)

    d = dossier_act(dossier=d, actor=officers["a"][Role.SPECIALIST], action="appraise", note="Xã: hợp lệ")
    assert d.steps.get(order=3).state == "pending"
    assert "appraise" not in allowed_actions(dossier=d, actor=officers["a"][Role.SPECIALIST])
    assert "appraise" in allowed_actions(dossier=d, actor=police_specialist)
    d = dossier_act(dossier=d, actor=police_specialist, action="appraise", note="Công an: đã đăng ký thường trú")
    assert d.steps.get(order=3).state == "active"
    assert d.current_agency == agency_a


def test_step_agency_falls_back_to_the_province(make_dossier, procedure, province, receptionist_a):
    department = AgencyFactory(unit=province, kind=AgencyKind.DEPARTMENT, name="Sở Tư pháp")
    workflow = Workflow.objects.create(procedure=procedure, name="Qua Sở")
    WorkflowStep.objects.create(
        workflow=workflow,
        order=1,
        kind=StepKind.RECEIVE,
        name="Tiếp nhận",
        role=Role.RECEPTIONIST,
        duration_days=Decimal("0.5"),
    )
    WorkflowStep.objects.create(
        workflow=workflow,
        order=2,
        kind=StepKind.APPRAISE,
        name="Sở thẩm định",
        role=Role.SPECIALIST,
        agency_kind=AgencyKind.DEPARTMENT,
        duration_days=Decimal("2"),
    )
    d = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive", now=MONDAY_10)
    step = d.steps.get(order=2)
    assert step.agency == department and step.state == "active"
    assert d.current_agency == department


def test_missing_step_agency_refuses_receipt_cleanly(make_dossier, procedure, receptionist_a):
    workflow = Workflow.objects.create(procedure=procedure, name="Cần công an")
    WorkflowStep.objects.create(
        workflow=workflow,
        order=1,
        kind=StepKind.APPRAISE,
        name="Công an xác minh",
        role=Role.SPECIALIST,
        agency_kind=AgencyKind.PROVINCE_POLICE,
        duration_days=1,
    )
    dossier = make_dossier()
    with pytest.raises(DomainError) as exc:
        dossier_act(dossier=dossier, actor=receptionist_a, action="receive")
    assert exc.value.code == "step_agency_missing"
    assert Dossier.objects.get(pk=dossier.pk).status == S.REGISTERED
    assert not DossierStep.objects.filter(dossier=dossier).exists()


def test_on_the_spot_procedure(make_dossier, procedure, receptionist_a, citizen):
    procedure.on_the_spot, procedure.time_limit_days = True, 0
    procedure.save()
    d = dossier_act(
        dossier=make_dossier(procedure_snapshot={"time_limit_days": "0"}),
        actor=receptionist_a,
        action="receive",
        now=MONDAY_10,
    )
    step = d.steps.get()
    assert step.state == "active" and step.role == Role.RECEPTIONIST
    assert d.due_at == _at(16, 17)
    assert allowed_actions(dossier=d, actor=receptionist_a) == ["result_ready", "withdraw"]
    d = dossier_act(dossier=d, actor=receptionist_a, action="result_ready", now=_at(16, 11))
    assert d.status == S.RESOLVED and d.finished_late is False
    d = dossier_act(
        dossier=d,
        actor=receptionist_a,
        action="return_result",
        mode="desk",
        collector_personal_id=citizen.person.personal_id,
    )
    assert d.status == S.RETURNED


def test_default_workflows_are_idempotent():
    first = ensure_default_workflows()
    second = ensure_default_workflows()
    assert first == second
    assert Workflow.objects.filter(procedure__isnull=True).count() == 2
    assert WorkflowStep.objects.filter(workflow__procedure__isnull=True).count() == 5


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (0, ("0", "0", "0")),
        (1, ("0", "0.5", "0.5")),
        (3, ("0.5", "1.5", "1.0")),
        (15, ("0.5", "9.5", "5.0")),
    ],
)
def test_split_durations(limit, expected):
    parts = split_durations(limit)
    assert (parts[StepKind.RECEIVE], parts[StepKind.APPRAISE], parts[StepKind.APPROVE]) == tuple(map(Decimal, expected))
    assert sum(parts.values()) == limit


def test_citizen_inbox_gets_one_message_per_event(received_dossier, specialist_a, citizen):
    from motcua.dossiers.events import emit

    d = dossier_act(
        dossier=received_dossier, actor=specialist_a, action="request_supplement", items=["Giấy chứng sinh"]
    )
    event = d.events.latest("id")
    # Replaying the same occurrence (a retried job, a double call) writes nothing new.
    emit(d, "supplement_requested", event_id=event.pk, items=["Giấy chứng sinh"])
    emit(d, "supplement_requested", event_id=event.pk, items=["Giấy chứng sinh"])
    messages = InboxMessage.objects.filter(person=citizen.person).order_by("id")
    assert list(messages.values_list("event", flat=True)) == ["dossier.received", "dossier.supplement_requested"]
    assert all(m.subject_type == "dossier" and m.subject_id == str(d.pk) for m in messages)


def test_no_inbox_message_without_an_applicant_person(make_dossier, receptionist_a):
    d = dossier_act(dossier=make_dossier(applicant_person=None), actor=receptionist_a, action="receive")
    assert d.status == S.RECEIVED
    assert not InboxMessage.objects.exists()


def test_result_ready_message_says_where_to_collect(states, citizen):
    d = states["resolved"]()
    message = InboxMessage.objects.get(person=citizen.person, event="dossier.result_ready")
    assert "Bộ phận một cửa xã Tân Thành" in message.body and d.code in message.title
