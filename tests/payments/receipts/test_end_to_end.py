"""The whole loop with the real workflow: fees requested, paid at the desk, receipt issued, dossier
resumed with the receipt's number, and the citizen finds the receipt from their dossier page."""

import pytest
from django.urls import reverse

from motcua.dossiers.models import DossierEvent, DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import PaymentMethod, Receipt
from motcua.payments.services.apply import payment_record

pytestmark = pytest.mark.django_db


def test_paid_dossier_resumes_and_the_citizen_downloads_the_receipt(
    monkeypatch, client, make_received_dossier, specialist_a, cashier_a, citizen
):
    monkeypatch.undo()  # the real dossier_settle, not the conftest's no-op
    dossier = make_received_dossier()
    dossier = dossier_act(dossier=dossier, actor=specialist_a, action="request_fees")
    assert dossier.status == DossierStatus.PAYMENT_REQUESTED
    request = dossier.payment_requests.get()

    payment_record(method=PaymentMethod.CASH, amount=request.amount_due, request=request, actor=cashier_a)

    receipt = Receipt.objects.get()
    assert receipt.dossier == dossier and receipt.amount == request.amount_due == 8000
    dossier.refresh_from_db()
    assert dossier.status != DossierStatus.PAYMENT_REQUESTED
    event = DossierEvent.objects.get(dossier=dossier, action="fees_paid")
    assert f"{receipt.series.symbol}-{receipt.number:07d}" in str(event.data)

    client.force_login(citizen)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert reverse("receipts:dossier", args=[dossier.code]) in page
    listing = client.get(reverse("receipts:dossier", args=[dossier.code])).content.decode()
    assert reverse("receipts:pdf", args=[receipt.pk]) in listing
