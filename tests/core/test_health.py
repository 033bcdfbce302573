"""Health endpoints: /healthz answers without the database, /readyz checks it."""

import pytest
from django.urls import reverse


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any query here raise.
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert reverse("core:healthz") == "/healthz"


@pytest.mark.django_db
def test_readyz_checks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
