from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("linh-vuc/<slug:slug>/", views.field_detail, name="field"),
    path("<str:code>/", views.procedure_detail, name="procedure"),
]
