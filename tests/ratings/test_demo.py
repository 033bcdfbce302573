"""load_ratings_demo: rates most returned dossiers, mostly "very satisfied", and is idempotent."""

import pytest
from django.core.management import call_command

from motcua.ratings.models import Rating, RatingRollup

pytestmark = pytest.mark.django_db


def test_demo_rates_most_returned_dossiers_once(return_dossier, counter_a, province):
    dossiers = [return_dossier() for _ in range(8)]
    call_command("load_ratings_demo", seed=7, province=province.code, verbosity=0)
    first = Rating.objects.count()
    assert 4 <= first <= len(dossiers)
    totals = RatingRollup.objects.filter(dimension="agency").values_list("very_satisfied", "not_satisfied")
    before = list(totals)
    call_command("load_ratings_demo", seed=7, province=province.code, verbosity=0)
    assert Rating.objects.count() == first and list(totals) == before
    assert set(Rating.objects.values_list("channel", flat=True)) <= {"desk", "sms", "zalo", "portal"}
