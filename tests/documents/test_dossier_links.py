"""Linking an incoming document to dossiers: the document's page and API, the dossier's page, access."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import NotFound, PermissionDenied
from motcua.documents import selectors
from motcua.documents.models import DocumentEvent
from motcua.documents.services import incoming_link_dossier, incoming_unlink_dossier
from motcua.dossiers.models import Channel, Dossier, DossierStatus
from tests.factories import ProcedureFactory

_codes = itertools.count(1)


def _dossier(agency) -> Dossier:
    return Dossier.objects.create(
        procedure=ProcedureFactory(),
        procedure_snapshot={},
        status=DossierStatus.REGISTERED,
        channel=Channel.ONLINE,
        applicant_name="Người nộp",
        receiving_agency=agency,
        current_agency=agency,
        submitted_at=timezone.now(),
        code=f"{agency.code}-261207-{next(_codes):04d}",
    )


@pytest.fixture
def api(client):
    def call(user, method, url, data=None):
        client.force_login(user)
        if data is None:
            return getattr(client, method)(f"/api/v1{url}")
        return getattr(client, method)(f"/api/v1{url}", data=data, content_type="application/json")

    return call


@pytest.fixture
def dossier_a(agency_a):
    return _dossier(agency_a)


@pytest.fixture
def dossier_b(agency_b):
    return _dossier(agency_b)


def test_page_links_and_unlinks_by_code_and_dossier_page_lists_it(client, make_incoming, clerk_a, dossier_a):
    doc = make_incoming()
    client.force_login(clerk_a)
    r = client.post(f"/van-ban/den/{doc.pk}/link-dossier/", {"code": f" {dossier_a.code} "}, follow=True)
    assert list(doc.dossiers.all()) == [dossier_a]
    page = r.content.decode()
    assert "Đã cập nhật văn bản." in page and dossier_a.code in page
    dossier_page = client.get(reverse("dossiers:officer_detail", kwargs={"code": dossier_a.code}))
    assert dossier_page.status_code == 200
    assert f"Văn bản đến số {doc.incoming_number}/{doc.year}" in dossier_page.content.decode()
    client.post(f"/van-ban/den/{doc.pk}/unlink-dossier/", {"code": dossier_a.code})
    assert not doc.dossiers.exists()
    assert list(DocumentEvent.objects.filter(incoming=doc).order_by("at", "id").values_list("action", flat=True))[
        -2:
    ] == [
        "link_dossier",
        "unlink_dossier",
    ]


def test_page_refusals_are_vietnamese_messages(client, make_incoming, clerk_a, clerk_b, dossier_a, dossier_b):
    doc = make_incoming()
    client.force_login(clerk_a)
    page = client.post(f"/van-ban/den/{doc.pk}/link-dossier/", {"code": dossier_b.code}, follow=True).content.decode()
    assert "Không tìm thấy hồ sơ có mã này" in page
    page = client.post(f"/van-ban/den/{doc.pk}/link-dossier/", {"code": ""}, follow=True).content.decode()
    assert "Không tìm thấy hồ sơ có mã này" in page
    client.post(f"/van-ban/den/{doc.pk}/link-dossier/", {"code": dossier_a.code})
    page = client.post(f"/van-ban/den/{doc.pk}/link-dossier/", {"code": dossier_a.code}, follow=True).content.decode()
    assert "đã được gắn với hồ sơ" in page
    client.force_login(clerk_b)
    assert client.post(f"/van-ban/den/{doc.pk}/unlink-dossier/", {"code": dossier_a.code}).status_code == 404
    assert doc.dossiers.count() == 1


def test_api_link_list_unlink_and_codes(api, make_incoming, clerk_a, clerk_b, dossier_a, dossier_b):
    doc = make_incoming()
    url = f"/documents/incoming/{doc.pk}/dossiers"
    r = api(clerk_a, "post", url, {"code": dossier_a.code})
    assert r.status_code == 201 and [d["code"] for d in r.json()] == [dossier_a.code]
    assert [d["code"] for d in api(clerk_a, "get", url).json()] == [dossier_a.code]
    r = api(clerk_a, "post", url, {"code": dossier_a.code})
    assert (r.status_code, r.json()["code"]) == (409, "dossier_already_linked")
    r = api(clerk_a, "post", url, {"code": dossier_b.code})
    assert (r.status_code, r.json()["code"]) == (404, "dossier_not_found")
    assert "Không tìm thấy hồ sơ" in r.json()["message"]
    listed = api(clerk_a, "get", f"/documents/dossiers/{dossier_a.code}/incoming").json()
    assert [d["id"] for d in listed] == [doc.pk]
    # Another commune's officer: neither the document nor the dossier exists for them.
    r = api(clerk_b, "post", url, {"code": dossier_b.code})
    assert (r.status_code, r.json()["code"]) == (404, "document_not_found")
    r = api(clerk_b, "get", f"/documents/dossiers/{dossier_a.code}/incoming")
    assert (r.status_code, r.json()["code"]) == (404, "dossier_not_found")
    r = api(clerk_a, "delete", f"{url}/{dossier_a.code}")
    assert r.status_code == 200 and r.json() == []
    r = api(clerk_a, "delete", f"{url}/{dossier_a.code}")
    assert (r.status_code, r.json()["code"]) == (409, "dossier_not_linked")


def test_confidential_document_not_revealed_through_the_dossier(
    api,
    client,
    make_incoming,
    clerk_a,
    leader_a,
    dossier_a,
):
    secret = make_incoming(confidentiality="secret", summary="Nội dung mật")
    incoming_link_dossier(document=secret, actor=leader_a, code=dossier_a.code)
    assert list(selectors.incoming_for_dossier(leader_a, dossier_a)) == [secret]
    assert list(selectors.incoming_for_dossier(clerk_a, dossier_a)) == []
    assert api(clerk_a, "get", f"/documents/dossiers/{dossier_a.code}/incoming").json() == []
    client.force_login(clerk_a)
    page = client.get(reverse("dossiers:officer_detail", kwargs={"code": dossier_a.code})).content.decode()
    assert "Nội dung mật" not in page and "Văn bản liên quan" not in page
    # Nor can the clerk, who does not see it, link or unlink it.
    with pytest.raises(NotFound):
        incoming_unlink_dossier(document=secret, actor=clerk_a, code=dossier_a.code)


def test_only_officers_holding_a_role_there_may_link(make_incoming, dossier_a, agency_a):
    from motcua.core.models import Role
    from tests.factories import OfficerFactory, grant

    doc = make_incoming()
    cashier = OfficerFactory()
    grant(cashier, Role.CASHIER, agency=agency_a)
    with pytest.raises(PermissionDenied):
        incoming_link_dossier(document=doc, actor=cashier, code=dossier_a.code)
