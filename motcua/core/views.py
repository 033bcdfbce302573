from django.shortcuts import render


def home(request):
    from motcua.catalog.selectors import field_list_with_counts

    return render(request, "core/home.html", {"fields": field_list_with_counts()})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
