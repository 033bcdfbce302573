"""The portal's home page: search box and the catalog's fields with their procedure counts."""

from django.shortcuts import render

from motcua.catalog.selectors import field_list_with_counts


def home(request):
    return render(request, "core/home.html", {"fields": field_list_with_counts()})
