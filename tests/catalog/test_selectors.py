"""Catalog reads: only active procedures are public."""

import pytest

from motcua.catalog import selectors
from motcua.core.errors import NotFound
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_procedure_get_and_detail_hide_withdrawn_procedures(django_assert_num_queries):
    active = ProcedureFactory()
    withdrawn = ProcedureFactory(is_active=False)
    assert selectors.procedure_get(active.code) == active
    with pytest.raises(NotFound) as err:
        selectors.procedure_get(withdrawn.code)
    assert err.value.code == "procedure_not_found" and withdrawn.code in err.value.message
    with django_assert_num_queries(3):
        detail = selectors.procedure_detail(active.code)
        list(detail.documents.all()), list(detail.fees.all()), detail.field.name
    assert selectors.procedure_get_public(code=withdrawn.code) is None
    assert selectors.procedure_get_public(code=active.code) == active


def test_field_reads():
    field = FieldFactory(slug="dat-dai", name="Đất đai")
    b = ProcedureFactory(field=field, name="B thủ tục", level="province")
    a = ProcedureFactory(field=field, name="A thủ tục")
    ProcedureFactory(field=field, is_active=False)
    assert selectors.field_get_public(slug="dat-dai") == field
    assert selectors.field_get_public(slug="khong-co") is None
    assert selectors.procedure_list_public(field=field) == [a, b]
    assert selectors.procedure_list_public(field=field, level="province") == [b]
    assert [(f.slug, f.procedure_count) for f in selectors.field_list_with_counts()] == [("dat-dai", 2)]
