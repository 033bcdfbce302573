"""Procedure search: accents, typos, everyday words, filters, freshness, and an evaluation."""

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.search import catalog_version, search_procedures
from motcua.catalog.search_query import normalize_token, osa_distance
from motcua.core.errors import DomainError
from motcua.core.text import fold
from tests.catalog.conftest import read_eval, read_tsv
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def keys(query: str, **kwargs) -> list[str]:
    return [hit.procedure.key for hit in search_procedures(query, **kwargs)]


def test_exact_name_without_accents_comes_first(tsv_catalog):
    assert keys("dang ky khai sinh")[0] == "khai-sinh"
    assert keys("Đăng ký khai sinh")[0] == "khai-sinh"


def test_everyday_question_finds_birth_registration(tsv_catalog):
    assert "khai-sinh" in keys("lam giay khai sinh cho con")[:2]


def test_so_do_finds_the_land_certificate_procedures_first(tsv_catalog):
    found = search_procedures("so do", limit=3)
    assert {h.procedure.key for h in found[:2]} == {"so-do-lan-dau", "cap-doi-so-do"}
    assert {h.procedure.field.slug for h in found} == {"dat-dai"}


def test_typos_are_forgiven(tsv_catalog):
    assert keys("dang ki khai sihn")[0] == "khai-sinh"
    assert keys("dang ky kahi sinh")[0] == "khai-sinh"
    # Syllables run together, as typed on a phone.
    assert keys("dangky khaisinh")[0] == "khai-sinh"


def test_marriage(tsv_catalog):
    assert keys("ket hon")[0] == "ket-hon"
    assert keys("hon thu")[0] == "ket-hon"


def test_card_procedures_for_can_cuoc_and_its_old_names(tsv_catalog):
    cards = {"cap-can-cuoc", "doi-can-cuoc", "cap-lai-can-cuoc"}
    for query in ["căn cước", "cccd", "the can cuoc"]:
        assert set(keys(query)[:3]) == cards, query
    assert keys("lam lai cmnd")[0] == "cap-lai-can-cuoc"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bang lai", {"doi-gplx", "cap-lai-gplx"}),
        ("gplx", {"doi-gplx", "cap-lai-gplx"}),
        ("nhap ho khau", {"thuong-tru"}),
        ("giay chung tu", {"khai-tu"}),
        ("ly lich tu phap", {"ly-lich-tu-phap"}),
        ("giay doc than", {"xac-nhan-hon-nhan"}),
    ],
)
def test_everyday_words(tsv_catalog, query, expected):
    assert set(keys(query)[: len(expected)]) == expected


def test_stop_word_con_still_counts_inside_a_name(tsv_catalog):
    # "con" is noise in "cho con" but part of "nhận cha, mẹ, con".
    assert keys("nhan cha me con")[0] == "nhan-cha-me-con"
    assert keys("dang ky nhan cha, me, con")[0] == "nhan-cha-me-con"


def test_pair_beats_single_syllable(tsv_catalog):
    # "Cấp giấy phép khai thác thủy sản" has "khai" but not the pair "khai sinh": every name with
    # the pair comes before every name without it.
    has_pair = [fold("khai sinh") in fold(h.procedure.name) for h in search_procedures("khai sinh", limit=100)]
    assert has_pair[0] and has_pair == sorted(has_pair, reverse=True)


def test_filters_narrow(tsv_catalog):
    everything = search_procedures("cap", limit=100)
    province = search_procedures("cap", level="province", limit=100)
    assert 0 < province.total < everything.total
    assert {h.procedure.level for h in province} == {"province"}
    land = search_procedures("", field="dat-dai", limit=100)
    assert {h.procedure.key for h in land} == {"so-do-lan-dau", "bien-dong-dat", "cap-doi-so-do"}
    both = search_procedures("", field="dat-dai", level="commune")
    assert [h.procedure.key for h in both] == ["so-do-lan-dau"]


def test_empty_query_lists_all_in_catalog_order_with_pages(tsv_catalog):
    rows = read_tsv()
    first = search_procedures("", limit=10)
    assert first.total == len(rows)
    assert first[0].procedure.key == "khai-sinh" or first[0].procedure.field.order == 0
    assert all(h.score == 0 for h in first)
    fields = [h.procedure.field.order for h in search_procedures("   ", limit=100)]
    assert fields == sorted(fields)
    second = search_procedures("", limit=10, offset=10)
    assert second.total == len(rows)
    assert not {h.procedure.pk for h in first} & {h.procedure.pk for h in second}


def test_no_match_is_empty(tsv_catalog):
    result = search_procedures("xyzw qqqq")
    assert list(result) == [] and result.total == 0


def test_invalid_level_and_unknown_field_are_domain_errors(tsv_catalog):
    with pytest.raises(DomainError) as err:
        search_procedures("khai sinh", level="district")
    assert err.value.code == "invalid_level" and err.value.status == 422
    with pytest.raises(DomainError) as err:
        search_procedures("khai sinh", field="khong-co")
    assert err.value.code == "invalid_field"


def test_index_notices_new_renamed_and_withdrawn_procedures(tsv_catalog):
    assert "nuoi-ca-sau" not in keys("nuôi cá sấu")
    field = FieldFactory(slug="thuy-san", name="Thủy sản")
    new = ProcedureFactory(key="nuoi-ca-sau", name="Cấp giấy phép nuôi cá sấu", field=field, level="province")
    assert keys("nuôi cá sấu")[0] == "nuoi-ca-sau"

    new.name = "Cấp giấy chứng nhận cơ sở nuôi chim yến"
    new.save()
    assert "nuoi-ca-sau" not in keys("cá sấu")
    assert keys("nuoi chim yen")[0] == "nuoi-ca-sau"

    new.is_active = False
    new.save()
    assert "nuoi-ca-sau" not in keys("nuoi chim yen")


def test_documents_are_searchable(tsv_catalog):
    procedure = tsv_catalog["giay-phep-xay-dung"]
    RequiredDocument.objects.create(procedure=procedure, name="Bản vẽ thiết kế kiến trúc mặt bằng móng")
    assert keys("ban ve thiet ke")[0] == "giay-phep-xay-dung"


def test_catalog_version_moves_with_every_kind_of_change(tsv_catalog):
    before = catalog_version()
    procedure = tsv_catalog["khai-sinh"]
    procedure.keywords = "giấy khai sinh"
    procedure.save()
    after_save = catalog_version()
    assert after_save != before
    RequiredDocument.objects.create(procedure=procedure, name="Giấy chứng sinh")
    after_document = catalog_version()
    assert after_document != after_save
    # A bulk change that skips save() still moves the active count.
    Procedure.objects.filter(pk=procedure.pk).update(is_active=False)
    assert catalog_version() != after_document


def test_version_is_checked_at_most_every_few_seconds(tsv_catalog, settings, django_assert_num_queries):
    search_procedures("khai sinh")
    settings.CATALOG_SEARCH_CHECK_SECONDS = 3600
    search_procedures("khai sinh")  # refreshes the check time
    with django_assert_num_queries(1):  # the page of results only
        search_procedures("ket hon")
    settings.CATALOG_SEARCH_CHECK_SECONDS = 0
    with django_assert_num_queries(1):  # the version; the page's rows were read for this version already
        search_procedures("ket hon")
    # A change of the catalog is a new version: the rows kept with the old one are not used.
    marriage = tsv_catalog["ket-hon"]
    assert marriage.pk in [hit.procedure.pk for hit in search_procedures("ket hon")]
    Procedure.objects.filter(pk=marriage.pk).update(is_active=False)
    assert marriage.pk not in [hit.procedure.pk for hit in search_procedures("ket hon")]


def test_spelling_helpers():
    assert osa_distance("sihn", "sinh", 1) == 1
    assert osa_distance("khai", "kahi", 1) == 1
    assert osa_distance("thuong", "truong", 1) == 1
    assert osa_distance("abcdef", "ghijkl", 2) == 3
    assert normalize_token("ky") == "ki"
    assert normalize_token("tay") == "tay"  # "ay" is its own vowel
    assert normalize_token("quy") == "quy"


def test_evaluation_on_everyday_questions(tsv_catalog):
    """Hit rates on the assistant sample's procedure questions (names only, no keywords yet)."""
    rows = read_eval("procedure")
    top1 = top3 = 0
    for row in rows:
        found = keys(row["q"], limit=3)
        top1 += bool(found) and found[0] == row["expect"]
        top3 += row["expect"] in found
    rate1, rate3 = top1 / len(rows), top3 / len(rows)
    print(f"\nsearch eval: n={len(rows)} top-1={rate1:.1%} top-3={rate3:.1%}")
    # Measured 30/39 (76.9%) and 38/39 (97.4%); the floor leaves room for small tuning changes.
    assert rate1 >= 0.70
    assert rate3 >= 0.90


@pytest.fixture
def shipped_catalog(db):
    call_command("load_catalog", verbosity=0)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("dang ky khai sinh", {"khai-sinh"}),
        ("dang ki khai sihn", {"khai-sinh"}),
        ("ket hon", {"ket-hon"}),
        ("so do", {"so-do-lan-dau", "cap-doi-so-do"}),
        ("căn cước", {"cap-can-cuoc", "doi-can-cuoc", "cap-lai-can-cuoc"}),
    ],
)
def test_required_cases_on_the_shipped_catalog(shipped_catalog, query, expected_first):
    assert keys(query)[0] in expected_first
    assert "khai-sinh" in keys("lam giay khai sinh cho con")[:2]


def test_evaluation_on_the_shipped_catalog(shipped_catalog):
    """The same questions over the shipped catalog, with its keywords and documents."""
    rows = read_eval("procedure")
    top1 = top3 = 0
    for row in rows:
        found = keys(row["q"], limit=3)
        top1 += bool(found) and found[0] == row["expect"]
        top3 += row["expect"] in found
    rate1, rate3 = top1 / len(rows), top3 / len(rows)
    print(f"\nsearch eval, shipped catalog: n={len(rows)} top-1={rate1:.1%} top-3={rate3:.1%}")
    # Measured 29/39 (74.4%) and 38/39 (97.4%).
    assert rate1 >= 0.65
    assert rate3 >= 0.90
