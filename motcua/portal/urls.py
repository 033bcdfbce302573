"""The portal's pages. The home page keeps its name `core:home` (sign-in redirects and every page's
header reverse it): motcua/urls.py mounts these patterns in the `core` namespace with core's own."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
