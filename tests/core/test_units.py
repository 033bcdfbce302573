import io
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.errors import DomainError
from motcua.core.models import Agency, AgencyKind, AuditEvent, Counter, Era, Hamlet, HamletKind, OneStopOffice, Unit
from motcua.core.scope import units_in_scope
from motcua.core.selectors.units import unit_get, unit_list
from motcua.core.services.agencies import agencies_setup_province, agency_code, agency_create
from motcua.core.services.units import hamlet_import, unit_load_province


def _snapshot():
    units = sorted(Unit.objects.values_list("pk", "era", "code", "name", "name_folded", "kind", "parent_id"))
    links = sorted(Unit.legacy_sources.through.objects.values_list("from_unit_id", "to_unit_id"))
    return units, links


@pytest.fixture
def ca_mau(db):
    return unit_load_province(code=96).province


@pytest.mark.django_db
def test_ca_mau_has_its_64_communes_and_wards_linked_to_old_bac_lieu_and_ca_mau_units():
    result = unit_load_province(code=96)

    province = result.province
    assert (province.era, province.code, province.name, province.kind) == ("2025", "96", "Tỉnh Cà Mau", "province")
    communes = Unit.objects.filter(parent=province)
    assert communes.count() == 64
    assert communes.filter(kind="commune").count() == 55
    assert communes.filter(kind="ward").count() == 9
    assert {u.code for u in province.legacy_sources.all()} == {"95", "96"}
    assert all(u.era == Era.LEGACY for u in province.legacy_sources.all())
    # Every current commune came from at least one legacy ward.
    assert not communes.filter(legacy_sources__isnull=True).exists()

    bac_lieu_ward = Unit.objects.get(era=Era.CURRENT, code="31825")
    assert bac_lieu_ward.name == "Phường Bạc Liêu"
    sources = list(bac_lieu_ward.legacy_sources.select_related("parent__parent").order_by("code"))
    assert [s.name for s in sources] == ["Phường 2", "Phường 3", "Phường 7", "Phường 1", "Phường 8"]
    assert {s.parent.name for s in sources} == {"Thành phố Bạc Liêu"}
    assert {(s.parent.kind, s.parent.parent.era, s.parent.parent.name) for s in sources} == {
        ("legacy_district", "legacy", "Tỉnh Bạc Liêu")
    }

    an_xuyen = Unit.objects.get(era=Era.CURRENT, code="32002")
    assert {s.parent.parent.code for s in an_xuyen.legacy_sources.select_related("parent__parent")} == {"96"}
    assert Unit.objects.filter(era=Era.LEGACY, parent__code="96", parent__era=Era.LEGACY).count() == 9
    assert Unit.objects.filter(era=Era.LEGACY, parent__code="95", parent__era=Era.LEGACY).count() == 7
    assert Unit.objects.filter(era=Era.LEGACY, kind="legacy_township").exists()
    # Codes were reused in 2025: the old and new 31825 are two rows told apart by era.
    assert Unit.objects.filter(code="31825").count() == 2


@pytest.mark.django_db
def test_loading_twice_leaves_the_same_rows():
    unit_load_province(code=96)
    before = _snapshot()

    again = unit_load_province(code="96")

    assert not again.changed
    assert _snapshot() == before
    assert AuditEvent.objects.filter(action="units.load_province").count() == 1


@pytest.mark.django_db
def test_reload_repairs_edited_names_and_stale_links(ca_mau):
    ward = Unit.objects.get(era=Era.CURRENT, code="32002")
    ward.name = "Phường Sai Tên"
    ward.save()
    stray = Unit.objects.get(era=Era.LEGACY, code="31825")
    ward.legacy_sources.add(stray)

    result = unit_load_province(code=96)

    ward.refresh_from_db()
    assert ward.name == "Phường An Xuyên"
    assert ward.name_folded == "phuong an xuyen"
    assert stray not in ward.legacy_sources.all()
    assert (result.updated, result.links_removed) == (1, 1)


@pytest.mark.django_db
def test_unknown_province_is_refused_and_nothing_is_written():
    with pytest.raises(DomainError) as error:
        unit_load_province(code=99)
    assert error.value.code == "unknown_province"
    with pytest.raises(DomainError):
        unit_load_province(code="abc")
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_load_units_command_loads_the_configured_province():
    out = io.StringIO()
    call_command("load_units", stdout=out)
    assert "Tỉnh Cà Mau (96): 64" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_units", "--province", "99", stdout=io.StringIO())


@pytest.mark.django_db
def test_units_in_scope_follows_the_tree_of_the_units_own_era(ca_mau):
    scope = units_in_scope(ca_mau)
    assert scope.count() == 65
    assert not scope.filter(era=Era.LEGACY).exists()

    old_ca_mau = unit_get(code="96", era=Era.LEGACY)
    legacy_scope = units_in_scope(old_ca_mau)
    assert legacy_scope.filter(kind="legacy_district").count() == 9
    assert legacy_scope.count() == 1 + 9 + 100

    commune = unit_get(code="32248")
    assert list(units_in_scope(commune)) == [commune]
    # Usable as a subquery by access selectors.
    assert Unit.objects.filter(pk__in=units_in_scope(ca_mau).values("pk")).count() == 65


@pytest.mark.django_db
def test_unit_list_gives_provinces_or_children(ca_mau):
    assert [u.code for u in unit_list()] == ["96"]
    assert [u.code for u in unit_list(era=Era.LEGACY)] == ["95", "96"]
    assert len(unit_list(parent_code="96")) == 64
    with pytest.raises(DomainError) as error:
        unit_list(parent_code="00000")
    assert error.value.code == "unit_not_found"


# --- Hamlets ---------------------------------------------------------------------------------

GOOD_CSV = """unit_code,kind,name,code
32248,ấp,Ấp Mũi,32248-01
32248,ap,Ấp Khai Long,32248-02
32002,khóm,Khóm 1,32002-01
32002,,Khóm 2,
"""


@pytest.mark.django_db
def test_hamlet_csv_import_creates_rows_and_is_idempotent(ca_mau):
    first = hamlet_import(source=GOOD_CSV)
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    hamlets = {h.name: h for h in Hamlet.objects.select_related("unit")}
    assert hamlets["Ấp Mũi"].unit.code == "32248"
    assert hamlets["Khóm 2"].kind == HamletKind.KHOM
    assert hamlets["Ấp Khai Long"].code == "32248-02"
    assert not any(h.is_demo for h in hamlets.values())

    second = hamlet_import(source=io.StringIO(GOOD_CSV))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert Hamlet.objects.count() == 4

    changed = hamlet_import(source=GOOD_CSV.replace("32248-02", "32248-09"))
    assert (changed.created, changed.updated) == (0, 1)
    assert Hamlet.objects.get(name="Ấp Khai Long").code == "32248-09"


@pytest.mark.django_db
def test_hamlet_csv_without_header_and_with_decomposed_text(ca_mau):
    # Some spreadsheets save Vietnamese decomposed (NFD); names are stored composed.
    text = f"32248,,{unicodedata.normalize('NFD', 'Ấp Tân Lợi')},\n32002,,Khóm 5,\n"
    result = hamlet_import(source=text)
    assert result.created == 2
    assert Hamlet.objects.filter(name="Ấp Tân Lợi", kind=HamletKind.AP, unit__code="32248").exists()
    assert Hamlet.objects.filter(name="Khóm 5", kind=HamletKind.KHOM, unit__code="32002").exists()


@pytest.mark.django_db
def test_hamlet_csv_bad_rows_are_reported_and_nothing_is_written(ca_mau):
    bad = """unit_code,kind,name,code
32248,ấp,Ấp Mũi,
99999,ấp,Ấp Không Có,
32248,làng,Làng Lạ,
32002,khóm,,
96,ấp,Ấp Cấp Tỉnh,
32248,ấp,Ấp Mũi,
"""
    with pytest.raises(DomainError) as error:
        hamlet_import(source=bad)

    assert error.value.code == "hamlet_import_invalid"
    problems = {(d["row"], d["column"]) for d in error.value.details}
    assert problems == {(3, "unit_code"), (4, "kind"), (5, "name"), (6, "unit_code"), (7, "name")}
    assert not Hamlet.objects.exists()


@pytest.mark.django_db
def test_import_hamlets_command_prints_row_errors(ca_mau, tmp_path):
    path = tmp_path / "ap.csv"
    path.write_text("unit_code,kind,name,code\n00001,ấp,Ấp Xa,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_hamlets", str(path), stdout=io.StringIO(), stderr=err)
    assert "Dòng 2 [unit_code]" in err.getvalue()

    path.write_text("\ufeff" + GOOD_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_hamlets", str(path), stdout=out)
    assert "thêm 4" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_hamlets", str(tmp_path / "missing.csv"), stdout=io.StringIO())


# --- Agencies --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_province_agencies_have_unique_deterministic_codes_offices_and_counters(ca_mau):
    result = agencies_setup_province(province=ca_mau)

    assert result.agencies_created == 11 + 2 * 64
    codes = list(Agency.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(c.endswith(".H12") and len(c) == 13 for c in codes)
    assert Agency.objects.get(code="000.00.00.H12").kind == AgencyKind.PROVINCE_COMMITTEE
    names = set(Agency.objects.filter(unit=ca_mau).values_list("name", flat=True))
    assert {
        "Ủy ban nhân dân tỉnh Cà Mau",
        "Trung tâm Phục vụ hành chính công tỉnh Cà Mau",
        "Sở Tư pháp tỉnh Cà Mau",
        "Sở Nông nghiệp và Môi trường tỉnh Cà Mau",
        "Sở Xây dựng tỉnh Cà Mau",
        "Sở Công Thương tỉnh Cà Mau",
        "Sở Y tế tỉnh Cà Mau",
        "Sở Nội vụ tỉnh Cà Mau",
        "Sở Tài chính tỉnh Cà Mau",
        "Sở Giáo dục và Đào tạo tỉnh Cà Mau",
        "Công an tỉnh Cà Mau",
    } == names
    committee = Agency.objects.get(code=agency_code(province_code=96, group=20, unit_code="32002"))
    assert committee.code == "002.32.20.H12"
    assert committee.name == "Ủy ban nhân dân phường An Xuyên"
    assert committee.parent.code == "000.00.00.H12"
    police = Agency.objects.get(code="002.32.21.H12")
    assert (police.kind, police.parent.kind) == (AgencyKind.COMMUNE_POLICE, AgencyKind.PROVINCE_POLICE)
    office = committee.offices.get()
    assert list(office.counters.values_list("number", flat=True)) == [1, 2, 3]
    assert not OneStopOffice.objects.filter(agency__code="000.00.00.H12").exists()

    counts = (Agency.objects.count(), OneStopOffice.objects.count(), Counter.objects.count())
    again = agencies_setup_province(province=ca_mau)
    assert (again.agencies_created, again.offices_created, again.counters_created) == (0, 0, 0)
    assert (Agency.objects.count(), OneStopOffice.objects.count(), Counter.objects.count()) == counts


@pytest.mark.django_db
def test_agency_create_checks_code_and_unit(ca_mau):
    agency = agency_create(code=" 000.00.30.h12 ", name="Ban Quản lý khu kinh tế", kind="other", unit=ca_mau)
    assert agency.code == "000.00.30.H12"
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk)).exists()
    for kwargs, code in [
        ({"code": "000.00.30.H12"}, "agency_code_taken"),
        ({"code": "không hợp lệ"}, "invalid_agency_code"),
        ({"code": "000.00.31.H12", "unit": unit_get(code="96", era=Era.LEGACY)}, "legacy_unit"),
        ({"code": "000.00.31.H12", "kind": "nope"}, "invalid_agency_kind"),
    ]:
        with pytest.raises(DomainError) as error:
            agency_create(**{"name": "Cơ quan", "kind": "other", "unit": ca_mau, **kwargs})
        assert error.value.code == code
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_admin_pages_for_units_hamlets_agencies_and_offices(admin_client, ca_mau):
    agencies_setup_province(province=ca_mau)
    hamlet_import(source=GOOD_CSV)
    office = OneStopOffice.objects.get(agency__code="002.32.20.H12")
    for url in (
        "/quan-tri/core/unit/?era=legacy",
        "/quan-tri/core/hamlet/",
        "/quan-tri/core/agency/?q=An+Xuy%C3%AAn",
        "/quan-tri/core/onestopoffice/",
        f"/quan-tri/core/onestopoffice/{office.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/quan-tri/core/unit/add/").status_code == 403

    agency = Agency.objects.get(code="002.32.20.H12")
    response = admin_client.post(
        f"/quan-tri/core/agency/{agency.pk}/change/",
        {"code": "không hợp lệ", "name": agency.name, "kind": agency.kind, "unit": agency.unit_id, "is_active": "on"},
    )
    assert response.status_code == 200
    assert Agency.objects.filter(code="002.32.20.H12").exists()
    response = admin_client.post(
        f"/quan-tri/core/agency/{agency.pk}/change/",
        {"code": "000.01.20.h12", "name": agency.name, "kind": agency.kind, "unit": agency.unit_id, "is_active": "on"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.code == "000.01.20.H12"
    assert AuditEvent.objects.filter(action="agency.update", object_id=str(agency.pk)).exists()
