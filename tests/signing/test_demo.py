"""load_signing_demo: a labelled demo root, certificates for demo leaders and seals; idempotent."""

import io

import pytest
from django.core.management import call_command

from motcua.core.models import Role
from motcua.signing.models import SigningCertificate, TrustRoot
from motcua.signing.services.signing import pdf_sign
from motcua.signing.services.verify import pdf_verify
from tests.factories import OfficerFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(province, agency_a, agency_b):
    admin = OfficerFactory(username="quantri")
    grant(admin, Role.ADMINISTRATOR, unit=province)
    leaders = []
    for agency, slug in ((agency_a, "tanthanh"), (agency_b, "lyvanlam")):
        leader = OfficerFactory(username=f"lanhdao.{slug}", first_name="Lãnh đạo", last_name=slug)
        grant(leader, Role.LEADER, agency=agency)
        grant(OfficerFactory(username=f"thungan.{slug}"), Role.CASHIER, agency=agency)
        leaders.append(leader)
    return admin, leaders


def test_demo_is_labelled_trusted_and_idempotent(demo_staff, agency_a, agency_b, sample_pdf, settings, tmp_path):
    _admin, leaders = demo_staff
    out = io.StringIO()
    call_command("load_signing_demo", stdout=out)
    root = TrustRoot.objects.get()
    assert "Demo" in root.name and "DEMO" in root.name and root.is_active and root.is_demo
    assert SigningCertificate.objects.filter(owner__in=leaders).count() == 2
    assert set(SigningCertificate.objects.filter(agency__isnull=False).values_list("agency", flat=True)) == {
        agency_a.pk,
        agency_b.pk,
    }
    call_command("load_signing_demo", stdout=out)
    assert TrustRoot.objects.count() == 1 and SigningCertificate.objects.count() == 4
    assert "4 đã có từ trước" in out.getvalue()

    certificate = SigningCertificate.objects.get(owner=leaders[0])
    row = pdf_sign(pdf_bytes=sample_pdf, certificate=certificate, actor=leaders[0], kind="result")
    assert pdf_verify(pdf_bytes=row.file.read()).verdict == "valid"


def test_new_leader_later_gets_a_certificate_from_a_fresh_demo_root(demo_staff, agency_a):
    call_command("load_signing_demo", stdout=io.StringIO())
    late = OfficerFactory(username="lanhdao.moi")
    grant(late, Role.LEADER, agency=agency_a)
    call_command("load_signing_demo", stdout=io.StringIO())
    assert SigningCertificate.objects.filter(owner=late).exists()
    assert TrustRoot.objects.filter(is_active=True).count() == 2
