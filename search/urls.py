"""URLs of the search app, included at the project root.

``disclosures/`` and ``api/v1/disclosures/`` are the column search; the detail
routes below them (``disclosures/<index number>/``, index numbers contain a
slash) belong to the requests app, whose converter never matches the bare list
path, so neither shadows the other in whatever order they are included.
"""

from django.urls import path

from search import api, views

app_name = "search"

urlpatterns = [
    path("disclosures/", views.column, name="column"),
    path("api/v1/disclosures/", api.ColumnSearchApi.as_view(), name="api_column"),
]
