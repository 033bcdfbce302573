"""Pages for field reports: citizen (file, my reports), officer (queue, handling), public (map, list, stats).

Each module publishes its own `urlpatterns`; `motcua.fieldreports.urls` joins them, public last
because its report page matches any code.
"""
