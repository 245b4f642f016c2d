"""URLs of the annual report (表三/表四) pages and API."""

urlpatterns: list = []
