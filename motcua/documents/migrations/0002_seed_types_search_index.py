"""Document types of Decree 30/2020/NĐ-CP Appendix III, and the PostgreSQL full-text indexes."""

from django.db import migrations

TYPES = [
    # code, name, legal normative, printed abbreviation, type printed in the code
    ("NQ", "Nghị quyết (cá biệt)", False, "", True),
    ("QĐ", "Quyết định (cá biệt)", False, "", True),
    ("NQ-QPPL", "Nghị quyết (quy phạm pháp luật)", True, "NQ", True),
    ("QĐ-QPPL", "Quyết định (quy phạm pháp luật)", True, "QĐ", True),
    ("CT", "Chỉ thị", False, "", True),
    ("QC", "Quy chế", False, "", True),
    ("QyĐ", "Quy định", False, "", True),
    ("TC", "Thông cáo", False, "", True),
    ("TB", "Thông báo", False, "", True),
    ("HD", "Hướng dẫn", False, "", True),
    ("CTr", "Chương trình", False, "", True),
    ("KH", "Kế hoạch", False, "", True),
    ("PA", "Phương án", False, "", True),
    ("ĐA", "Đề án", False, "", True),
    ("DA", "Dự án", False, "", True),
    ("BC", "Báo cáo", False, "", True),
    ("BB", "Biên bản", False, "", True),
    ("TTr", "Tờ trình", False, "", True),
    ("HĐ", "Hợp đồng", False, "", True),
    ("CĐ", "Công điện", False, "", True),
    ("BGN", "Bản ghi nhớ", False, "", True),
    ("BTT", "Bản thỏa thuận", False, "", True),
    ("GUQ", "Giấy ủy quyền", False, "", True),
    ("GM", "Giấy mời", False, "", True),
    ("GGT", "Giấy giới thiệu", False, "", True),
    ("GNP", "Giấy nghỉ phép", False, "", True),
    ("PG", "Phiếu gửi", False, "", True),
    ("PC", "Phiếu chuyển", False, "", True),
    ("PB", "Phiếu báo", False, "", True),
    ("CV", "Công văn", False, "", False),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, legal, abbreviation, in_code) in enumerate(TYPES):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_legal_normative": legal,
                "abbreviation": abbreviation,
                "in_code": in_code,
                "order": order,
            },
        )


def gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in (
        ("documents_incomingdocument", "incoming_search_gin"),
        ("documents_outgoingdocument", "outgoing_search_gin"),
    ):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('simple'::regconfig, COALESCE(search_folded, ''::text)))"
        )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS incoming_search_gin")
    schema_editor.execute("DROP INDEX IF EXISTS outgoing_search_gin")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(gin_indexes, drop_gin_indexes),
    ]
