from .views import urlpatterns as _views

app_name = "ratings"

urlpatterns: list = [*_views]
