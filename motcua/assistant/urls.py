from .channels.urls import urlpatterns as _channels
from .views import urlpatterns as _views

app_name = "assistant"

urlpatterns: list = [*_views, *_channels]
