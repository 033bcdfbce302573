from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("linh-vuc/<slug:slug>/", views.field_detail, name="field"),
    path("linh-vuc/<slug:slug>/ap-phich.pdf", views.field_poster, name="field_poster"),
    path("<str:code>/", views.procedure_detail, name="procedure"),
    path("<str:code>/qr.svg", views.procedure_qr_svg_view, name="procedure_qr_svg"),
    path("<str:code>/qr.png", views.procedure_qr_png_view, name="procedure_qr_png"),
]
