"""Officer queues: keyset pagination, tabs, search, a fixed number of queries, and the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, DossierStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _all_pages(user, *, limit, **kwargs):
    codes, cursor, pages = [], None, 0
    while True:
        items, cursor = selectors.dossier_queue(user, limit=limit, after=cursor, **kwargs)
        codes += [d.code for d in items]
        pages += 1
        if cursor is None:
            return codes, pages


def test_keyset_pagination_returns_every_row_once(make_dossier, receptionist_a):
    now = timezone.now()
    same = now + datetime.timedelta(days=2)
    made = [make_dossier(status=DossierStatus.PROCESSING, due_at=same) for _ in range(7)]
    made += [make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(days=d)) for d in (1, 3)]
    made += [make_dossier(status=DossierStatus.RECEIVED, due_at=None) for _ in range(3)]
    codes, pages = _all_pages(receptionist_a, queue="office", limit=3)
    assert len(codes) == len(set(codes)) == len(made)
    assert set(codes) == {d.code for d in made}
    assert pages == 4
    # The office tab: none is overdue, so newest first (issue #14: new work on page 1).
    assert codes == [d.code for d in reversed(made)]
    # The deadline-ordered tabs: ordered by deadline, no deadline last.
    Dossier.objects.filter(pk__in=[d.pk for d in made]).update(current_assignee=receptionist_a)
    codes, pages = _all_pages(receptionist_a, queue="mine", limit=3)
    assert len(codes) == len(set(codes)) == len(made) and pages == 4
    assert codes[0] == made[7].code and set(codes[-3:]) == {d.code for d in made[-3:]}


def test_query_count_does_not_grow_with_rows(make_dossier, receptionist_a, django_assert_num_queries):
    for _ in range(3):
        make_dossier(status=DossierStatus.PROCESSING, due_at=timezone.now(), current_assignee=receptionist_a)
    # 2 for the officer's scope (roles, units) + 1 for the page, with procedure, agencies and assignee joined.
    with django_assert_num_queries(3):
        items, _ = selectors.dossier_queue(receptionist_a, queue="office", limit=50)
        [(d.procedure.name, d.receiving_agency.name, d.current_assignee.username) for d in items]
    for _ in range(10):
        make_dossier(status=DossierStatus.PROCESSING, due_at=timezone.now(), current_assignee=receptionist_a)
    with django_assert_num_queries(3):
        items, _ = selectors.dossier_queue(receptionist_a, queue="office", limit=50)
        [(d.procedure.name, d.receiving_agency.name, d.current_assignee.username) for d in items]
    assert len(items) == 13


def test_tabs(make_dossier, receptionist_a, specialist_a):
    now = timezone.now()
    waiting = make_dossier(status=DossierStatus.REGISTERED)
    overdue = make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(hours=1))
    soon = make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(hours=5))
    later = make_dossier(
        status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(days=10), current_assignee=specialist_a
    )
    paused = make_dossier(status=DossierStatus.SUPPLEMENT_REQUESTED, due_at=now - datetime.timedelta(days=1))

    def codes(user, queue):
        return {d.code for d in selectors.dossier_queue(user, queue=queue, now=now)[0]}

    assert codes(receptionist_a, "waiting") == {waiting.code}
    assert codes(receptionist_a, "overdue") == {overdue.code}
    assert codes(receptionist_a, "due_soon") == {soon.code}
    assert codes(receptionist_a, "office") == {overdue.code, soon.code, later.code, paused.code}
    assert codes(specialist_a, "mine") == {later.code}
    items, _ = selectors.dossier_queue(receptionist_a, queue="office", now=now)
    assert {d.code for d in items if d.is_overdue} == {overdue.code}


def test_search(make_dossier, receptionist_a, commune_a):
    person = PersonFactory(unit=commune_a, full_name="Phạm Quốc Khánh", phone="0911222333")
    target = make_dossier(status=DossierStatus.PROCESSING, applicant_person=person)
    make_dossier(status=DossierStatus.PROCESSING)

    def found(q):
        return [d.code for d in selectors.dossier_queue(receptionist_a, queue="office", q=q)[0]]

    assert found("quốc khánh") == [target.code]
    assert found(person.personal_id) == [target.code]
    assert found("0911 222 333") == [target.code]
    assert found(target.code) == [target.code]
    assert found("0911222") == []  # phone and ID must be typed in full


def test_queue_page(client, make_dossier, receptionist_a, citizen):
    now = timezone.now()
    late = make_dossier(status=DossierStatus.PROCESSING, due_at=now - datetime.timedelta(days=1))
    for _ in range(3):
        make_dossier(status=DossierStatus.PROCESSING, due_at=now + datetime.timedelta(days=1))
    url = reverse("dossiers:queue")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.force_login(receptionist_a)
    page = client.get(url, {"tab": "overdue"}).content.decode()
    assert late.code in page and "is-overdue" in page
    first = client.get(url, {"tab": "office"})
    assert first.status_code == 200
    # The page size is 50: no next link here; the API gives the cursor with a small limit.
    assert first.context["next_url"] is None
    api = client.get("/api/v1/dossiers", {"queue": "office", "limit": 2}).json()
    assert len(api["items"]) == 2 and api["next_cursor"]
    rest = client.get("/api/v1/dossiers", {"queue": "office", "limit": 2, "after": api["next_cursor"]}).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    codes = [d["code"] for d in api["items"] + rest["items"]]
    assert len(set(codes)) == 4 and codes[0] == late.code and api["items"][0]["overdue"] is True
