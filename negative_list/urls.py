"""URLs of the negative_list app (public pages, workspace pages, API)."""

urlpatterns: list = []
