"""URLs of the negative-list entry-use evidence: overview, cell, API, open data."""

from django.urls import path

from requests_ import usage_api, usage_views

app_name = "usage"

urlpatterns = [
    path("workspace/negative-list/usage/", usage_views.overview, name="overview"),
    path("workspace/negative-list/usage/cell/", usage_views.cell, name="cell"),
    path("api/v1/negative-list-usage/", usage_api.UsageApi.as_view(), name="api"),
    path(
        "open-data/negative-list-usage.<str:fmt>",
        usage_views.open_data,
        name="open_data",
    ),
]
