from .views import urlpatterns as _views

app_name = "serviceindex"

urlpatterns: list = [*_views]
