"""The portal's pages. The home page keeps its name `core:home` (sign-in redirects and every page's
header reverse it): motcua/urls.py mounts these patterns in the `core` namespace with core's own,
so the workspace is `core:workspace`."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lam-viec/", views.workspace, name="workspace"),
]
