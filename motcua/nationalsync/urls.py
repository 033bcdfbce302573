from .views import urlpatterns as _views

app_name = "nationalsync"

urlpatterns: list = [*_views]
