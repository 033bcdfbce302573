"""Access by kind of role: a provincial department's officer sees the department's dossiers only;
province-unit roles see the whole province; commune officers see their commune's agencies."""

import pytest

from motcua.core.errors import NotFound
from motcua.core.models import AgencyKind, Role
from motcua.dossiers import selectors
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.selectors import stats as selectors_stats
from motcua.dossiers.services.workflow import dossier_act
from tests.factories import AgencyFactory, OfficerFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def justice(province):
    return AgencyFactory(unit=province, kind=AgencyKind.DEPARTMENT, name="Sở Tư pháp")


@pytest.fixture
def justice_specialist(justice):
    user = OfficerFactory(username="chuyenvien_stp")
    grant(user, Role.SPECIALIST, agency=justice)
    return user


@pytest.fixture
def province_manager(province):
    user = OfficerFactory(username="quanly_tinh")
    grant(user, Role.MANAGER, unit=province)
    return user


def _office_codes(user):
    return {d.code for d in selectors.dossier_queue(user, queue="office", limit=200)[0]}


def test_department_specialist_does_not_see_a_commune_dossier(justice_specialist, province_manager, received_dossier):
    with pytest.raises(NotFound):
        selectors.dossier_get_for(justice_specialist, received_dossier.code)
    assert not selectors.user_is_officer_for(justice_specialist, received_dossier)
    assert received_dossier.code not in _office_codes(justice_specialist)
    assert not selectors.dossiers_visible_to(justice_specialist).exists()
    # A role scoped to the province unit still covers every commune.
    assert selectors.dossier_get_for(province_manager, received_dossier.code) == received_dossier
    assert received_dossier.code in _office_codes(province_manager)


def test_department_specialist_sees_a_dossier_transferred_to_it(
    justice, justice_specialist, received_dossier, specialist_a, receptionist_a
):
    dossier = dossier_act(
        dossier=received_dossier, actor=specialist_a, action="transfer", agency=justice.pk, reason="Liên thông"
    )
    assert dossier.current_agency == justice
    assert selectors.dossier_get_for(justice_specialist, dossier.code) == dossier
    assert selectors.user_is_officer_for(justice_specialist, dossier)
    assert dossier.code in _office_codes(justice_specialist)
    # The receiving commune keeps sight of its dossier.
    assert selectors.dossier_get_for(receptionist_a, dossier.code) == dossier


def test_department_statistics_and_offices_are_its_own(justice, justice_specialist, agency_a):
    assert list(selectors_stats.stats_agencies_for(justice_specialist)) == [justice]
    with pytest.raises(NotFound):
        selectors_stats.agency_get_for_stats(justice_specialist, agency_a.code)


def test_commune_officer_sees_other_agencies_of_the_commune(make_dossier, police_a, receptionist_a, agency_b):
    at_police = make_dossier(status=DossierStatus.PROCESSING, receiving_agency=police_a)
    elsewhere = make_dossier(status=DossierStatus.PROCESSING, receiving_agency=agency_b)
    assert selectors.dossier_get_for(receptionist_a, at_police.code) == at_police
    with pytest.raises(NotFound):
        selectors.dossier_get_for(receptionist_a, elsewhere.code)
