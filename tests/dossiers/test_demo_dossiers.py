"""Demo dossiers: built through the real services, reproducible, idempotent, and visible in the queues."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import User
from motcua.demo.dossiers import SCENARIOS, demo_dossiers_build, demo_pdf, scenario_plan
from motcua.demo.province import demo_province_build
from motcua.dossiers import selectors
from motcua.dossiers.files import check_upload
from motcua.dossiers.models import ApologyLetter, DocumentKind, Dossier, DossierEvent, DossierStatus

pytestmark = pytest.mark.django_db

PER_COMMUNE = 40


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_catalog", verbosity=0)
    province = demo_province_build(seed=96, people=60, citizen_accounts=2).province
    now = timezone.now()
    result = demo_dossiers_build(province=province, seed=96, per_commune=PER_COMMUNE, now=now)
    return province, result, now


def test_plan_is_reproducible_and_covers_every_story():
    assert scenario_plan(seed=96) == scenario_plan(seed=96)
    assert scenario_plan(seed=96) != scenario_plan(seed=97)
    assert set(SCENARIOS) <= set(scenario_plan(seed=96))
    assert check_upload(demo_pdf("Ket qua")).ext == "pdf"


def test_build_is_idempotent_and_in_every_state(demo):
    province, result, now = demo
    dossiers = Dossier.objects.filter(idempotency_key__startswith="demo-96-")
    # Two demo communes with full teams, plus one dossier of a demo citizen account each.
    assert result.created == dossiers.count() == 2 * PER_COMMUNE + 2
    statuses = dict(dossiers.values_list("status").annotate(n=Count("id")))
    for status in (DossierStatus.REGISTERED, DossierStatus.RECEIVED, DossierStatus.RESOLVED, DossierStatus.RETURNED):
        assert statuses.get(status), status
    assert {d.receiving_agency.unit.name for d in dossiers.select_related("receiving_agency__unit")} == {
        "Phường An Xuyên",
        "Xã Đất Mũi",
    }
    # Realistic history: received in the past, events dated when they happened, never in the future.
    assert dossiers.filter(received_at__lt=now - datetime.timedelta(days=7)).exists()
    assert not DossierEvent.objects.filter(dossier__in=dossiers, at__gt=now).exists()
    assert dossiers.filter(due_at__lt=now, status__in=selectors.OPEN_STATUSES).exists()
    # A returned dossier of a citizen account carries a result file, offered for reuse.
    assert dossiers.filter(status=DossierStatus.RETURNED, documents__kind=DocumentKind.RESULT).exists()

    again = demo_dossiers_build(province=province, seed=96, per_commune=PER_COMMUNE, now=now)
    assert again.created == 0 and again.skipped == 2 * PER_COMMUNE
    assert Dossier.objects.count() == dossiers.count()


def test_queue_pages_show_the_demo_dossiers(client, demo):
    _province, _result, _now = demo
    receptionist = User.objects.get(username="tiepnhan.anxuyen")
    client.force_login(receptionist)
    page = client.get(reverse("dossiers:queue")).content.decode()
    visible = Dossier.objects.filter(receiving_agency__unit__name="Phường An Xuyên").exclude(
        status__in=(DossierStatus.RETURNED, DossierStatus.NOT_RECEIVED, DossierStatus.WITHDRAWN)
    )
    assert any(d.code in page for d in visible)
    # The other commune's dossiers stay out of this officer's queue.
    assert not any(d.code in page for d in Dossier.objects.filter(receiving_agency__unit__name="Xã Đất Mũi"))
    waiting = client.get(reverse("dossiers:queue") + "?tab=waiting").content.decode()
    assert all(d.code in waiting for d in visible.filter(status=DossierStatus.REGISTERED))
    if ApologyLetter.objects.filter(sent_at__isnull=True, dossier__receiving_agency__unit__name="Phường An Xuyên"):
        assert "Phiếu xin lỗi chờ gửi" in page
