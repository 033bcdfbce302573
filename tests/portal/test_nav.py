"""The main navigation per role: the links shown are exactly the features that role may use, and
each of them answers 200 for that role."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.roles import EVERYONE, EXPECTED, role_world

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="Điều hướng chính">(.*?)</nav>', re.S)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def nav_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', NAV.search(html).group(1))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_nav_shows_exactly_the_features_of_the_role_and_each_answers(role):
    world = role_world()
    client = Client()
    client.force_login(world.users[role])
    links = nav_links(client.get(reverse("core:account")).content.decode())
    assert sorted(links) == sorted(reverse(name) for name in EVERYONE | EXPECTED[role])
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, link


def test_a_visitor_sees_public_links_and_sign_in_only(client):
    links = nav_links(client.get(reverse("dossiers:lookup")).content.decode())
    assert sorted(links) == sorted(
        reverse(name)
        for name in {"catalog:index", "dossiers:lookup", "fieldreports:map", "core:login", "appointments:index"}
    )


def test_features_left_out_of_a_role_nav_are_closed_to_it():
    # What the nav leaves out is what the pages refuse (spot checks on the riskiest pairs).
    world = role_world()
    closed = {
        "citizen": ["dossiers:queue", "outreach:home", "fieldreports:queue"],
        "cashier": ["outreach:households", "outreach_progress:home"],
        "specialist": ["outreach:home", "payments:desk"],
        "report_handler": ["outreach:households", "dossiers:desk_intake"],
    }
    for role, names in closed.items():
        client = Client()
        client.force_login(world.users[role])
        for name in names:
            assert client.get(reverse(name), follow=True).status_code in (403, 404), (role, name)
