from .views import urlpatterns as _views

app_name = "queue"

urlpatterns: list = [*_views]
