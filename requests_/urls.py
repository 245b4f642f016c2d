"""URLs of the requests_ app (public pages, workspace pages, API)."""

urlpatterns: list = []
