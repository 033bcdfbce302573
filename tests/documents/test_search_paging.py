"""The book's search in the shape the indexes serve, and the list page's capped count."""

import pytest

from motcua.core.models import Role
from motcua.documents import paging, selectors
from motcua.documents.paging import CappedPaginator
from tests.factories import OfficerFactory, grant


@pytest.mark.parametrize(("rows", "count", "capped"), [(2, 2, False), (3, 3, False), (4, 4, True)])
def test_count_capped_at_the_limit_and_both_sides(make_incoming, clerk_a, rows, count, capped):
    for _ in range(rows):
        make_incoming()
    paginator = CappedPaginator(selectors.incoming_search(clerk_a), 2, cap=3)
    assert paginator.count == count
    assert paginator.capped is capped


def test_list_page_says_more_than_cap(client, make_incoming, clerk_a, monkeypatch):
    for _ in range(3):
        make_incoming()
    client.force_login(clerk_a)
    assert "3 văn bản." in client.get("/van-ban/").content.decode()
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    page = client.get("/van-ban/").content.decode()
    assert "Hơn 2 văn bản" in page


def test_agency_filter_outside_scope_and_unknown_type_find_nothing(make_incoming, clerk_a, agency_b):
    doc = make_incoming()
    assert list(selectors.incoming_search(clerk_a, agency_id=doc.agency_id)) == [doc]
    assert list(selectors.incoming_search(clerk_a, agency_id=agency_b.pk)) == []
    assert list(selectors.incoming_search(clerk_a, doc_type="KHONG-CO")) == []
    assert list(selectors.outgoing_search(clerk_a, agency_id=agency_b.pk)) == []


def test_officer_of_two_agencies_searches_both_books(make_incoming, agency_a, agency_b, clerk_b):
    from motcua.documents.services import register_incoming

    a = make_incoming(summary="Về việc phòng chống lụt bão")
    b = register_incoming(agency=agency_b, actor=clerk_b, sender_name="Sở", summary="Lụt bão năm nay", doc_type="CV")
    both = OfficerFactory()
    grant(both, Role.RECEPTIONIST, agency=agency_a)
    grant(both, Role.RECEPTIONIST, agency=agency_b)
    assert set(selectors.incoming_search(both, q="lut bao")) == {a, b}
    assert list(selectors.incoming_search(both, q="lut bao", agency_id=agency_b.pk)) == [b]


def test_bare_number_matches_the_number_or_a_code_and_keeps_confidential_out(make_incoming, clerk_a, leader_a):
    first = make_incoming(doc_number="9/UBND")
    coded = make_incoming(doc_number="1/STP")
    secret = make_incoming(confidentiality="secret", doc_number="1/CA")
    assert set(selectors.incoming_search(clerk_a, q="1")) == {first, coded}
    assert secret in set(selectors.incoming_search(leader_a, q="1"))


def test_keyset_before_an_entry_at_and_around_the_ends(make_incoming, clerk_a):
    first, second, third = (make_incoming() for _ in range(3))
    year = first.year
    numbers = lambda before: [d.incoming_number for d in selectors.incoming_search(clerk_a, before=before)]  # noqa: E731
    assert numbers((year, third.incoming_number)) == [2, 1]
    assert numbers((year, 2)) == [1]
    assert numbers((year, 1)) == []
    assert numbers((year + 1, 0)) == [3, 2, 1]  # every entry of an earlier year comes after
    assert numbers((year, 4)) == [3, 2, 1]


def test_api_keyset_paging_and_bad_cursor(client, make_incoming, clerk_a):
    docs = [make_incoming() for _ in range(3)]
    client.force_login(clerk_a)
    year = docs[0].year
    page = client.get(f"/api/v1/documents/incoming?limit=2&before={year}-3").json()
    assert [d["incoming_number"] for d in page] == [2, 1]
    last = page[-1]
    nxt = client.get(f"/api/v1/documents/incoming?before={last['year']}-{last['incoming_number']}").json()
    assert nxt == []
    r = client.get("/api/v1/documents/incoming?before=26-x")
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
