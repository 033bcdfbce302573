"""Pages for dossiers. Each views module publishes its own `urlpatterns`; they are joined here.

Order matters: the citizen detail page matches dossier codes by regex in `public`, after the
fixed paths of the other modules.
"""

from .views import desk, figures, officer, portal, public

app_name = "dossiers"
urlpatterns = [*portal.urlpatterns, *desk.urlpatterns, *officer.urlpatterns, *figures.urlpatterns, *public.urlpatterns]
