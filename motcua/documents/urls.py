from .views import urlpatterns as _views

app_name = "documents"

urlpatterns: list = [*_views]
