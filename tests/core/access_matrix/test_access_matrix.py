"""The access matrix: every role x every kind of record x own / other commune / other department /
other citizen, through the pages and the API, against the cells written out in expected.py.

A cell is "readable" when the page or endpoint answers 200 with the record's private content (see
`_read`); anything else (403, 404, a public view without the reporter's contact) is "not readable".
"""

from pathlib import Path

import pytest

from motcua.core.models import AuditEvent

from .expected import CELL_COUNT, EXPECTED, KINDS, RELATIONS, SUBJECT_OF
from .world import build_world

pytestmark = pytest.mark.django_db
REASON = "Kiểm tra theo đơn khiếu nại số 7/2026"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "access.md"


@pytest.fixture(autouse=True)
def _env(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RECEIPT_PDF_ON_ISSUE = False
    # Paying in full resumes the dossier through its workflow; the matrix is about reading.
    monkeypatch.setattr("motcua.payments.services.dossier_link.dossier_settle", lambda **kwargs: None)


def _page_ok(response, text: str | None = None) -> bool:
    if response.status_code != 200:
        return False
    if text is None:
        return True
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return text.encode() in body


def _read(client, *, officer: bool, kind: str, surface: str, rec, reason: str = ""):
    """(readable, response) for one record of one kind through one surface."""
    extra = {"reason": reason} if reason else {}
    code = rec.dossier.code
    if kind == "person":
        url = f"/can-bo/cong-dan/{rec.person.pk}/" if surface == "page" else f"/api/v1/people/{rec.person.pk}"
        response = client.get(url, extra)
        return _page_ok(response), response
    if kind == "dossier":
        if surface == "api":
            url = f"/api/v1/dossiers/{code}"
        else:
            url = f"/ho-so/can-bo/{code}/" if officer else f"/ho-so/{code}/"
        response = client.get(url)
        return _page_ok(response), response
    if kind == "dossier_file":
        response = client.get(f"/ho-so/{code}/tai-lieu/{rec.document.pk}/")
        return _page_ok(response), response
    if kind == "message":
        if surface == "api":
            response = client.get(f"/api/v1/notifications/{rec.message.pk}")
            return _page_ok(response), response
        url = f"/can-bo/cong-dan/{rec.person.pk}/" if officer else "/ho-so/hop-thu/"
        response = client.get(url)
        return _page_ok(response, rec.message.body), response
    if kind == "field_report":
        if surface == "api":
            response = client.get(f"/api/v1/fieldreports/{rec.report.code}")
            return response.status_code == 200 and "reporter_phone" in response.json(), response
        url = f"/phan-anh/xu-ly/{rec.report.code}/" if officer else f"/phan-anh/cua-toi/{rec.report.code}/"
        response = client.get(url)
        return _page_ok(response), response
    if kind == "household":
        pk = rec.household.pk
        response = client.get(f"/cong-nghe-so/ho/{pk}/" if surface == "page" else f"/api/v1/outreach/households/{pk}")
        return _page_ok(response), response
    if kind == "payment_request":
        reference = rec.payment_request.reference
        if surface == "api":
            url = f"/api/v1/payments/requests/{reference}"
        else:
            url = f"/thanh-toan/thu-ngan/yeu-cau/{reference}/" if officer else f"/thanh-toan/ho-so/{code}/"
        response = client.get(url)
        return _page_ok(response), response
    if kind == "receipt":
        pk = rec.receipt.pk
        response = client.get(f"/bien-lai/so/{pk}/" if surface == "page" else f"/api/v1/receipts/{pk}")
        return _page_ok(response), response
    if kind == "rating":
        response = client.get(f"/danh-gia/ho-so/{code}/")
        return _page_ok(response), response
    raise AssertionError(kind)


def _cells(role: str):
    for kind in KINDS:
        for surface, value in zip(("page", "api"), EXPECTED[role][kind], strict=True):
            if value is None:
                continue
            needs_reason = value.startswith("r:")
            allowed = set(value.removeprefix("r:"))
            for relation in RELATIONS:
                yield kind, surface, relation, relation in allowed, needs_reason and relation in allowed


def test_the_table_is_complete_and_counted():
    assert set(EXPECTED) == set(SUBJECT_OF)
    assert len(EXPECTED) == 11
    for role, kinds in EXPECTED.items():
        assert tuple(kinds) == KINDS, role
        for value in (v for pair in kinds.values() for v in pair if v is not None):
            assert set(value.removeprefix("r:")) <= set(RELATIONS), (role, value)
    counted = sum(1 for role in EXPECTED for _cell in _cells(role))
    assert counted == CELL_COUNT == 704
    assert f"{CELL_COUNT} cells" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_matrix(client, role):
    world = build_world()
    actor = world.actors[role]
    client.force_login(actor)
    officer = role != "citizen"
    wrong = []
    for kind, surface, relation, allowed, needs_reason in _cells(role):
        rec = world.records[SUBJECT_OF[role][relation]]
        readable, response = _read(client, officer=officer, kind=kind, surface=surface, rec=rec)
        if needs_reason:
            # Without a reason: refused, and the API says why in a machine-readable code.
            refused_right = not readable and response.status_code == 403
            if surface == "api":
                refused_right = refused_right and response.json().get("code") == "reason_required"
            before = AuditEvent.objects.filter(actor=actor, object_id=str(rec.person.pk)).count()
            readable, response = _read(client, officer=officer, kind=kind, surface=surface, rec=rec, reason=REASON)
            audited = AuditEvent.objects.filter(
                actor=actor, action="person.read_wide", object_id=str(rec.person.pk), data__reason=REASON
            ).count()
            if not (refused_right and readable and audited == before + 1):
                wrong.append((kind, surface, relation, "reason", refused_right, readable, audited - before))
            continue
        if readable != allowed:
            wrong.append((kind, surface, relation, "allowed" if allowed else "refused", response.status_code))
    assert wrong == []
