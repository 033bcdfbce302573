"""The current definition of the index (Decision 766/QĐ-TTg of 23/6/2022), as data.

The six groups and their maxima (sum 100) are as the decision publishes them; the sub-indicators'
targets and points are our reading and every one is marked `needs_review` unless confirmed
(docs/service-index.md says which and where). Administrators edit them in the admin."""

import datetime
from decimal import Decimal

from django.db import migrations

SOURCE = "QĐ 766/QĐ-TTg, Phụ lục; cần đối chiếu văn bản gốc"
GROUPS = [
    ("cong_khai", "Công khai, minh bạch", 18, [
        ("published_complete", "Thủ tục hành chính được cập nhật, công khai đầy đủ", "published_complete", 100, 4,
         "Điểm 4/18 theo tóm tắt QĐ 766 (baocaotaichinh.vn); phép đo dùng 'đầy đủ' thay 'đúng hạn'"),
        ("synced", "Hồ sơ được đồng bộ, công khai tiến độ trên Cổng DVC quốc gia", "synced", 100, 14, SOURCE),
    ]),
    ("tien_do", "Tiến độ, kết quả giải quyết", 20, [
        ("on_time", "Hồ sơ giải quyết đúng hạn", "on_time", 100, 14, SOURCE),
        ("avg_time", "Thời gian giải quyết bình quân so với quy định", "avg_time", 100, 6, SOURCE),
    ]),
    ("truc_tuyen", "Cung cấp dịch vụ công trực tuyến", 12, [
        ("online_procedures", "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình", "online_procedures", 80, 6, SOURCE),
        ("online_submitted", "Hồ sơ nộp trực tuyến", "online_submitted", 50, 6, SOURCE),
    ]),
    ("thanh_toan", "Thanh toán trực tuyến", 10, [
        ("fee_payable_online", "Thủ tục có phí, lệ phí cho phép thanh toán trực tuyến", "fee_payable_online", 80, 5, SOURCE),
        ("paid_online", "Hồ sơ thanh toán phí, lệ phí trực tuyến", "paid_online", 30, 5, SOURCE),
    ]),
    ("hai_long", "Mức độ hài lòng", 18, [
        ("satisfaction", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính", "satisfaction", 90, 12, SOURCE),
        ("reports_on_time", "Phản ánh, kiến nghị được xử lý, trả lời đúng hạn", "reports_on_time", 100, 6, SOURCE),
    ]),
    ("so_hoa", "Số hóa hồ sơ, kết quả giải quyết", 22, [
        ("digitised_components", "Hồ sơ có thành phần được số hóa", "digitised_components", 80, 8, SOURCE),
        ("signed_results", "Kết quả giải quyết được cấp bản điện tử", "signed_results", 80, 8, SOURCE),
        ("data_reuse", "Dữ liệu số hóa được khai thác, sử dụng lại", "data_reuse", 50, 6, SOURCE),
    ]),
]  # fmt: skip


def forwards(apps, schema_editor):
    Definition = apps.get_model("serviceindex", "IndexDefinition")
    Group = apps.get_model("serviceindex", "IndexGroup")
    Indicator = apps.get_model("serviceindex", "SubIndicator")
    definition = Definition.objects.create(
        name="Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp",
        legal_basis="Quyết định 766/QĐ-TTg ngày 23/6/2022",
        effective_from=datetime.date(2022, 6, 23),
        notes="Sáu nhóm, tổng 100 điểm. Mục tiêu và điểm của chỉ số thành phần cần rà soát theo văn bản gốc.",
    )
    for g_order, (code, name, max_points, indicators) in enumerate(GROUPS, start=1):
        group = Group.objects.create(definition=definition, code=code, name=name, max_points=Decimal(max_points), order=g_order)
        for i_order, (i_code, i_name, measure, target, points, note) in enumerate(indicators, start=1):
            Indicator.objects.create(
                group=group, code=i_code, name=i_name, measure=measure, target_rate=Decimal(target),
                points=Decimal(points), needs_review=True, source_note=note, order=i_order,
            )


def backwards(apps, schema_editor):
    apps.get_model("serviceindex", "IndexDefinition").objects.filter(effective_from=datetime.date(2022, 6, 23)).delete()


class Migration(migrations.Migration):
    dependencies = [("serviceindex", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
