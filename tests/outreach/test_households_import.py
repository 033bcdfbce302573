"""CSV import of households: row-level errors, duplicates in the file and against the database,
all or nothing, and a second import of the same file changing nothing. Editing by the team."""

import pytest

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import AuditEvent
from motcua.outreach.models import Household, HouseholdMember
from motcua.outreach.services.household_import import household_import_csv
from motcua.outreach.services.households import household_member_add, household_member_remove, household_update
from tests.outreach import helpers

area = helpers.area

pytestmark = pytest.mark.django_db

HEADER = "Ấp, khóm;Họ tên chủ hộ;Số định danh chủ hộ;Địa chỉ;Số điện thoại;Số nhân khẩu;Hộ kinh doanh;Thành viên\n"
GOOD = (
    HEADER
    + 'Khóm 1;Phạm Văn Tài;096085000101;1 Nguyễn Tất Thành;0911111111;3;;"Phạm Thị Lan||Vợ|; Phạm Văn An||Con|"\n'
    + "Khóm 2;Võ Thị Mai;;7 Trần Hưng Đạo;;1;x;\n"
)


def test_a_good_file_is_imported_with_members_and_a_second_import_changes_nothing(area):
    report = household_import_csv(actor=area.leader_a, unit=area.commune_a, content=GOOD.encode("utf-8-sig"))
    assert (report.created, report.errors) == (2, [])
    tai = Household.objects.get(head_personal_id="096085000101")
    assert tai.hamlet == area.hamlet_a1 and tai.member_count == 3 and tai.phone == "0911111111"
    assert list(tai.members.values_list("full_name", "is_head")) == [
        ("Phạm Văn Tài", True),
        ("Phạm Thị Lan", False),
        ("Phạm Văn An", False),
    ]
    assert Household.objects.get(head_name="Võ Thị Mai").is_business
    again = household_import_csv(actor=area.leader_a, unit=area.commune_a, content=GOOD.encode())
    assert again.created == 0 and [r.row for r in again.existing] == [2, 3]
    assert Household.objects.filter(unit=area.commune_a).count() == 4
    assert AuditEvent.objects.filter(action="outreach.households_imported").count() == 2


def test_bad_rows_and_duplicates_refuse_the_whole_file(area):
    content = (
        HEADER
        + "Khóm 1;Phạm Văn Tài;096085000101;1 Nguyễn Tất Thành;;;;\n"  # fine on its own
        + "Khóm 9;Ai Đó;;3 Đường Số 3;;;;\n"  # unknown hamlet
        + "Khóm 1;;;4 Đường Số 4;;;;\n"  # no head name
        + "Khóm 1;Sai Số;12345;5 Đường Số 5;0123;abc;;\n"  # bad ID, phone, size
        + "Khóm 2;Pham Van Tai;;1 nguyen tat thanh;;;;\n"  # same folded name and address as row 2
        + "Khóm 2;Người Khác;096085000101;9 Đường Khác;;;;\n"  # same head ID as row 2
        + "Khóm 2;Ấp Mũi Trùng;;;;;;\n"  # no address
    )
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.leader_a, unit=area.commune_a, content=content.encode())
    assert caught.value.code == "import_rows_invalid"
    errors = caught.value.details["errors"]
    by_row = {}
    for e in errors:
        by_row.setdefault(e["row"], set()).add(e["field"])
    assert by_row == {
        3: {"hamlet"},
        4: {"head_name"},
        5: {"head_personal_id", "phone", "member_count"},
        6: {"head_name"},
        7: {"head_name"},
        8: {"address"},
    }
    assert "dòng 2" in next(e["message"] for e in errors if e["row"] == 6)
    assert Household.objects.filter(unit=area.commune_a).count() == 2  # the fixtures' only
    assert not HouseholdMember.objects.filter(full_name="Phạm Văn Tài").exists()


def test_duplicates_against_the_database(area):
    # Same folded name and address as a household already stored in the area: skipped, not doubled.
    same = HEADER + "Khóm 1;NGUYEN VAN BINH;;12 Ly Thuong Kiet, Khom 1;;;;\n"
    report = household_import_csv(actor=area.leader_a, unit=area.commune_a, content=same.encode())
    assert report.created == 0 and report.existing[0].row == 2
    # A head already managed in another commune: an error, and nothing about it is disclosed.
    helpers.make_household(area.hamlet_b, "Đỗ Văn Xa", personal_id="096085000555")
    other = HEADER + "Khóm 1;Đỗ Văn Xa;096085000555;Chỗ khác;;;;\nKhóm 1;Hộ Mới;;Nhà mới;;;;\n"
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.leader_a, unit=area.commune_a, content=other.encode())
    assert [e["row"] for e in caught.value.details["errors"]] == [2]
    assert not Household.objects.filter(head_name="Hộ Mới").exists()


def test_file_level_problems(area):
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.leader_a, unit=area.commune_a, content="Tên;Tuổi\nA;1\n".encode())
    assert caught.value.code == "import_missing_columns"
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.leader_a, unit=area.commune_a, content="Ấp;x".encode("utf-16"))
    assert caught.value.code == "import_encoding"
    # A hamlet team imports only into its hamlet; another commune's leader cannot import here.
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.member_h2, unit=area.commune_a, content=GOOD.encode())
    assert [e["row"] for e in caught.value.details["errors"]] == [2]
    with pytest.raises(NotFound):
        household_import_csv(actor=area.member_b, unit=area.commune_a, content=GOOD.encode())


def test_the_covering_team_edits_a_household_and_its_members(area):
    household = household_update(
        actor=area.member_h2,
        household_id=area.household_a2.pk,
        head_name="Trần Thị Cúc",
        address="6 Phan Ngọc Hiển, Khóm 2",
        phone="+84 912 000 111",
        member_count=2,
        is_business=True,
    )
    assert household.phone == "0912000111" and household.identity_folded == "tran thi cuc|6 phan ngoc hien khom 2"
    member = household_member_add(
        actor=area.member_h2, household_id=household.pk, full_name="Trần Văn Tí", relation="Con"
    )
    with pytest.raises(DomainError):
        household_member_remove(
            actor=area.member_h2, household_id=household.pk, member_id=household.members.get(is_head=True).pk
        )
    household_member_remove(actor=area.member_h2, household_id=household.pk, member_id=member.pk)
    with pytest.raises(NotFound):
        household_update(actor=area.member_h2, household_id=area.household_a1.pk, head_name="X", address="Y")
    with pytest.raises(DomainError) as caught:
        household_update(actor=area.member_a, household_id=area.household_a1.pk, head_name="", address="Y", phone="123")
    assert set(caught.value.details["fields"]) == {"head_name", "phone"}


def test_the_import_page_shows_row_errors(area, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(area.leader_a)
    bad = SimpleUploadedFile("ho.csv", (HEADER + "Khóm 9;A;;B;;;;\n").encode(), content_type="text/csv")
    page = client.post("/cong-nghe-so/ho/nhap/", {"unit": area.commune_a.pk, "file": bad})
    assert page.status_code == 200
    assert "Ấp, khóm không có trong địa bàn" in page.content.decode()
    good = SimpleUploadedFile("ho.csv", GOOD.encode(), content_type="text/csv")
    page = client.post("/cong-nghe-so/ho/nhap/", {"unit": area.commune_a.pk, "file": good})
    assert "Đã nhập 2 hộ" in page.content.decode()


@pytest.mark.parametrize("size", ["²", "٣", "0", "100", "9" * 30])
def test_a_household_size_that_is_not_1_to_99_is_a_row_error(area, size):
    content = HEADER + f"Khóm 1;Phạm Văn Tài;096085000101;1 Nguyễn Tất Thành;;{size};;\n"
    with pytest.raises(DomainError) as caught:
        household_import_csv(actor=area.leader_a, unit=area.commune_a, content=content.encode())
    assert [(e["row"], e["field"]) for e in caught.value.details["errors"]] == [(2, "member_count")]


def test_a_household_size_of_99_is_taken(area):
    content = HEADER + "Khóm 1;Phạm Văn Tài;096085000101;1 Nguyễn Tất Thành;;99;;\n"
    household_import_csv(actor=area.leader_a, unit=area.commune_a, content=content.encode())
    assert Household.objects.get(head_personal_id="096085000101").member_count == 99
