"""Ratings API: reasons, token, own dossier, statistics; errors as JSON with codes."""

import pytest
from django.test import Client

from motcua.ratings import services
from motcua.ratings.models import Rating
from tests.factories import CitizenUserFactory, PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/ratings"


def _token(dossier) -> str:
    return services.invitation_create(dossier=dossier)[1]


def test_reasons_list(client):
    body = client.get(f"{API}/reasons").json()
    codes = {r["code"]: r["positive"] for r in body}
    assert codes["dung-hen"] is True and codes["gay-kho-khan"] is False


def test_rate_by_token_then_twice(client, return_dossier):
    dossier = return_dossier()
    token = _token(dossier)
    info = client.get(f"{API}/token/{token}").json()
    assert info["dossier_code"] == dossier.code and info["reasons"]
    answer = client.post(
        f"{API}/token/{token}",
        {"level": 4, "reasons": ["dung-hen"], "channel": "zalo"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["reasons"] == ["dung-hen"] and answer.json()["channel"] == "zalo"
    again = client.post(f"{API}/token/{token}", {"level": 1}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "rating_already_done"
    assert client.get(f"{API}/token/{token}").json()["code"] == "rating_already_done"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"level": 1, "reasons": ["dung-hen"]}, 422, "rating_reasons_invalid"),
        ({"level": 4, "reasons": ["khong-co"]}, 422, "rating_reasons_invalid"),
        ({"level": 9}, 422, None),
        ({"level": 4, "comment": "x" * 1001}, 422, None),
    ],
)
def test_rate_by_token_errors(client, return_dossier, payload, status, code):
    token = _token(return_dossier())
    answer = client.post(f"{API}/token/{token}", payload, content_type="application/json")
    assert answer.status_code == status
    assert "code" in answer.json() and (code is None or answer.json()["code"] == code)
    assert not Rating.objects.exists()


def test_unknown_token(client):
    answer = client.post(f"{API}/token/khong-co", {"level": 4}, content_type="application/json")
    assert answer.status_code == 404 and answer.json()["code"] == "rating_token_invalid"


def test_rate_own_dossier(client, return_dossier, citizen, commune_a):
    dossier = return_dossier()
    url = f"{API}/dossiers/{dossier.code}"
    assert client.post(url, {"level": 4}, content_type="application/json").status_code == 401
    stranger = Client()
    stranger.force_login(CitizenUserFactory(person=PersonFactory(unit=commune_a)))
    denied = stranger.post(url, {"level": 4}, content_type="application/json")
    assert denied.status_code == 404 and denied.json()["code"] == "dossier_not_found"
    client.force_login(citizen)
    missing = client.post(f"{API}/dossiers/KHONG-CO", {"level": 4}, content_type="application/json")
    assert missing.status_code == 404
    answer = client.post(url, {"level": 3, "comment": "Ổn"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["channel"] == "portal"
    assert client.post(url, {"level": 3}, content_type="application/json").json()["code"] == "rating_already_done"


def test_rate_someone_elses_dossier_is_404_whatever_the_answer(return_dossier, commune_a):
    """A stranger learns nothing from the answer's validation: 404 before the reasons are checked."""
    dossier = return_dossier()
    stranger = Client()
    stranger.force_login(CitizenUserFactory(person=PersonFactory(unit=commune_a)))
    answer = stranger.post(
        f"{API}/dossiers/{dossier.code}", {"level": 1, "reasons": ["dung-hen"]}, content_type="application/json"
    )
    assert answer.status_code == 404 and answer.json()["code"] == "dossier_not_found"
    assert not Rating.objects.exists()


def test_stats_scoped(client, return_dossier, manager_a, receptionist_a, citizen):
    services.rating_submit(token=_token(return_dossier()), level=4, channel="sms")
    services.rating_submit(token=_token(return_dossier()), level=1, channel="sms")
    services.rating_submit(token=_token(return_dossier("b")), level=1, channel="sms")
    assert client.get(f"{API}/stats").status_code == 401
    client.force_login(citizen)
    assert client.get(f"{API}/stats").json()["code"] == "rating_stats_not_found"
    client.force_login(manager_a)
    body = client.get(f"{API}/stats", {"dimension": "officer"}).json()
    assert [row["key"] for row in body["rows"]] == [receptionist_a.pk]
    assert body["overall"]["total"] == 2 and body["overall"]["rate"] == "50.00"
    assert body["months"][0]["total"] == 2
    bad = client.get(f"{API}/stats", {"dimension": "nope"})
    assert bad.status_code == 404
