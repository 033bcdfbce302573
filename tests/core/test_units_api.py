import pytest

from motcua.core.services.units import unit_load_province


@pytest.fixture
def ca_mau(db):
    return unit_load_province(code=96).province


@pytest.mark.django_db
def test_without_parent_lists_the_provinces_with_their_legacy_sources(client, ca_mau):
    response = client.get("/api/v1/units")

    assert response.status_code == 200
    [province] = response.json()
    assert province["code"] == "96"
    assert province["era"] == "2025"
    assert province["kind"] == "province"
    assert province["kind_label"] == "Tỉnh"
    assert province["parent_code"] is None
    assert [(s["code"], s["name"], s["era"]) for s in province["legacy_sources"]] == [
        ("95", "Tỉnh Bạc Liêu", "legacy"),
        ("96", "Tỉnh Cà Mau", "legacy"),
    ]


@pytest.mark.django_db
def test_with_parent_lists_the_children_in_a_fixed_number_of_queries(client, ca_mau, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/units", {"parent": "96"})

    assert response.status_code == 200
    units = response.json()
    assert len(units) == 64
    bac_lieu = next(u for u in units if u["code"] == "31825")
    assert bac_lieu["name"] == "Phường Bạc Liêu"
    assert bac_lieu["kind"] == "ward"
    assert bac_lieu["parent_code"] == "96"
    assert [s["name"] for s in bac_lieu["legacy_sources"]] == [
        "Phường 2",
        "Phường 3",
        "Phường 7",
        "Phường 1",
        "Phường 8",
    ]
    assert all(s["era"] == "legacy" for s in bac_lieu["legacy_sources"])


@pytest.mark.django_db
def test_legacy_era_lists_old_districts_and_wards_with_their_successors(client, ca_mau):
    provinces = client.get("/api/v1/units", {"era": "legacy"}).json()
    assert [p["code"] for p in provinces] == ["95", "96"]

    districts = client.get("/api/v1/units", {"era": "legacy", "parent": "95"}).json()
    assert "Thành phố Bạc Liêu" in [d["name"] for d in districts]
    assert {d["kind"] for d in districts} == {"legacy_district"}

    wards = client.get("/api/v1/units", {"era": "legacy", "parent": "954"}).json()
    ward_1 = next(w for w in wards if w["name"] == "Phường 1")
    assert ward_1["legacy_sources"] == []
    assert [(s["code"], s["era"]) for s in ward_1["successors"]] == [("31825", "2025")]


@pytest.mark.django_db
def test_one_unit_by_code_and_era(client, ca_mau):
    response = client.get("/api/v1/units/32248")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["kind"], body["parent_code"]) == ("Xã Đất Mũi", "commune", "96")
    assert len(body["legacy_sources"]) == 3

    old = client.get("/api/v1/units/96", {"era": "legacy"}).json()
    assert (old["era"], old["name"], old["successors"][0]["code"]) == ("legacy", "Tỉnh Cà Mau", "96")


@pytest.mark.django_db
def test_errors_are_json(client, ca_mau):
    missing = client.get("/api/v1/units/99999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "unit_not_found"
    assert "99999" in missing.json()["message"]

    missing_parent = client.get("/api/v1/units", {"parent": "12345"})
    assert missing_parent.status_code == 404
    assert missing_parent.json()["code"] == "unit_not_found"

    bad_era = client.get("/api/v1/units", {"era": "1990"})
    assert bad_era.status_code == 422
    assert bad_era.json()["code"] == "validation_error"
    assert client.get("/api/v1/units/96", {"era": "x"}).status_code == 422


@pytest.mark.django_db
def test_units_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/units" in paths
    assert "404" in paths["/api/v1/units/{code}"]["get"]["responses"]
