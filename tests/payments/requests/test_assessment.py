"""Assessing what a dossier owes from its procedure's fee items: choices, quantities, exemptions,
locally set amounts, and the snapshot the dossier was received under."""

import pytest

from motcua.catalog.models import FeeItem
from motcua.core.errors import DomainError
from motcua.dossiers.models import Channel, DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import PaymentRequest
from motcua.payments.services.requests import assess, exemption_reasons, fee_items

pytestmark = pytest.mark.django_db

RESIDENCE_EXEMPTION = (
    "Miễn cho trẻ em, người cao tuổi, người khuyết tật, người có công với cách mạng và thân nhân, người thuộc hộ "
    "nghèo, đồng bào dân tộc thiểu số ở xã có điều kiện kinh tế – xã hội đặc biệt khó khăn và các trường hợp khác "
    "theo Thông tư 75/2022/TT-BTC"
)


@pytest.fixture
def residence_fees(procedure):
    procedure.fees.all().delete()
    FeeItem.objects.create(procedure=procedure, order=1, name="Lệ phí đăng ký thường trú (nộp trực tiếp)",
                           amount=20000, exemption=RESIDENCE_EXEMPTION)
    FeeItem.objects.create(procedure=procedure, order=2, name="Lệ phí đăng ký thường trú (nộp trực tuyến)",
                           amount=10000, exemption=RESIDENCE_EXEMPTION)
    return procedure


def test_default_assessment_charges_each_fee_once(received_dossier):
    result = assess(dossier=received_dossier)
    assert result.total == 8000
    assert result.items == [{
        "index": 0, "name": "Lệ phí đăng ký", "kind": "base", "group": "", "condition": "", "per_unit": "bản",
        "legal_basis": "", "list_amount": 8000, "unit_amount": 8000, "quantity": 1, "full_amount": 8000,
        "amount": 8000, "exempt": False, "exemption": "", "exemption_basis": "", "overridden": False,
        "reduced": False, "reduction_basis": "",
    }]
    assert result.changes == []


def test_alternatives_by_channel_pick_the_one_that_applies(residence_fees, make_received_dossier):
    online = make_received_dossier(channel=Channel.ONLINE)
    counter = make_received_dossier(channel=Channel.COUNTER)
    assert assess(dossier=online).total == 10000
    assert assess(dossier=counter).total == 20000


def test_exemption_reasons_come_from_the_fee_text(residence_fees, received_dossier):
    reasons = fee_items(received_dossier)[0]["reasons"]
    assert "Trẻ em" in reasons
    assert "Người có công với cách mạng và thân nhân" in reasons
    assert "Người thuộc hộ nghèo" in reasons
    assert exemption_reasons("Tính cho mỗi bản sao") == []


def test_exempt_item_costs_nothing_and_keeps_the_reason(residence_fees, received_dossier):
    result = assess(dossier=received_dossier, choices=[
        {"index": 1, "exempt": True, "exemption": "Người thuộc hộ nghèo"},
    ])
    assert result.total == 0
    assert result.items[0]["full_amount"] == 10000 and result.items[0]["amount"] == 0
    assert result.items[0]["exemption"] == "Người thuộc hộ nghèo"


def test_exemption_needs_a_reason(received_dossier):
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier, choices=[{"index": 0, "exempt": True}])
    assert err.value.code == "exemption_reason_required"


def test_quantity_multiplies_per_copy_fees(procedure, received_dossier):
    FeeItem.objects.create(procedure=procedure, order=2, name="Phí cấp bản sao trích lục", amount=8000,
                           exemption="Tính cho mỗi bản sao", per_unit="bản")
    result = assess(dossier=received_dossier, choices=[{"index": 0}, {"index": 1, "quantity": 3}])
    assert result.total == 8000 + 24000


def test_only_locally_set_amounts_may_be_changed(procedure, received_dossier):
    FeeItem.objects.create(procedure=procedure, order=2, name="Phí thẩm định (mức thu theo Nghị quyết HĐND tỉnh)",
                           amount=50000)
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier, choices=[{"index": 0, "amount": 1000}])
    assert err.value.code == "amount_not_editable"
    result = assess(dossier=received_dossier, choices=[{"index": 1, "amount": 30000}])
    assert result.total == 30000 and result.items[0]["overridden"] is True


@pytest.mark.parametrize("choices, code", [
    ([{"index": 7}], "fee_item_unknown"),
    ([{"index": 0}, {"index": 0}], "fee_item_repeated"),
    ([{"index": 0, "quantity": "ba"}], "quantity_invalid"),
    ("tất cả", "items_invalid"),
])
def test_bad_choices_are_refused(received_dossier, choices, code):
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier, choices=choices)
    assert err.value.code == code


def test_snapshot_fees_win_over_the_catalog(make_received_dossier, procedure):
    dossier = make_received_dossier(procedure_snapshot={
        "time_limit_days": "3", "fees": [{"name": "Lệ phí (mức cũ)", "amount": 5000, "exemption": ""}],
    })
    procedure.fees.update(amount=99000)
    assert assess(dossier=dossier).total == 5000


def test_request_fees_with_everything_exempt_is_refused_and_changes_nothing(received_dossier, specialist_a):
    with pytest.raises(DomainError) as err:
        dossier_act(dossier=received_dossier, actor=specialist_a, action="request_fees",
                    items=[{"index": 0, "exempt": True, "exemption": "Trẻ em dưới 6 tuổi"}])
    assert err.value.code == "nothing_due"
    received_dossier.refresh_from_db()
    assert received_dossier.status == DossierStatus.RECEIVED and received_dossier.paused_at is None
    assert not PaymentRequest.objects.exists()


def test_request_fees_with_chosen_items(received_dossier, specialist_a, procedure):
    FeeItem.objects.create(procedure=procedure, order=2, name="Phí cấp bản sao", amount=3000, per_unit="bản")
    dossier_act(dossier=received_dossier, actor=specialist_a, action="request_fees",
                items=[{"index": 0, "exempt": True, "exemption": "Người có công với cách mạng"},
                       {"index": 1, "quantity": 2}])
    request = PaymentRequest.objects.get(dossier=received_dossier)
    assert request.amount_due == 6000
    assert [i["amount"] for i in request.items] == [0, 6000]


def test_officer_fee_form_shows_what_the_default_will_charge(client, received_dossier, specialist_a):
    from django.urls import reverse

    client.force_login(specialist_a)
    page = client.get(reverse("dossiers:officer_detail", args=[received_dossier.code])).content.decode()
    assert "Mặc định thu theo biểu phí của thủ tục (Lệ phí đăng ký: 8.000 đ), tổng 8.000 đ." in page
