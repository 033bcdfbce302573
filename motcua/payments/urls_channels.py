app_name = "payment_channels"

urlpatterns: list = []
