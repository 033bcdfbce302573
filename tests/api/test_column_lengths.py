"""String inputs are limited by the column they are stored in (`motcua.schemas.column_text`): one
character too many is a 422 naming the field, never a database error (PostgreSQL refuses it; SQLite
would silently keep it)."""

import pytest

from motcua.dossiers.models import Dossier
from tests.dossiers import intake_helpers

media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    client.force_login(world.citizen)
    return client


def _create(api, world, **extra):
    body = {"procedure": world.procedure.code, **extra}
    return api.post("/api/v1/dossiers", body, content_type="application/json")


def _field_errors(response) -> list[list[str]]:
    return [detail["loc"] for detail in response.json().get("details") or []]


def test_applicant_address_of_256_characters_is_422(api, world):
    response = _create(api, world, applicant={"address": "a" * 256})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert ["body", "payload", "applicant", "address"] in _field_errors(response)
    assert not Dossier.objects.exists()


def test_applicant_address_of_255_characters_is_accepted(api, world):
    response = _create(api, world, applicant={"address": "a" * 255})
    assert response.status_code == 201, response.content
    assert len(Dossier.objects.get().applicant_address) == 255


def test_delivery_address_at_the_column_limit(api, world):
    too_long = _create(api, world, result_delivery="post", delivery_address="Ấp 1, " + "b" * 250)
    assert too_long.status_code == 422
    assert ["body", "payload", "delivery_address"] in _field_errors(too_long)
    fits = _create(api, world, result_delivery="post", delivery_address="Ấp 1, " + "b" * 249)
    assert fits.status_code == 201, fits.content
    assert Dossier.objects.get().delivery_address == "Ấp 1, " + "b" * 249


def test_limits_follow_the_model_columns(api, world):
    from motcua.api import api as ninja_api

    schemas = ninja_api.get_openapi_schema()["components"]["schemas"]
    assert schemas["ApplicantIn"]["properties"]["address"]["maxLength"] == Dossier._meta.get_field(
        "applicant_address"
    ).max_length == 255
    assert schemas["DossierIn"]["properties"]["delivery_address"]["maxLength"] == 255
