"""Scoring, pure arithmetic over (numerator, denominator) figures; no queries.

Rules (docs/service-index.md):
- A sub-indicator with a rate at or above its target scores its full points; below it,
  rate ÷ target × points. A target of 0 means any rate scores full points.
- A sub-indicator is NOT APPLICABLE when its measure cannot be counted from our data ("chưa đo
  được") or its denominator is 0 (nothing to count in the period). It is excluded, and the other
  sub-indicators of its group share the group's points in proportion to their own points
  (re-weighting). A group with nothing applicable is excluded the same way: the total is the sum of
  the applicable groups' scores scaled to the definition's maximum (100). Nothing applicable at all:
  no score (None), shown as a dash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .measures import MEASURES, UNMEASURED

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def q2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def indicator_points(numerator: int, denominator: int, target: Decimal, points: Decimal) -> Decimal | None:
    """Points earned by one sub-indicator (before re-weighting); None when not applicable."""
    if not denominator:
        return None
    target = Decimal(target)
    if target <= 0:
        return Decimal(points)
    if Decimal(numerator) * HUNDRED >= target * Decimal(denominator):
        return Decimal(points)
    # Multiply before dividing: exact whenever the result is (79/100 of target 80 → 9.875).
    return Decimal(numerator) * HUNDRED * Decimal(points) / (Decimal(denominator) * target)


@dataclass
class IndicatorScore:
    indicator: object  # SubIndicator
    numerator: int
    denominator: int
    measured: bool
    raw: Decimal | None = None  # points before re-weighting
    weight: Decimal = ZERO  # its share of the group's points after re-weighting
    earned: Decimal = ZERO  # after re-weighting

    @property
    def applicable(self) -> bool:
        return self.raw is not None

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return q2(Decimal(self.numerator) * HUNDRED / Decimal(self.denominator))

    @property
    def lost(self) -> Decimal:
        return self.weight - self.earned


@dataclass
class GroupScore:
    group: object  # IndexGroup
    indicators: list[IndicatorScore] = field(default_factory=list)
    score: Decimal | None = None

    @property
    def max_points(self) -> Decimal:
        return Decimal(self.group.max_points)


@dataclass
class ScoreCard:
    definition: object
    groups: list[GroupScore]
    total: Decimal | None
    max_total: Decimal

    def indicators(self) -> list[IndicatorScore]:
        return [i for g in self.groups for i in g.indicators]

    def costliest(self, limit: int = 5) -> list[IndicatorScore]:
        rows = [i for i in self.indicators() if i.applicable and i.lost > 0]
        return sorted(rows, key=lambda i: i.lost, reverse=True)[:limit]


def _layout(definition) -> list[tuple[object, list]]:
    """The definition's groups and their indicators, listed once per definition object (a table scores
    one definition for every row: the related managers are not rebuilt for each)."""
    layout = getattr(definition, "_score_layout", None)
    if layout is None:
        layout = [(group, list(group.indicators.all())) for group in definition.groups.all()]
        definition._score_layout = layout
    return layout


def score_card(definition, figures: dict[str, tuple[int, int]]) -> ScoreCard:
    """`definition` with its groups and indicators prefetched; `figures`: measure → (num, den)."""
    groups = []
    for group, indicators in _layout(definition):
        gs = GroupScore(group)
        for ind in indicators:
            measure = MEASURES.get(ind.measure)
            measured = measure is not None and measure.kind != UNMEASURED
            num, den = figures.get(ind.measure, (0, 0)) if measured else (0, 0)
            item = IndicatorScore(ind, num, den, measured)
            if measured:
                item.raw = indicator_points(num, den, ind.target_rate, ind.points)
            gs.indicators.append(item)
        applicable = [i for i in gs.indicators if i.applicable]
        share = sum((Decimal(i.indicator.points) for i in applicable), ZERO)
        if applicable and share > 0:
            for i in applicable:
                i.weight = Decimal(i.indicator.points) * gs.max_points / share
                i.earned = i.raw * gs.max_points / share
            gs.score = sum((i.earned for i in applicable), ZERO)
        groups.append(gs)
    max_total = sum((g.max_points for g in groups), ZERO)
    scored = [g for g in groups if g.score is not None]
    covered = sum((g.max_points for g in scored), ZERO)
    total = None
    if scored and covered > 0:
        total = sum((g.score for g in scored), ZERO) * max_total / covered
        # The groups' bars show points out of each group's maximum; the total is rescaled.
    return ScoreCard(definition, groups, total, max_total)
