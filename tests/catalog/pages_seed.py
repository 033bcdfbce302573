"""A small real-looking public catalog for page, QR, poster and browser tests."""

import datetime
from dataclasses import dataclass

from motcua.catalog.models import AgencyLevel, OnlineLevel, Procedure
from motcua.core.models import AgencyKind
from tests.factories import FeeItemFactory, FieldFactory, ProcedureFactory, RequiredDocumentFactory


@dataclass
class PublicCatalog:
    birth: Procedure
    marriage: Procedure
    id_card: Procedure


def seed_public_catalog() -> PublicCatalog:
    civil = FieldFactory(slug="ho-tich", name="Hộ tịch", order=1)
    identity = FieldFactory(slug="can-cuoc", name="Căn cước", order=2)

    birth = ProcedureFactory(
        code="1.001193",
        key="khai-sinh",
        name="Đăng ký khai sinh",
        field=civil,
        level=AgencyLevel.COMMUNE,
        agency_kind=AgencyKind.COMMUNE_COMMITTEE,
        agency_note="Ủy ban nhân dân cấp xã nơi cư trú của người cha hoặc người mẹ",
        time_limit_days=0,
        on_the_spot=True,
        time_limit_text="Ngay trong ngày; hồ sơ nhận sau 15 giờ được trả trong ngày làm việc tiếp theo",
        online_level=OnlineLevel.FULL,
        result_type="Giấy khai sinh (bản chính)",
        applicants="Cha, mẹ, ông, bà hoặc người thân thích khác của trẻ",
        keywords="làm giấy khai sinh, khai sinh cho con",
        steps=[
            "Nộp hồ sơ tại bộ phận một cửa hoặc trên Cổng dịch vụ công",
            {"title": "Kiểm tra", "description": "Công chức tư pháp – hộ tịch kiểm tra hồ sơ"},
            "Nhận Giấy khai sinh",
        ],
        legal_basis=[
            "Luật Hộ tịch số 60/2014/QH13",
            {"code": "Nghị định 123/2015/NĐ-CP", "title": "Quy định chi tiết một số điều của Luật Hộ tịch"},
        ],
        valid_from=datetime.date(2025, 7, 1),
    )
    RequiredDocumentFactory(
        procedure=birth,
        order=1,
        name="Tờ khai đăng ký khai sinh",
        form_name="Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
    )
    RequiredDocumentFactory(procedure=birth, order=2, name="Giấy chứng sinh", reusable_digitised=True)
    RequiredDocumentFactory(
        procedure=birth,
        order=3,
        name="Văn bản ủy quyền",
        originals=0,
        copies=1,
        is_required=False,
        condition="Trường hợp ủy quyền cho người khác đi đăng ký",
    )
    FeeItemFactory(
        procedure=birth,
        order=1,
        name="Lệ phí đăng ký khai sinh",
        amount=0,
        exemption="Miễn lệ phí khi đăng ký đúng hạn",
    )
    FeeItemFactory(procedure=birth, order=2, name="Cấp bản sao trích lục khai sinh", amount=8000)

    marriage = ProcedureFactory(
        code="1.000894",
        key="ket-hon",
        name="Đăng ký kết hôn",
        field=civil,
        level=AgencyLevel.COMMUNE,
        time_limit_days=0,
        on_the_spot=True,
        online_level=OnlineLevel.PARTIAL,
        result_type="Giấy chứng nhận kết hôn",
        applicants="Nam, nữ đủ điều kiện kết hôn",
    )
    RequiredDocumentFactory(procedure=marriage, name="Tờ khai đăng ký kết hôn")

    id_card = ProcedureFactory(
        code="2.001622",
        key="doi-can-cuoc",
        name="Cấp đổi thẻ căn cước",
        field=identity,
        level=AgencyLevel.PROVINCE,
        agency_kind=AgencyKind.PROVINCE_POLICE,
        time_limit_days=7,
        online_level=OnlineLevel.PARTIAL,
        result_type="Thẻ căn cước",
        applicants="Công dân Việt Nam từ đủ 14 tuổi",
        check_notes="Đối chiếu mức lệ phí với thông tư hiện hành",
    )
    RequiredDocumentFactory(procedure=id_card, name="Thẻ căn cước cũ", originals=1)
    FeeItemFactory(procedure=id_card, name="Lệ phí cấp đổi thẻ căn cước", amount=50000)
    return PublicCatalog(birth=birth, marriage=marriage, id_card=id_card)
