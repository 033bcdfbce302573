"""The officer's workspace: where sign-in lands, one panel per role, counts within the officer's scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import Role
from motcua.dossiers import selectors
from motcua.dossiers.models import DossierStatus, DossierStep, StepKind
from motcua.portal.workspace import workspace_panels
from tests.factories import OfficerFactory, grant

pytestmark = pytest.mark.django_db
PASSWORD = "Mk-thu-nghiem-2026"


def _figures(user) -> dict[str, dict[str, tuple]]:
    return {p.key: {f.label: (f.count, f.url) for f in p.figures} for p in workspace_panels(user)}


def test_an_officer_signing_in_lands_on_the_workspace(client, receptionist_a):
    response = client.post(reverse("core:login"), {"identifier": receptionist_a.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:workspace")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Tiếp nhận và trả kết quả" in page.content.decode()


def test_a_next_parameter_still_wins_for_an_officer(client, receptionist_a):
    target = reverse("dossiers:queue")
    response = client.post(
        reverse("core:login") + "?next=" + target, {"identifier": receptionist_a.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == target


def test_a_citizen_still_lands_on_the_home_page_and_the_workspace_sends_them_to_their_dossiers(client, citizen):
    response = client.post(reverse("core:login"), {"identifier": citizen.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:workspace")).url == reverse("dossiers:my_list")


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get(reverse("core:workspace"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_one_panel_per_role_held(officers, agency_a):
    both = OfficerFactory()
    grant(both, Role.RECEPTIONIST, agency=agency_a)
    grant(both, Role.CASHIER, agency=agency_a)
    assert [p.key for p in workspace_panels(both)] == ["receptionist", "cashier", "broadcasts"]
    assert [p.key for p in workspace_panels(officers["a"][Role.SPECIALIST])] == ["specialist", "broadcasts"]
    assert [p.key for p in workspace_panels(officers["a"][Role.LEADER])] == ["leader", "broadcasts"]
    nobody = OfficerFactory()
    assert workspace_panels(nobody) == []


def test_a_count_held_by_two_roles_is_shown_once(agency_a):
    leader_and_specialist = OfficerFactory()
    grant(leader_and_specialist, Role.LEADER, agency=agency_a)
    grant(leader_and_specialist, Role.SPECIALIST, agency=agency_a)
    assert [p.key for p in workspace_panels(leader_and_specialist)] == ["leader", "broadcasts"]

    desk_and_specialist = OfficerFactory()
    grant(desk_and_specialist, Role.RECEPTIONIST, agency=agency_a)
    grant(desk_and_specialist, Role.SPECIALIST, agency=agency_a)
    labels = [f.label for p in workspace_panels(desk_and_specialist) for f in p.figures]
    assert labels.count("Quá hạn") == 1 and labels.count("Đến hạn hôm nay") == 1
    assert "Hồ sơ giao cho tôi" in labels

    specialist = OfficerFactory()
    grant(specialist, Role.SPECIALIST, agency=agency_a)
    assert "Quá hạn" in [f.label for p in workspace_panels(specialist) for f in p.figures]


def test_receptionist_counts_stay_in_their_commune(make_dossier, agency_b, receptionist_a, receptionist_b):
    now = timezone.now()
    make_dossier()  # waiting at A's desk
    make_dossier()
    make_dossier(receiving_agency=agency_b)
    make_dossier(status=DossierStatus.RESOLVED, due_at=now + datetime.timedelta(days=1))
    make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=1))
    make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=1), receiving_agency=agency_b)
    a = _figures(receptionist_a)["receptionist"]
    assert a["Hồ sơ chờ tiếp nhận"] == (2, reverse("dossiers:queue") + "?tab=waiting")
    assert a["Kết quả chờ trả"] == (1, reverse("dossiers:queue") + "?tab=office&status=resolved")
    assert a["Quá hạn"][0] == 1
    b = _figures(receptionist_b)["receptionist"]
    assert b["Hồ sơ chờ tiếp nhận"][0] == 1 and b["Kết quả chờ trả"][0] == 0 and b["Quá hạn"][0] == 1


def test_each_count_matches_the_list_it_links_to(client, make_dossier, receptionist_a):
    for _ in range(3):
        make_dossier()
    count, url = _figures(receptionist_a)["receptionist"]["Hồ sơ chờ tiếp nhận"]
    client.force_login(receptionist_a)
    page = client.get(url).content.decode()
    assert count == 3 and page.count("/ho-so/can-bo/") >= 3


def test_leader_sees_what_waits_for_their_signature(make_received_dossier, procedure, agency_a, leader_a, leader_b):
    dossier = make_received_dossier()
    make_received_dossier()
    DossierStep.objects.create(
        dossier=dossier,
        order=9,
        kind=StepKind.APPROVE,
        name="Ký duyệt",
        role=Role.LEADER,
        agency=agency_a,
        assignee=leader_a,
        duration_days=1,
        state=DossierStep.State.ACTIVE,
    )
    count, url = _figures(leader_a)["leader"]["Chờ tôi phê duyệt, ký"]
    assert count == 1 and url == reverse("dossiers:queue") + "?tab=mine&step=approve"
    assert _figures(leader_b)["leader"]["Chờ tôi phê duyệt, ký"][0] == 0
    items, _cursor = selectors.dossier_queue(leader_a, queue="mine", step=StepKind.APPROVE)
    assert [d.pk for d in items] == [dossier.pk]


def test_the_step_filter_keeps_only_dossiers_with_an_active_step_of_that_kind(
    client, make_received_dossier, agency_a, leader_a
):
    signed = make_received_dossier()
    other = make_received_dossier()
    for dossier, state in ((signed, DossierStep.State.ACTIVE), (other, DossierStep.State.DONE)):
        DossierStep.objects.create(
            dossier=dossier,
            order=9,
            kind=StepKind.APPROVE,
            name="Ký",
            role=Role.LEADER,
            agency=agency_a,
            duration_days=1,
            state=state,
        )
    assert selectors.dossier_queue_count(leader_a, queue="office", step=StepKind.APPROVE) == 1
    assert selectors.dossier_queue_count(leader_a, queue="office") == 2
    client.force_login(leader_a)
    page = client.get(reverse("dossiers:queue") + "?tab=office&step=approve").content.decode()
    assert signed.code in page and other.code not in page
    # An unknown kind is ignored, not an error.
    page = client.get(reverse("dossiers:queue") + "?tab=office&step=nope").content.decode()
    assert signed.code in page and other.code in page


def test_manager_figures_cover_their_commune_only(make_dossier, commune_a, commune_b, agency_b):
    now = timezone.now()
    month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    received = max(month, now - datetime.timedelta(minutes=5))
    make_dossier(status=DossierStatus.RESOLVED, received_at=received, resolved_at=received, due_at=now)
    make_dossier(
        status=DossierStatus.RESOLVED,
        received_at=received,
        resolved_at=received,
        due_at=received - datetime.timedelta(hours=1),
    )
    make_dossier(status=DossierStatus.PROCESSING, received_at=received, due_at=now - datetime.timedelta(minutes=1))
    make_dossier(
        status=DossierStatus.PROCESSING,
        received_at=received,
        due_at=now - datetime.timedelta(minutes=1),
        receiving_agency=agency_b,
    )
    manager_a, manager_b = OfficerFactory(), OfficerFactory()
    grant(manager_a, Role.MANAGER, unit=commune_a)
    grant(manager_b, Role.MANAGER, unit=commune_b)
    figures = selectors.dossier_month_figures(manager_a, now=now)
    assert (figures["received"], figures["finished"], figures["on_time"], figures["on_time_percent"]) == (3, 2, 1, 50)
    panel = _figures(manager_a)["manager"]
    assert panel["Giải quyết đúng hạn trong tháng"] == ("50%", reverse("dossiers:stats"))
    assert panel["Hồ sơ quá hạn"] == (1, reverse("dossiers:queue") + "?tab=overdue")
    other = selectors.dossier_month_figures(manager_b, now=now)
    assert (other["received"], other["finished"], other["on_time_percent"]) == (1, 0, None)
    assert _figures(manager_b)["manager"]["Giải quyết đúng hạn trong tháng"][0] == "–"
