"""A URLconf with an admin site holding only the Open311 client admin, to test it on its own."""

from django.contrib.admin import AdminSite
from django.urls import path

from motcua.fieldreports.open311.admin import register

site = AdminSite(name="open311_test_admin")
register(site)

urlpatterns = [path("quan-tri/", site.urls)]
