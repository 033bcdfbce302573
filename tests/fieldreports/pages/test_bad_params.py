"""Query values that look numeric to str.isdigit() but are not integers must not reach int()."""

import pytest
from django.urls import reverse

from .conftest import client_for


@pytest.mark.django_db
def test_public_list_ignores_superscript_unit(client, service_area, categories):
    response = client.get(reverse("fieldreports:list"), {"unit": "²"})
    assert response.status_code == 200


def test_officer_queue_ignores_superscript_unit(handler_a, categories):
    response = client_for(handler_a).get(reverse("fieldreports:queue"), {"unit": "²"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_nearby_fragment_with_infinite_point(client, categories):
    response = client.get(reverse("fieldreports:nearby"), {"category": "rac-thai", "lat": "inf", "lon": "105.1"})
    assert response.status_code == 200
