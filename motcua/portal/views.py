"""The portal's home page: search box and the catalog's fields with their procedure counts."""

from django.shortcuts import render

from motcua.catalog.selectors import catalog_pages, field_list_with_counts


def home(request):
    # A function of the catalog alone: rendered once per catalog version and process for visitors.
    return catalog_pages().page(
        request, lambda: render(request, "core/home.html", {"fields": field_list_with_counts()})
    )
