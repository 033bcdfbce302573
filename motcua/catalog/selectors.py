"""Reads of the public catalog. Procedures are public: no access check beyond is_active."""

from django.db.models import Count, Q

from .models import Field


def field_list_with_counts():
    return list(
        Field.objects.annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(procedure_count__gt=0)
        .order_by("order", "name")
    )
