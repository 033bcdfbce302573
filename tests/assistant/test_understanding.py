"""Understanding: dossier codes, intents, ranking over the shipped catalog, and the public sample's aims."""

import pytest
from django.core.management import call_command

from motcua.assistant.understanding import understand
from motcua.assistant.understanding.codes import find_dossier_code
from motcua.catalog.models import Procedure
from motcua.catalog.search import search_index_invalidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(settings):
    settings.CATALOG_SEARCH_CHECK_SECONDS = 0
    call_command("load_catalog", verbosity=0)
    search_index_invalidate()
    yield {p.key: p.pk for p in Procedure.objects.all()}
    search_index_invalidate()


@pytest.mark.parametrize(
    "text",
    [
        "000.00.31.H12-250612-0042",
        "ma 000.00.31.h12-250612-0042 sao roi",
        "000 00 31 H12 250612 0042",
        "0000031H12-250612-0042",
        "000.00.31.H12 - 250612 - 0042",
    ],
)
def test_code_variants_are_read_back_to_the_canonical_form(text):
    assert find_dossier_code(text) == "000.00.31.H12-250612-0042"


def test_no_code_in_plain_numbers():
    assert find_dossier_code("toi sinh nam 1985, sdt 0912345678") is None


def test_code_means_status(catalog):
    u = understand("hồ sơ 000.00.31.H12-250612-0042 của tôi tới đâu rồi, sđt đuôi 4321")
    assert u.intent == "status"
    assert u.dossier_code == "000.00.31.H12-250612-0042"
    assert u.phone_last4 == "4321"


def test_everyday_question_finds_the_procedure(catalog):
    u = understand("lam giay khai sinh cho be can nhung gi")
    assert u.intent == "procedure"
    assert u.procedures[0][0] == catalog["khai-sinh"]
