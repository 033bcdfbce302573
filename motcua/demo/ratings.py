"""Demo ratings for the returned demo dossiers, so the statistics page shows figures. Safe to run again."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Q

from motcua.core.errors import DomainError
from motcua.core.models import Counter
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.ratings.models import RatingChannel, RatingReason
from motcua.ratings.reasons import reasons_ensure
from motcua.ratings.services import invitation_create, rating_submit

# Mostly very satisfied, as the province's published figures are (about 99.7% satisfied).
LEVEL_WEIGHTS = ((4, 78), (3, 16), (2, 4), (1, 2))
CHANNEL_WEIGHTS = (
    (RatingChannel.DESK, 45),
    (RatingChannel.SMS, 30),
    (RatingChannel.ZALO, 15),
    (RatingChannel.PORTAL, 10),
)
COMMENTS = ("", "", "", "Cảm ơn cán bộ.", "Nhanh gọn.", "Nên có thêm ghế chờ.", "Cần hướng dẫn rõ hơn.")
RATED_SHARE = 0.85


def _pick(rng, weights):
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


@dataclass
class DemoRatingsResult:
    created: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)


def ratings_demo_build(*, seed: int, province: str) -> DemoRatingsResult:
    """Rate most returned demo dossiers of the province; each dossier's choices come from its own seed."""
    reasons_ensure(RatingReason)
    positive = list(RatingReason.objects.filter(positive=True, is_active=True).values_list("code", flat=True))
    negative = list(RatingReason.objects.filter(positive=False, is_active=True).values_list("code", flat=True))
    dossiers = (
        Dossier.objects.filter(status=DossierStatus.RETURNED, rating__isnull=True)
        .filter(
            Q(receiving_agency__unit__code=province)
            | Q(receiving_agency__unit__parent__code=province)
            | Q(receiving_agency__unit__parent__parent__code=province)
        )
        .select_related("submitted_by")
        .order_by("pk")
    )
    counters: dict[int, list[Counter]] = {}
    for counter in Counter.objects.filter(is_active=True).order_by("number"):
        counters.setdefault(counter.office_id, []).append(counter)
    result = DemoRatingsResult()
    for dossier in dossiers:
        # One generator per dossier: a second run makes the same choices, so it adds nothing.
        rng = random.Random(f"{seed}:{dossier.pk}")
        if rng.random() > RATED_SHARE:
            result.skipped += 1
            continue
        level = _pick(rng, LEVEL_WEIGHTS)
        pool = positive if level >= 3 else negative
        codes = rng.sample(pool, k=min(len(pool), rng.randint(0, 2)))
        channel = _pick(rng, CHANNEL_WEIGHTS)
        at = (dossier.returned_at or dossier.updated_at) + datetime.timedelta(minutes=rng.randint(2, 600))
        values = {"level": level, "reason_codes": codes, "comment": rng.choice(COMMENTS), "now": at}
        office_counters = counters.get(dossier.office_id) or []
        try:
            if channel == RatingChannel.DESK and office_counters:
                rating_submit(dossier=dossier, desk_counter=rng.choice(office_counters), channel=channel, **values)
            elif channel == RatingChannel.PORTAL and dossier.submitted_by_id and not dossier.submitted_by.is_officer:
                rating_submit(dossier=dossier, actor=dossier.submitted_by, channel=channel, **values)
            else:
                _invitation, token = invitation_create(dossier=dossier, now=at - datetime.timedelta(minutes=1))
                channel = RatingChannel.ZALO if channel == RatingChannel.ZALO else RatingChannel.SMS
                rating_submit(token=token, channel=channel, **values)
        except DomainError as exc:
            result.failures.append(f"{dossier.code}: {exc.message}")
            continue
        result.created += 1
    return result
