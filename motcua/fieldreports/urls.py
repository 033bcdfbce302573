from .views import citizen, officer, public

app_name = "fieldreports"
# Public last: its report page matches any code.
urlpatterns = [*citizen.urlpatterns, *officer.urlpatterns, *public.urlpatterns]
