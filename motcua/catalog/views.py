from django.shortcuts import render

from . import selectors


def catalog_index(request):
    return render(request, "catalog/index.html", {"fields": selectors.field_list_with_counts()})


def field_detail(request, slug):
    raise NotImplementedError


def procedure_detail(request, code):
    raise NotImplementedError
