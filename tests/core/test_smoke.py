import pytest


@pytest.mark.django_db
def test_home_page_renders_in_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Cổng dịch vụ công" in response.content.decode()


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "motcua API"
