"""URLs of the search app (public pages, workspace pages, API)."""

urlpatterns: list = []
