from .views import urlpatterns as _views

app_name = "assistant"

urlpatterns: list = [*_views]
