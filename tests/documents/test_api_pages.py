import io

import pytest
from openpyxl import load_workbook

from motcua.core.models import AuditEvent


@pytest.fixture
def api(client):
    def call(user, method, url, data=None):
        client.force_login(user)
        fn = getattr(client, method)
        return (
            fn(f"/api/v1{url}", data=data, content_type="application/json") if data is not None else fn(f"/api/v1{url}")
        )

    return call


def test_api_register_and_flow(api, agency_a, clerk_a, leader_a, specialist_a, clerk_b):
    r = api(
        clerk_a,
        "post",
        "/documents/incoming",
        {"agency_id": agency_a.pk, "sender_name": "Sở Y tế", "summary": "Phòng dịch", "doc_type": "CV"},
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["incoming_number"] == 1
    r = api(leader_a, "post", f"/documents/incoming/{pk}/assign", {"lead_id": specialist_a.pk, "days": 3})
    assert r.json()["status"] == "assigned"
    r = api(specialist_a, "post", f"/documents/incoming/{pk}/close", {"note": "Đã xong"})
    assert r.json()["status"] == "done"
    assert api(clerk_b, "get", f"/documents/incoming/{pk}").status_code == 404
    assert [d["id"] for d in api(clerk_a, "get", "/documents/incoming?q=phong+dich").json()] == [pk]
    assert api(clerk_b, "get", "/documents/incoming").json() == []


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"sender_name": "", "summary": "x", "doc_type": "CV"}, 422, "invalid_document"),
        ({"sender_name": "A", "summary": "x", "doc_type": "ZZ"}, 422, "invalid_document_type"),
        ({"sender_name": "A", "summary": "x", "doc_type": "CV", "pages": 0}, 422, "invalid_pages"),
    ],
)
def test_api_bad_input_codes(api, agency_a, clerk_a, body, status, code):
    r = api(clerk_a, "post", "/documents/incoming", {"agency_id": agency_a.pk, **body})
    assert r.status_code == status and r.json()["code"] == code


def test_api_other_agency_and_citizen(api, agency_a, clerk_b, citizen):
    r = api(
        clerk_b,
        "post",
        "/documents/incoming",
        {"agency_id": agency_a.pk, "sender_name": "A", "summary": "x", "doc_type": "CV"},
    )
    assert r.status_code == 404 and r.json()["code"] == "agency_not_found"
    assert api(citizen, "get", "/documents/incoming").json() == []


def test_api_unauthenticated(client):
    assert client.get("/api/v1/documents/incoming").status_code == 401


def test_api_outgoing_issue(api, agency_a, clerk_a, leader_a):
    r = api(
        clerk_a, "post", "/documents/outgoing", {"agency_id": agency_a.pk, "doc_type": "QĐ", "title": "Khen thưởng"}
    )
    pk = r.json()["id"]
    api(clerk_a, "post", f"/documents/outgoing/{pk}/submit", {})
    api(leader_a, "post", f"/documents/outgoing/{pk}/approve", {})
    r = api(clerk_a, "post", f"/documents/outgoing/{pk}/issue", {})
    assert r.json()["code"] == "1/QĐ-UBND"
    assert api(clerk_a, "post", f"/documents/outgoing/{pk}/bogus", {}).json()["code"] == "action_not_allowed"


def test_pages_and_registers(client, make_incoming, clerk_a, leader_a, specialist_a, clerk_b, citizen, agency_a):
    doc = make_incoming()
    client.force_login(clerk_a)
    assert client.get("/van-ban/").status_code == 200
    assert client.get(f"/van-ban/den/{doc.pk}/").status_code == 200
    r = client.post("/van-ban/den/moi/", {"agency": agency_a.pk, "sender_name": "", "summary": "x", "doc_type": "CV"})
    assert r.status_code == 422
    r = client.post(
        "/van-ban/den/moi/", {"agency": agency_a.pk, "sender_name": "Sở", "summary": "Việc mới", "doc_type": "CV"}
    )
    assert r.status_code == 302
    xlsx = client.get(f"/van-ban/so/den.xlsx?agency={agency_a.pk}")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(3, 2).value == "Số đến" and ws.cell(4, 2).value == 1 and ws.cell(5, 2).value == 2
    pdf = client.get(f"/van-ban/so/den.pdf?agency={agency_a.pk}")
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="documents.register_export").count() == 2
    client.force_login(leader_a)
    client.post(f"/van-ban/den/{doc.pk}/assign/", {"lead": specialist_a.pk, "days": "2"})
    client.force_login(specialist_a)
    assert "Việc được giao" in client.get("/van-ban/viec-cua-toi/").content.decode()
    assert client.get("/van-ban/viec-cua-toi/").context["rows"][0] == doc
    client.force_login(clerk_b)
    assert client.get(f"/van-ban/den/{doc.pk}/").status_code == 404
    client.force_login(citizen)
    assert client.get("/van-ban/").status_code == 404


def test_workspace_panel_for_assignee_and_leader(make_incoming, leader_a, specialist_a, clerk_b):
    from motcua.documents.services import incoming_assign
    from motcua.portal.workspace import workspace_panels

    waiting = make_incoming()
    doc = make_incoming()
    incoming_assign(document=doc, actor=leader_a, lead=specialist_a, days=2)
    panel = next(p for p in workspace_panels(specialist_a) if p.key == "documents")
    assert panel.figures[0].count == 1
    leader_panel = next(p for p in workspace_panels(leader_a) if p.key == "documents")
    assert leader_panel.figures[-1].count == 1  # `waiting` awaits instruction
    assert waiting.status == "registered"
    assert all(p.key != "documents" for p in workspace_panels(clerk_b))


def test_outgoing_pages_flow(client, clerk_a, leader_a, agency_a, agency_b):
    client.force_login(clerk_a)
    assert client.get("/van-ban/di/moi/").status_code == 200
    r = client.post("/van-ban/di/moi/", {"agency": agency_a.pk, "doc_type": "QĐ", "title": ""})
    assert r.status_code == 422
    r = client.post(
        "/van-ban/di/moi/", {"agency": agency_a.pk, "doc_type": "QĐ", "title": "Khen thưởng", "internal": [agency_b.pk]}
    )
    url = r["Location"]
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    client.post(f"{url}submit/")
    client.force_login(leader_a)
    client.post(f"{url}approve/")
    client.force_login(clerk_a)
    client.post(f"{url}issue/")
    page = client.get(url).content.decode()
    assert "1/QĐ-UBND" in page
    assert client.get(f"/van-ban/tep/di/{pk}/").content.startswith(b"%PDF")
    assert "1/QĐ-UBND" in client.get("/van-ban/di/?q=khen+thuong").content.decode()
    xlsx = client.get(f"/van-ban/so/di.xlsx?agency={agency_a.pk}")
    assert xlsx.status_code == 200
    client.post(f"{url}bogus/")
