"""URLs of the annual report (表三/表四) pages and API."""

from django.urls import path

from requests_.reports import api, views

app_name = "annual_report"

ws = "workspace/annual-report/"

urlpatterns = [
    path(ws, views.report_page, name="page"),
    path(f"{ws}cell/", views.report_cell, name="cell"),
    path(f"{ws}export/<str:fmt>/", views.report_export, name="export"),
    path(f"{ws}export-job/<str:fmt>/", views.report_export_job, name="export_job"),
    path("api/v1/annual-report/", api.AnnualReportApi.as_view(), name="api"),
]
