"""URLs of the negative_list app (public pages, workspace pages, API)."""

from django.urls import path

from negative_list import api
from negative_list.feeds import AgencyListVersionFeed, ListVersionFeed
from negative_list.public_site import open_data
from negative_list.views import public, workspace

app_name = "negative_list"

public_patterns = [
    path("negative-lists/", public.index, name="index"),
    path("negative-lists/<str:code>/", public.agency, name="agency"),
    path("negative-lists/<str:code>/versions/", public.versions, name="versions"),
    path(
        "negative-lists/<str:code>/versions/<int:number>/",
        public.version_detail,
        name="version",
    ),
    path(
        "negative-lists/<str:code>/versions/<int:number>/export.<str:fmt>",
        public.export,
        name="export",
    ),
    path("negative-lists/<str:code>/diff/", public.diff, name="diff"),
    path("feeds/negative-lists/", ListVersionFeed(), name="feed"),
    path(
        "feeds/negative-lists/<str:code>/",
        AgencyListVersionFeed(),
        name="feed_agency",
    ),
    path("open-data/negative-lists.<str:fmt>", open_data, name="open_data"),
]

W = "workspace/negative-list/"
workspace_patterns = [
    path(W, workspace.workspace, name="workspace"),
    path(f"{W}entries/new/", workspace.entry_create, name="entry_create"),
    path(f"{W}entries/<int:pk>/", workspace.entry_detail, name="entry_detail"),
    path(f"{W}entries/<int:pk>/edit/", workspace.entry_edit, name="entry_edit"),
    path(f"{W}entries/<int:pk>/submit/", workspace.entry_submit, name="entry_submit"),
    path(
        f"{W}entries/<int:pk>/approve/", workspace.entry_approve, name="entry_approve"
    ),
    path(f"{W}entries/<int:pk>/return/", workspace.entry_return, name="entry_return"),
    path(f"{W}entries/<int:pk>/amend/", workspace.entry_amend, name="entry_amend"),
    path(f"{W}review/", workspace.review_queue, name="review_queue"),
    path(f"{W}import/", workspace.import_upload, name="import"),
    path(f"{W}export/", workspace.export_start, name="export_start"),
    path(f"{W}agencies/<str:code>/publish/", workspace.publish, name="publish"),
    path(
        f"{W}agencies/<str:code>/interpretation/",
        workspace.interpretation_edit,
        name="interpretation",
    ),
    path(f"{W}cycles/", workspace.cycles, name="cycles"),
    path(f"{W}cycles/<int:pk>/", workspace.cycle_detail, name="cycle_detail"),
    path(f"{W}cycles/<int:pk>/close/", workspace.cycle_close, name="cycle_close"),
    path(f"{W}tasks/<int:pk>/", workspace.task_detail, name="task_detail"),
    path(f"{W}provisions/", workspace.provisions, name="provisions"),
    path(f"{W}provisions/<int:pk>/", workspace.provision_edit, name="provision_edit"),
]

A = "api/v1/negative-lists/"
api_patterns = [
    path(A, api.ListIndexApi.as_view(), name="api_index"),
    path(f"{A}exemptions/", api.ExemptionListApi.as_view(), name="api_exemptions"),
    path(f"{A}provisions/", api.ProvisionListApi.as_view(), name="api_provisions"),
    path(
        f"{A}provisions/create/",
        api.ProvisionCreateApi.as_view(),
        name="api_provision_create",
    ),
    path(
        f"{A}provisions/<int:pk>/update/",
        api.ProvisionUpdateApi.as_view(),
        name="api_provision_update",
    ),
    path(f"{A}agencies/<str:code>/", api.AgencyListApi.as_view(), name="api_agency"),
    path(
        f"{A}agencies/<str:code>/versions/",
        api.VersionListApi.as_view(),
        name="api_versions",
    ),
    path(
        f"{A}agencies/<str:code>/versions/<int:number>/",
        api.VersionDetailApi.as_view(),
        name="api_version",
    ),
    path(f"{A}agencies/<str:code>/diff/", api.DiffApi.as_view(), name="api_diff"),
    path(
        f"{A}agencies/<str:code>/publish/", api.PublishApi.as_view(), name="api_publish"
    ),
    path(
        f"{A}agencies/<str:code>/interpretation/",
        api.InterpretationApi.as_view(),
        name="api_interpretation",
    ),
    path(
        f"{A}agencies/<str:code>/interpretation/update/",
        api.InterpretationUpdateApi.as_view(),
        name="api_interpretation_update",
    ),
    path(f"{A}agencies/<str:code>/import/", api.ImportApi.as_view(), name="api_import"),
    path(f"{A}entries/", api.EntryListApi.as_view(), name="api_entries"),
    path(f"{A}entries/create/", api.EntryCreateApi.as_view(), name="api_entry_create"),
    path(f"{A}entries/<int:pk>/", api.EntryDetailApi.as_view(), name="api_entry"),
    path(
        f"{A}entries/<int:pk>/update/",
        api.EntryUpdateApi.as_view(),
        name="api_entry_update",
    ),
    path(
        f"{A}entries/<int:pk>/submit/",
        api.EntrySubmitApi.as_view(),
        name="api_entry_submit",
    ),
    path(
        f"{A}entries/<int:pk>/approve/",
        api.EntryApproveApi.as_view(),
        name="api_entry_approve",
    ),
    path(
        f"{A}entries/<int:pk>/return/",
        api.EntryReturnApi.as_view(),
        name="api_entry_return",
    ),
    path(
        f"{A}entries/<int:pk>/amend/",
        api.EntryAmendApi.as_view(),
        name="api_entry_amend",
    ),
    path(f"{A}cycles/", api.CycleListApi.as_view(), name="api_cycles"),
    path(f"{A}cycles/open/", api.CycleOpenApi.as_view(), name="api_cycle_open"),
    path(f"{A}cycles/<int:pk>/", api.CycleDetailApi.as_view(), name="api_cycle"),
    path(
        f"{A}cycles/<int:pk>/close/",
        api.CycleCloseApi.as_view(),
        name="api_cycle_close",
    ),
    path(f"{A}tasks/<int:pk>/", api.TaskDetailApi.as_view(), name="api_task"),
    path(
        f"{A}tasks/<int:pk>/record/",
        api.TaskRecordApi.as_view(),
        name="api_task_record",
    ),
]

urlpatterns = public_patterns + workspace_patterns + api_patterns
