import pytest
from django.core.management import call_command

from motcua.fieldreports.models import FieldReport, MapCell, ReportEvent, ReportStatus
from motcua.fieldreports.services.mapcells import mapcells_rebuild
from motcua.fieldreports.services.submit import report_submit
from tests.fieldreports.conftest import POINT_A

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_covers_all_statuses_and_keeps_codes_unique(
    province, commune_a, commune_b, agency_a, agency_b, citizen, citizen2
):
    call_command("load_fieldreports_demo", seed=3, province="96", count=150)
    assert FieldReport.objects.count() == 150
    statuses = set(FieldReport.objects.values_list("status", flat=True))
    assert statuses >= {s.value for s in ReportStatus} - {ReportStatus.MERGED}
    assert ReportEvent.objects.filter(action="submit").count() == 150
    cells = sorted(MapCell.objects.values_list("level", "cell", "category_id", "is_open", "count"))
    call_command("load_fieldreports_demo", seed=3, province="96", count=150)
    assert FieldReport.objects.count() == 150
    mapcells_rebuild()
    assert sorted(MapCell.objects.values_list("level", "cell", "category_id", "is_open", "count")) == cells
    # A real submission after the demo gets a fresh code from the day's sequence.
    from motcua.fieldreports.models import ReportCategory

    report = report_submit(category=ReportCategory.objects.get(code="rac-thai"), description="x",
                           lat=POINT_A[0], lon=POINT_A[1], unit=commune_a, reporter=citizen)
    assert FieldReport.objects.filter(code=report.code).count() == 1
