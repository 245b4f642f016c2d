"""URLs of the letters app: staff pages under workspace/letters/, the applicant's
copies under the request's secret link."""

from django.urls import path

from letters import api, views

app_name = "letters"

ws = "workspace/letters/"
track = "requests/track/<str:code>/<str:secret>/"

urlpatterns = [
    path(f"{ws}<int:pk>/", views.letter_detail, name="letter_detail"),
    path(f"{ws}<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path(f"{ws}<int:pk>/docx/", views.letter_docx, name="letter_docx"),
    path(f"{ws}<int:pk>/<str:action>/", views.letter_action, name="letter_action"),
    path(f"{ws}new/<int:request_pk>/", views.letter_new, name="letter_new"),
    path(f"{ws}files/new/<int:request_pk>/", views.file_add, name="file_add"),
    path(f"{ws}files/<int:pk>/", views.file_download, name="file_download"),
    path(f"{ws}files/<int:pk>/remove/", views.file_remove, name="file_remove"),
    path(f"{track}letters/<int:pk>/", views.public_letter, name="public_letter"),
    path(
        f"{track}letters/<int:pk>/docx/",
        views.public_letter_docx,
        name="public_letter_docx",
    ),
    path(f"{track}files/<int:pk>/", views.public_file, name="public_file"),
    path("api/v1/letters/", api.LetterListApi.as_view(), name="api_list"),
    path("api/v1/letters/draft/", api.LetterDraftApi.as_view(), name="api_draft"),
    path("api/v1/letters/<int:pk>/", api.LetterDetailApi.as_view(), name="api_detail"),
    path(
        "api/v1/letters/<int:pk>/update/",
        api.LetterUpdateApi.as_view(),
        name="api_update",
    ),
    path(
        "api/v1/letters/<int:pk>/issue/", api.LetterIssueApi.as_view(), name="api_issue"
    ),
    path("api/v1/letters/<int:pk>/void/", api.LetterVoidApi.as_view(), name="api_void"),
    path(
        "api/v1/letters/<int:pk>/cancel/",
        api.LetterCancelApi.as_view(),
        name="api_cancel",
    ),
]
