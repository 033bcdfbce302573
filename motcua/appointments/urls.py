from .views import urlpatterns as _views

app_name = "appointments"

urlpatterns: list = [*_views]
