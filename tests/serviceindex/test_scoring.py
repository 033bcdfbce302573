"""Scoring arithmetic and hand-worked scores of a small province (see conftest for the data)."""

import datetime
from decimal import Decimal

import pytest

from motcua.core.errors import DomainError
from motcua.serviceindex import selectors
from motcua.serviceindex.models import IndexDefinition, IndexRollup
from motcua.serviceindex.periods import Period, period_parse
from motcua.serviceindex.scoring import indicator_points
from motcua.serviceindex.services import definition_copy, rollups_rebuild

from .conftest import at, definition_make

MARCH = Period("month", datetime.date(2026, 3, 1), 1)
APRIL = Period("month", datetime.date(2026, 4, 1), 1)


def test_points_at_and_around_the_target():
    # Target 80%, 10 points: 80/100 is at the target -> full; 79/100 -> 79/80 x 10 = 9.875; 81 -> full.
    assert indicator_points(80, 100, Decimal(80), Decimal(10)) == 10
    assert indicator_points(79, 100, Decimal(80), Decimal(10)) == Decimal("9.875")
    assert indicator_points(81, 100, Decimal(80), Decimal(10)) == 10
    # Nothing counted: not applicable (excluded), not zero.
    assert indicator_points(0, 0, Decimal(80), Decimal(10)) is None
    assert indicator_points(0, 5, Decimal(80), Decimal(10)) == 0
    # A target of 0: any rate scores the full points.
    assert indicator_points(0, 5, Decimal(0), Decimal(10)) == 10


@pytest.mark.parametrize(
    ("text", "start", "months"),
    [("2026-03", datetime.date(2026, 3, 1), 1), ("2026-Q2", datetime.date(2026, 4, 1), 3),
     ("2026", datetime.date(2026, 1, 1), 12), ("2026-q4", datetime.date(2026, 10, 1), 3)],
)  # fmt: skip
def test_period_parse(text, start, months):
    period = period_parse(text)
    assert (period.start, period.months) == (start, months)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26", "abc", "1999"])
def test_period_parse_refuses(text):
    with pytest.raises(DomainError) as exc:
        period_parse(text)
    assert exc.value.code == "index_bad_period"


def test_hand_worked_scores(small_definition, march, agency_a, agency_b):
    rollups_rebuild()
    # Agency A, March 2026:
    #   on_time 3/4 = 75% < 100% -> 75/100 x 40 = 30
    #   online_submitted 1/4 = 25% < 50% -> 25/50 x 20 = 10            progress = 40 / 60
    #   synced 0/4 -> 0; not_counted unmeasured -> excluded, synced re-weighted to 30 x 40/30 = 40
    #                                                                  digitisation = 0 / 40
    #   other: nothing measurable -> group excluded
    #   total = (40 + 0) x 120 / (60 + 40) = 48
    card = selectors.card_for(MARCH, {agency_a.pk})
    groups = {g.group.code: g for g in card.groups}
    assert groups["tien_do"].score == Decimal(40)
    assert groups["so_hoa"].score == 0
    assert groups["khac"].score is None
    assert card.total == Decimal(48)
    synced = next(i for i in groups["so_hoa"].indicators if i.indicator.measure == "synced")
    assert (synced.weight, synced.earned, synced.lost) == (Decimal(40), 0, Decimal(40))
    # The costliest: synced loses 40, on_time 10, online_submitted 10.
    assert [i.indicator.measure for i in card.costliest()][:1] == ["synced"]
    assert {i.indicator.measure: i.lost for i in card.costliest()}["on_time"] == Decimal(10)

    # Agency B: online 2/2 = 100% -> 20 of 20; on_time 0/0 -> excluded, so 20 x 60/20 = 60;
    #   synced 0/2 -> 0 of 40; total = 60 x 120 / 100 = 72.
    assert selectors.card_for(MARCH, {agency_b.pk}).total == Decimal(72)

    # Province: online 3/6 = 50% (at the target) -> 20; on_time 3/4 -> 30; progress 50;
    #   synced 0/6 -> 0; total = 50 x 1.2 = 60.
    assert selectors.card_for(MARCH).total == Decimal(60)

    # Ranking: B (72) first, A (48) second; February had nothing, so no change is shown.
    rows = selectors.table(MARCH, by="agency")
    assert [(r.key, r.rank, r.total) for r in rows] == [(agency_b.pk, 1, Decimal(72)), (agency_a.pk, 2, Decimal(48))]
    assert all(r.previous is None and r.change is None for r in rows)
    # The quarter holds March only: same figures. April: nothing at all -> no score.
    assert selectors.card_for(period_parse("2026-Q1")).total == Decimal(60)
    assert selectors.card_for(APRIL).total is None


def test_change_since_previous_month(small_definition, march, make_dossier, agency_a):
    # April: agency A receives 2 dossiers online -> online 100% -> 20 of 20, on_time excluded ->
    # progress 60; synced 0/2 -> 0; total 72. March was 48, so the change is +24.
    for _ in range(2):
        make_dossier(channel="online", status="processing", received_at=at("2026-04-03"))
    rollups_rebuild()
    row = next(r for r in selectors.table(APRIL, by="agency") if r.key == agency_a.pk)
    assert (row.total, row.previous, row.change) == (Decimal(72), Decimal(48), Decimal(24))


def test_month_boundary_in_vietnam_time(small_definition, make_dossier, agency_a):
    make_dossier(channel="online", status="processing", received_at=at("2026-03-31", 23, 59))
    make_dossier(channel="online", status="processing", received_at=at("2026-04-01", 0, 0))
    rollups_rebuild()
    cells = dict(IndexRollup.objects.filter(measure="online_submitted").values_list("month", "denominator"))
    assert cells == {datetime.date(2026, 3, 1): 1, datetime.date(2026, 4, 1): 1}


def test_rule_change_applies_only_from_its_date(small_definition, march, make_dossier, agency_a):
    make_dossier(channel="counter", status="resolved", received_at=at("2026-04-02"), resolved_at=at("2026-04-10"),
                 finished_late=True)  # fmt: skip
    make_dossier(channel="counter", status="resolved", received_at=at("2026-04-02"), resolved_at=at("2026-04-10"),
                 finished_late=False)  # fmt: skip
    rollups_rebuild()
    before_march = selectors.card_for(MARCH, {agency_a.pk}).total
    before_april = selectors.card_for(APRIL, {agency_a.pk}).total
    # April under the first definition: on_time 1/2 = 50% of target 100 -> 20 of 40; online 0/2 -> 0
    # of 20; progress 20; synced 0 of 40; total = 20 x 1.2 = 24.
    assert before_april == Decimal(24)
    # From 1 April the on-time target is 50%: April's on_time 50% reaches it -> 40; total 40 x 1.2 = 48.
    new = definition_copy(source=small_definition, effective_from=datetime.date(2026, 4, 1))
    new.groups.get(code="tien_do").indicators.filter(measure="on_time").update(target_rate=50)
    assert selectors.card_for(APRIL, {agency_a.pk}).total == Decimal(48)
    assert selectors.card_for(MARCH, {agency_a.pk}).total == before_march == Decimal(48)
    # A period picks the definition in force at its start: Q1 the old one, Q2 the new one.
    assert selectors.definition_for(period_parse("2026-Q1").start) == small_definition
    assert selectors.definition_for(period_parse("2026-Q2").start) == new


def test_no_definition_before_the_first(db):
    IndexDefinition.objects.all().delete()
    with pytest.raises(DomainError) as exc:
        selectors.card_for(MARCH)
    assert exc.value.code == "index_no_definition"


def test_shipped_definition_has_six_groups_of_100_points(db):
    shipped = IndexDefinition.objects.get(effective_from=datetime.date(2022, 6, 23))
    groups = list(shipped.groups.all())
    assert [g.max_points for g in groups] == [18, 20, 12, 10, 18, 22]
    for group in groups:
        assert sum(i.points for i in group.indicators.all()) == group.max_points
    assert "766/QĐ-TTg" in shipped.legal_basis
    assert all(i.needs_review for g in groups for i in g.indicators.all())


def test_definition_definition_definition(small_definition):
    definition_make(datetime.date(2026, 6, 1))
    assert selectors.definition_for(datetime.date(2026, 5, 1)) == small_definition
