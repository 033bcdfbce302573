"""Issue #14: the specialist's "Của tôi" tab shows the steps waiting for them, and the office tab
shows new work on page 1 (overdue first, then newest), with a cursor that survives the clock."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import Role
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, DossierStatus, DossierStep, StepKind
from motcua.dossiers.selectors.queues import encode_cursor
from tests.factories import OfficerFactory, grant

pytestmark = pytest.mark.django_db


def _mine(user):
    return {d.code for d in selectors.dossier_queue(user, queue="mine")[0]}


# --- "Của tôi" ------------------------------------------------------------------------------------


def test_mine_holds_unassigned_steps_of_my_role_at_my_agency(
    make_received_dossier, specialist_a, specialist_b, leader_a
):
    # Given two dossiers received at agency A: each waits at its appraisal step, nobody assigned.
    first, second = make_received_dossier(), make_received_dossier()
    for dossier in (first, second):
        step = dossier.steps.get(state=DossierStep.State.ACTIVE)
        assert (step.kind, step.role, step.assignee_id) == (StepKind.APPRAISE, Role.SPECIALIST, None)
    # Then A's specialist finds both under "mine"; B's specialist and A's leader (not their step) do not.
    assert _mine(specialist_a) == {first.code, second.code}
    assert _mine(specialist_b) == set()
    assert _mine(leader_a) == set()


def test_mine_leaves_out_a_step_someone_else_holds(make_received_dossier, specialist_a, agency_a):
    colleague = OfficerFactory(username="specialist_a2")
    grant(colleague, Role.SPECIALIST, agency=agency_a)
    taken, free = make_received_dossier(), make_received_dossier()
    DossierStep.objects.filter(dossier=taken, state=DossierStep.State.ACTIVE).update(assignee=colleague)
    Dossier.objects.filter(pk=taken.pk).update(current_assignee=colleague)
    # The colleague's step is theirs alone; the free one is both specialists' to pick up.
    assert _mine(specialist_a) == {free.code}
    assert _mine(colleague) == {taken.code, free.code}


def test_mine_follows_the_step_to_the_next_role(make_received_dossier, specialist_a, leader_a):
    from motcua.dossiers.services.workflow import dossier_act

    dossier = make_received_dossier()
    dossier_act(dossier=dossier, actor=specialist_a, action="appraise", note="Hồ sơ hợp lệ", proposal="approve")
    # Now at the leader's approval: out of the specialist's "mine", into the leader's.
    assert _mine(specialist_a) == set()
    assert _mine(leader_a) == {dossier.code}


def test_mine_with_a_unit_scoped_role_covers_the_unit_agencies(make_received_dossier, commune_a, commune_b):
    dossier = make_received_dossier()
    in_unit = OfficerFactory(username="specialist_commune_a")
    grant(in_unit, Role.SPECIALIST, unit=commune_a)
    elsewhere = OfficerFactory(username="specialist_commune_b")
    grant(elsewhere, Role.SPECIALIST, unit=commune_b)
    assert _mine(in_unit) == {dossier.code}
    assert _mine(elsewhere) == set()


def test_mine_tab_page_lists_the_waiting_dossiers(client, make_received_dossier, specialist_a):
    first, second = make_received_dossier(), make_received_dossier()
    client.force_login(specialist_a)
    page = client.get(reverse("dossiers:queue"), {"tab": "mine"}).content.decode()
    assert first.code in page and second.code in page
    assert "Không có hồ sơ." not in page


# --- "Của cơ quan" --------------------------------------------------------------------------------


def test_office_tab_shows_a_new_dossier_on_page_one(make_dossier, receptionist_a):
    now = timezone.now()
    # Given 60 open dossiers due within days (more than a page of 50) and one received just now,
    # due in a month: by deadline alone it was 61st.
    older = [
        make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(days=1, minutes=i))
        for i in range(60)
    ]
    new = make_dossier(status=DossierStatus.RECEIVED, due_at=now + datetime.timedelta(days=30))
    items, cursor = selectors.dossier_queue(receptionist_a, queue="office", now=now)
    assert len(items) == 50 and cursor
    assert items[0].code == new.code
    # Newest first: the rest in reverse order of arrival.
    assert [d.code for d in items[1:]] == [d.code for d in reversed(older)][:49]


def test_office_tab_puts_overdue_first_then_newest(make_dossier, receptionist_a):
    now = timezone.now()
    late_2 = make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=2))
    late_9 = make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=9))
    paused = make_dossier(status=DossierStatus.SUPPLEMENT_REQUESTED, due_at=now - datetime.timedelta(days=1))
    resolved = make_dossier(status=DossierStatus.RESOLVED, due_at=now - datetime.timedelta(days=1))
    due_now = make_dossier(status=DossierStatus.PROCESSING, due_at=now)  # not yet past: not overdue
    undated = make_dossier(status=DossierStatus.RECEIVED, due_at=None)
    codes = [d.code for d in selectors.dossier_queue(receptionist_a, queue="office", now=now)[0]]
    # Most overdue first; then the rest (paused and resolved are not "overdue"), newest first.
    assert codes == [late_9.code, late_2.code, undated.code, due_now.code, resolved.code, paused.code]


def test_office_pages_keep_their_cut_off_while_time_passes(make_dossier, receptionist_a):
    now = timezone.now()
    late = [make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=h)) for h in (3, 2, 1)]
    soon = [make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(minutes=m)) for m in (5, 10)]
    first, cursor = selectors.dossier_queue(receptionist_a, queue="office", limit=2, now=now)
    # An hour later the "soon" ones are overdue too, but the pages go on with the first page's cut-off:
    # every dossier once, none skipped.
    later = now + datetime.timedelta(hours=1)
    codes = [d.code for d in first]
    while cursor:
        page, cursor = selectors.dossier_queue(receptionist_a, queue="office", limit=2, after=cursor, now=later)
        codes += [d.code for d in page]
    assert codes == [d.code for d in late] + [d.code for d in reversed(soon)]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "W10",  # []
        encode_cursor(None, 5),  # another tab's cursor
        "WyJuZXciLG51bGwsInBrIiwiMjAyNi0wMS0wMSJd",  # ["new", null, "pk", "2026-01-01"]
        "WyJsYXRlIixudWxsLDEsIjIwMjYtMDEtMDFUMDA6MDA6MDArMDc6MDAiXQ",  # ["late", null, 1, cut-off]
        "WyJuZXciLG51bGwsMSwiMjAyNi0wMS0wMSJd",  # ["new", null, 1, "2026-01-01"]: no time zone
    ],
)
def test_office_cursor_that_is_not_one_is_refused_clearly(receptionist_a, cursor):
    with pytest.raises(DomainError) as refused:
        selectors.dossier_queue(receptionist_a, queue="office", after=cursor)
    assert refused.value.code == "invalid_cursor" and refused.value.status == 422


def test_office_page_with_a_bad_cursor_is_a_message_not_a_500(client, receptionist_a):
    client.force_login(receptionist_a)
    response = client.get(reverse("dossiers:queue"), {"tab": "office", "after": "WyJsYXRlIl0"})
    assert response.status_code == 200
    assert "Con trỏ phân trang không hợp lệ." in response.content.decode()


def test_office_first_page_is_one_query_after_the_scope(make_dossier, receptionist_a, django_assert_num_queries):
    now = timezone.now()
    for hours in (-5, -1, 4, 30):
        make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(hours=hours))
    # 1 for the officer's agencies + 1 for the ordered keys + 1 for the page's rows and joins.
    with django_assert_num_queries(3):
        items, cursor = selectors.dossier_queue(receptionist_a, queue="office", limit=2, now=now)
    with django_assert_num_queries(3):
        more, _ = selectors.dossier_queue(receptionist_a, queue="office", limit=2, after=cursor, now=now)
    assert len(items) == len(more) == 2
