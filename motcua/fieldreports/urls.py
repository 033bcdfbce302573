app_name = "fieldreports"

urlpatterns: list = []
