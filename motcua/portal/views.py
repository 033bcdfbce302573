"""The portal's pages: the home page (search box and the catalog's fields with their procedure counts)
and the officer's workspace (one panel of work per role held)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from motcua.catalog.selectors import catalog_pages, field_list_with_counts
from motcua.core import scope

from .workspace import workspace_panels


def home(request):
    # A function of the catalog alone: rendered once per catalog version and process for visitors.
    return catalog_pages().page(
        request, lambda: render(request, "core/home.html", {"fields": field_list_with_counts()})
    )


@login_required
def workspace(request):
    """Where an officer lands after signing in; a citizen's own page is "my dossiers"."""
    if not scope.is_officer(request.user):
        return redirect("dossiers:my_list" if request.user.person_id else "core:home")
    panels = workspace_panels(request.user, now=timezone.now())
    return render(request, "portal/workspace.html", {"panels": panels})
