"""The digitisation measures, worked by hand: dossiers with digitised components and dossiers reusing
stored (digitised) documents, from the dossiers' documents."""

import datetime
from decimal import Decimal

from motcua.dossiers.models import DocumentKind, DossierDocument, DossierStatus
from motcua.serviceindex import selectors
from motcua.serviceindex.models import IndexDefinition, IndexGroup, IndexRollup, SubIndicator
from motcua.serviceindex.periods import Period
from motcua.serviceindex.services import dossier_cells_refresh, rollups_rebuild

from .conftest import at
from .test_rollups import _marks, _snapshot

MARCH = Period("month", datetime.date(2026, 3, 1), 1)


def _document(dossier, kind=DocumentKind.INPUT, *, digitised=False, reused_from=None):
    return DossierDocument.objects.create(
        dossier=dossier, kind=kind, name="Giấy tờ", is_digitised=digitised, reused_from=reused_from
    )


def _definition():
    d = IndexDefinition.objects.create(
        name="Số hóa", legal_basis="Văn bản thử", effective_from=datetime.date(2026, 1, 1)
    )
    g = IndexGroup.objects.create(definition=d, code="so_hoa", name="Số hóa", max_points=40)
    for order, (measure, target, points) in enumerate([("digitised_components", 80, 30), ("data_reuse", 50, 10)]):
        SubIndicator.objects.create(
            group=g, code=measure, name=measure, measure=measure, target_rate=Decimal(target), points=Decimal(points),
            order=order,
        )  # fmt: skip
    return d


def test_digitised_components_and_reuse_worked_by_hand(make_dossier, agency_a, manager_province):
    _definition()
    d1, d2, d3, d4 = (make_dossier(status=DossierStatus.PROCESSING, received_at=at("2026-03-02")) for _ in range(4))
    earlier = make_dossier(status=DossierStatus.PROCESSING, received_at=at("2026-02-02"))
    stored = _document(earlier, digitised=True)
    _document(d1, digitised=True)  # d1: an input digitised -> digitised
    _document(d2, DocumentKind.RESULT, digitised=True)  # d2: only a result and a form digitised,
    _document(d2, DocumentKind.FORM, digitised=True)  #     an input on paper -> not digitised
    _document(d2)
    _document(d3, DocumentKind.SUPPLEMENT, digitised=True)  # d3: a supplement digitised -> digitised,
    _document(d3, digitised=True, reused_from=stored)  #     and a stored paper reused -> reuse
    # d4: no documents.
    rollups_rebuild()
    # March, agency A, 4 received:
    #   digitised_components 2/4 = 50 % < 80 % -> 50/80 x 30 = 18.75
    #   data_reuse           1/4 = 25 % < 50 % -> 25/50 x 10 = 5        group = 23.75 / 40, total 23.75
    card = selectors.card_for(MARCH, {agency_a.pk})
    rows = {i.indicator.measure: i for i in card.indicators()}
    assert (rows["digitised_components"].numerator, rows["digitised_components"].denominator) == (2, 4)
    assert (rows["data_reuse"].numerator, rows["data_reuse"].denominator) == (1, 4)
    assert rows["digitised_components"].earned == Decimal("18.75") and rows["data_reuse"].earned == 5
    assert card.total == Decimal("23.75")
    # The records behind the figures.
    _kind, listed = selectors.drill_records(
        manager_province, measure="digitised_components", period=MARCH, side="tu-so"
    )
    assert set(listed) == {d1, d3}
    _kind, listed = selectors.drill_records(
        manager_province, measure="digitised_components", period=MARCH, side="chua-dat"
    )
    assert set(listed) == {d2, d4}
    _kind, listed = selectors.drill_records(manager_province, measure="data_reuse", period=MARCH, side="tu-so")
    assert list(listed) == [d3]

    # d4 reuses a stored paper too: its next event moves it into both numerators; cells equal a rebuild.
    _document(d4, digitised=True, reused_from=stored)
    assert dossier_cells_refresh(d4) == 2
    cells = {
        r.measure: (r.numerator, r.denominator)
        for r in IndexRollup.objects.filter(
            agency=agency_a, month="2026-03-01", measure__in=["digitised_components", "data_reuse"]
        )
    }
    assert cells == {"digitised_components": (3, 4), "data_reuse": (2, 4)}
    incremental, marks = _snapshot(), _marks()
    rollups_rebuild()
    assert (_snapshot(), _marks()) == (incremental, marks)
