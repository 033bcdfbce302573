"""api_key handling, the commune named in an address, and the admin that issues keys."""

import pytest

from motcua.fieldreports.models import Open311Client
from motcua.fieldreports.open311.clients import open311_client_authenticate, open311_client_create
from motcua.fieldreports.open311.submit import _unit_from_address
from tests.factories import CommuneFactory, UserFactory


def test_key_is_stored_hashed_and_authenticates(world):
    client, api_key = open311_client_create(name="Tổng đài", contact="0290 3 1022")

    assert client.key_hash != api_key and api_key not in client.key_hash
    assert client.key_prefix == api_key[:8]
    assert open311_client_authenticate(api_key=api_key) == client
    assert open311_client_authenticate(api_key=api_key + "x") is None
    assert open311_client_authenticate(api_key=None) is None
    client.is_active = False
    client.save(update_fields=["is_active"])
    assert open311_client_authenticate(api_key=api_key) is None


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Ấp 3, xã Tân Thành", "commune"),
        ("khóm 2, phuong an xuyen", "other_commune"),  # typed without accents
        ("Tân Thành", "commune"),
        ("Đường ven biển", None),
        ("", None),
    ],
)
def test_commune_named_in_address(world, address, expected):
    unit = _unit_from_address(address)

    assert unit == (getattr(world, expected) if expected else None)


def test_ambiguous_commune_name_is_not_guessed(world):
    CommuneFactory(name="Xã Tân Thạnh", parent=world.province)

    assert _unit_from_address("ấp 1, xã Tân Thạnh") is not None  # exact with accents: one fits
    assert _unit_from_address("ap 1, xa tan thanh") is None  # folded: Thành and Thạnh both fit


@pytest.mark.urls("tests.fieldreports.open311.admin_urls")
def test_admin_add_shows_the_key_once(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        "/quan-tri/fieldreports/open311client/add/",
        {"name": "Ứng dụng phường", "contact": "", "is_active": "on"},
        follow=True,
    )

    assert response.status_code == 200
    created = Open311Client.objects.get(name="Ứng dụng phường")
    [message] = [str(m) for m in response.context["messages"] if "api_key" in str(m)]
    api_key = message.rsplit(" ", 1)[-1]
    assert open311_client_authenticate(api_key=api_key) == created


def test_open311_clients_are_in_the_site_admin(db):
    from django.contrib import admin

    assert admin.site.is_registered(Open311Client)
