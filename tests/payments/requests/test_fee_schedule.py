"""The default assessment charges what the law says for this dossier, not every line of the schedule.

Schedules come from the shipped catalog (motcua/catalog/data/procedures.json), so these tests also
pin the shipped fee data of the procedures named in issue 11.
"""

import datetime
import json
from pathlib import Path

import pytest

from motcua.catalog.models import FeeItem
from motcua.core.errors import DomainError
from motcua.core.models import Organisation, UnitKind
from motcua.dossiers.models import Channel, DossierEvent
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import PaymentRequest
from motcua.payments.services.requests import assess, payment_request_create

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[3] / "motcua" / "catalog" / "data" / "procedures.json"
IN_HALVING = datetime.date(2026, 12, 31)  # last day of the Thông tư 64/2025 reduction
AFTER_HALVING = datetime.date(2027, 1, 1)


def shipped_fees(key: str) -> list[dict]:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return next(p["fees"] for p in data["procedures"] if p["key"] == key)


@pytest.fixture
def use_schedule(procedure):
    """Give the test procedure the shipped schedule of procedure `key` (or the lines given)."""

    def use(key: str | None = None, lines: list[dict] | None = None):
        procedure.fees.all().delete()
        for order, line in enumerate(lines if lines is not None else shipped_fees(key), start=1):
            FeeItem.objects.create(procedure=procedure, order=order, **line)
        return procedure

    return use


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(tax_code="2000123456", name="Công ty TNHH Thử Nghiệm")


def _make_ward(unit):
    unit.kind = UnitKind.WARD
    unit.save(update_fields=["kind"])


def test_alcohol_licence_charges_the_urban_tier_in_a_ward_only(use_schedule, make_received_dossier, organisation,
                                                             commune_a):
    use_schedule("ban-le-ruou")
    _make_ward(commune_a)
    result = assess(dossier=make_received_dossier(applicant_organisation=organisation))
    assert result.total == 1_200_000
    assert [i["name"] for i in result.items] == ["Phí thẩm định cấp Giấy phép bán lẻ rượu – doanh nghiệp, tại phường"]
    assert result.changes == []


def test_alcohol_licence_in_a_commune_charges_the_other_area_tier(use_schedule, make_received_dossier, organisation):
    use_schedule("ban-le-ruou")
    business = assess(dossier=make_received_dossier(applicant_organisation=organisation))
    person = assess(dossier=make_received_dossier())
    assert (business.total, person.total) == (600_000, 200_000)


def test_both_tiers_of_one_group_are_refused(use_schedule, received_dossier):
    use_schedule("ban-le-ruou")
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier, choices=[{"index": 0}, {"index": 2}])
    assert err.value.code == "fee_alternatives_conflict"


def test_certification_of_a_contract_costs_50000_not_105000(use_schedule, received_dossier):
    use_schedule("chung-thuc-hop-dong")
    result = assess(dossier=received_dossier)
    assert result.total == 50_000
    assert [i["name"] for i in result.items] == ["Phí chứng thực hợp đồng, giao dịch"]


def test_the_amendment_tier_is_a_change_that_needs_a_reason(use_schedule, received_dossier, specialist_a):
    use_schedule("chung-thuc-hop-dong")
    amendment = [{"index": 1}]
    assert assess(dossier=received_dossier, choices=amendment).changes == [
        "Chọn “Phí chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch” thay cho mức mặc định"
    ]
    with pytest.raises(DomainError) as err:
        payment_request_create(dossier=received_dossier, actor=specialist_a, items=amendment)
    assert err.value.code == "fee_change_reason_required"
    assert not PaymentRequest.objects.exists()
    request = payment_request_create(dossier=received_dossier, actor=specialist_a, items=amendment,
                                     reason="Người dân yêu cầu chứng thực phụ lục sửa đổi hợp đồng")
    assert request.amount_due == 30_000
    assert request.change_reason.endswith("Người dân yêu cầu chứng thực phụ lục sửa đổi hợp đồng")


@pytest.mark.parametrize("channel, total", [
    (Channel.ONLINE, 10_000), (Channel.ASSISTED, 10_000), (Channel.COUNTER, 20_000), (Channel.POST, 20_000),
])
def test_online_submission_pays_the_reduced_residence_fee(use_schedule, make_received_dossier, channel, total):
    use_schedule("thuong-tru")
    assert assess(dossier=make_received_dossier(channel=channel)).total == total


def test_a_conditional_extra_is_charged_only_when_chosen(use_schedule, received_dossier, specialist_a):
    use_schedule("ly-lich-tu-phap")
    assert assess(dossier=received_dossier).total == 200_000
    extra = [{"index": 0}, {"index": 2, "quantity": 2}]
    result = assess(dossier=received_dossier, choices=extra)
    assert result.total == 200_000 + 2 * 5_000
    assert result.changes == ["Thu thêm “Phí cấp thêm Phiếu lý lịch tư pháp từ phiếu thứ 3 trở đi” "
                              "(Yêu cầu cấp từ 3 Phiếu trở lên trong một lần)"]
    dossier_act(dossier=received_dossier, actor=specialist_a, action="request_fees", items=extra,
                reason="Yêu cầu cấp 4 Phiếu")
    request = PaymentRequest.objects.get(dossier=received_dossier)
    assert request.amount_due == 210_000
    event = DossierEvent.objects.get(dossier=received_dossier, action="request_fees")
    assert "Yêu cầu cấp 4 Phiếu" in event.data["fee_change_reason"]
    assert "Yêu cầu cấp 4 Phiếu" in request.change_reason


def test_the_student_rate_is_an_alternative_with_its_own_amount(use_schedule, received_dossier):
    use_schedule("ly-lich-tu-phap")
    result = assess(dossier=received_dossier, choices=[{"index": 1}])
    assert result.total == 100_000 and len(result.changes) == 1


@pytest.mark.parametrize("quantity, ok", [(1, True), (999, True), (1000, True), (1001, False), (0, False)])
def test_quantity_of_a_per_copy_line_is_bounded(use_schedule, received_dossier, quantity, ok):
    use_schedule("trich-luc-ho-tich")
    if ok:
        assert assess(dossier=received_dossier, choices=[{"index": 0, "quantity": quantity}]).total == 8_000 * quantity
    else:
        with pytest.raises(DomainError) as err:
            assess(dossier=received_dossier, choices=[{"index": 0, "quantity": quantity}])
        assert err.value.code == "quantity_invalid"


def test_a_line_charged_once_takes_no_quantity(use_schedule, received_dossier):
    use_schedule("chung-thuc-phan-chia-di-san")
    assert assess(dossier=received_dossier, choices=[{"index": 0, "quantity": 1}]).total == 50_000
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier, choices=[{"index": 0, "quantity": 2}])
    assert err.value.code == "quantity_not_per_unit"


def test_exemption_keeps_the_category_and_its_legal_ground(use_schedule, received_dossier):
    use_schedule("doi-can-cuoc")
    result = assess(dossier=received_dossier, choices=[{"index": 0, "exempt": True, "exemption": "Đổi khi đủ 25 tuổi"}])
    assert result.total == 0
    assert result.items[0]["exemption"] == "Đổi khi đủ 25 tuổi"
    assert result.items[0]["exemption_basis"] == "Thông tư 73/2024/TT-BTC"
    given = assess(dossier=received_dossier, choices=[
        {"index": 0, "exempt": True, "exemption": "Người có công", "exemption_basis": "Điều 5 Thông tư 73/2024/TT-BTC"},
    ])
    assert given.items[0]["exemption_basis"] == "Điều 5 Thông tư 73/2024/TT-BTC"


@pytest.mark.parametrize("day, amount, reduced", [
    (datetime.date(2025, 6, 30), 50_000, False),
    (datetime.date(2025, 7, 1), 25_000, True),
    (IN_HALVING, 25_000, True),
    (AFTER_HALVING, 50_000, False),
])
def test_the_temporary_halving_applies_from_1_july_2025_to_31_december_2026(use_schedule, received_dossier, day,
                                                                             amount, reduced):
    use_schedule("doi-can-cuoc")
    result = assess(dossier=received_dossier, on=day)
    assert result.total == amount
    assert result.items[0]["reduced"] is reduced
    assert result.items[0]["list_amount"] == 50_000
    assert ("Thông tư 64/2025/TT-BTC" in result.items[0]["reduction_basis"]) is reduced


def test_a_group_the_dossier_cannot_decide_asks_the_officer(use_schedule, received_dossier, specialist_a):
    use_schedule("an-toan-thuc-pham")
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier)
    assert err.value.code == "fee_choice_required"
    # Choosing the open alternative is not a change from a default: no reason needed.
    result = assess(dossier=received_dossier, choices=[{"index": 2}], on=AFTER_HALVING)
    assert (result.total, result.changes) == (700_000, [])
    dossier_act(dossier=received_dossier, actor=specialist_a, action="request_fees", items=[{"index": 2}])
    assert PaymentRequest.objects.get(dossier=received_dossier).change_reason == ""


def test_vehicle_registration_in_a_commune_defaults_to_the_area_iii_motorcycle_rate(use_schedule, received_dossier):
    use_schedule("dang-ky-xe")
    assert assess(dossier=received_dossier).total == 150_000


def test_a_council_set_amount_must_be_typed(use_schedule, received_dossier):
    use_schedule("giay-phep-xay-dung")
    with pytest.raises(DomainError) as err:
        assess(dossier=received_dossier)
    assert err.value.code == "local_amount_required"
    assert assess(dossier=received_dossier, choices=[{"index": 0, "amount": 75_000}]).total == 75_000


def test_dropping_a_default_line_needs_a_reason(use_schedule, received_dossier, specialist_a):
    use_schedule("thanh-lap-doanh-nghiep")  # online dossier: registration free, publication 100.000 đ
    assert assess(dossier=received_dossier, on=AFTER_HALVING).total == 100_000
    with pytest.raises(DomainError) as err:
        payment_request_create(dossier=received_dossier, actor=specialist_a, items=[{"index": 2}])
    assert err.value.code == "fee_change_reason_required"
    assert "Không thu “Lệ phí đăng ký doanh nghiệp (nộp qua mạng)”" in err.value.message


def test_old_snapshot_lines_take_their_structure_from_the_catalog(use_schedule, make_received_dossier, commune_a):
    """A dossier received before schedules had structure is not charged both tiers either."""
    use_schedule("ban-le-ruou")
    old = [{"name": f["name"], "amount": f["amount"], "exemption": ""} for f in shipped_fees("ban-le-ruou")]
    dossier = make_received_dossier(procedure_snapshot={"time_limit_days": "10", "fees": old})
    assert assess(dossier=dossier).total == 200_000


def test_api_takes_the_reason_and_returns_the_breakdown(use_schedule, received_dossier, specialist_a, client):
    use_schedule("chung-thuc-hop-dong")
    client.force_login(specialist_a)
    url = f"/api/v1/payments/dossiers/{received_dossier.code}/request"
    refused = client.post(url, {"items": [{"index": 2}]}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "fee_change_reason_required"
    created = client.post(url, {"items": [{"index": 2}], "reason": "Sửa lỗi chính tả tên bên bán"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["amount_due"] == 25_000
    item = body["items"][0]
    assert (item["kind"], item["group"], item["legal_basis"]) == (
        "alternative", "noi-dung", "Thông tư 226/2016/TT-BTC, Điều 4")
    assert body["change_reason"].endswith("Sửa lỗi chính tả tên bên bán")
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"change_reason", "items"} <= set(schema["RequestOut"]["properties"])
    assert {"kind", "exemption_basis", "reduced", "reduction_basis"} <= set(schema["ItemOut"]["properties"])
    assert {"fee_headline", "fees"} <= set(schema["ProcedureDetailOut"]["properties"])
    assert {"when", "is_default", "reduced_until", "local"} <= set(schema["FeeOut"]["properties"])


def test_officer_page_offers_the_alternatives_and_records_the_reason(use_schedule, received_dossier, specialist_a,
                                                                     client):
    from django.urls import reverse

    use_schedule("chung-thuc-hop-dong")
    client.force_login(specialist_a)
    page = client.get(reverse("dossiers:officer_detail", args=[received_dossier.code])).content.decode()
    assert "Mặc định thu theo biểu phí của thủ tục (Phí chứng thực hợp đồng, giao dịch: 50.000 đ), tổng 50.000 đ." in page
    assert "Phí sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực: 25.000 đ" in page
    url = reverse("dossiers:officer_act", args=[received_dossier.code, "request_fees"])
    client.post(url, {"request_fees-lines": ["1"]})
    assert not PaymentRequest.objects.exists()
    client.post(url, {"request_fees-lines": ["1"], "request_fees-reason": "Hủy bỏ hợp đồng đã chứng thực"})
    request = PaymentRequest.objects.get(dossier=received_dossier)
    assert request.amount_due == 30_000
    assert "Hủy bỏ hợp đồng đã chứng thực" in request.change_reason
