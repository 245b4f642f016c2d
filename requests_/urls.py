"""URLs of the requests_ app (public pages, workspace pages, API).

Index numbers contain a slash (``310101000/2025-00012``); the ``indexno``
converter matches exactly one, so ``/disclosures/`` itself (the column search,
owned by the search app) and any single-segment path stay free.
"""

from django.urls import path, register_converter

from requests_.api import disclosures as disclosure_api
from requests_.api import fees as fee_api
from requests_.api import public as public_api
from requests_.api import requests as request_api
from requests_.feeds import AgencyFeed, ColumnFeed, TopicFeed
from requests_.public_site import open_data
from requests_.views import conversion, overview, public, workspace
from requests_.views import disclosures as disclosure_views
from requests_.views import fees as fee_views
from requests_.views import imports as import_views


class IndexNoConverter:
    regex = r"[0-9A-Za-z]{2,32}/[0-9A-Za-z._-]{1,30}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndexNoConverter, "indexno")

app_name = "requests_"

ws = "workspace/requests/"
wd = "workspace/disclosures/"
api = "api/v1/requests/"
sd = "api/v1/staff/disclosures/"

urlpatterns = [
    # Public
    path("requests/new/", public.apply, name="apply"),
    path("requests/submitted/", public.submitted, name="submitted"),
    path("requests/track/", public.track, name="track"),
    path("requests/track/<str:code>/<str:secret>/", public.status, name="status"),
    path(
        "requests/track/<str:code>/<str:secret>/correction/",
        public.status_correction,
        name="status_correction",
    ),
    path(
        "requests/track/<str:code>/<str:secret>/withdraw/",
        public.status_withdraw,
        name="status_withdraw",
    ),
    path(
        "requests/track/<str:code>/<str:secret>/letter/",
        public.status_letter,
        name="status_letter",
    ),
    path(
        "disclosures/<indexno:index_no>/",
        public.disclosure_detail,
        name="disclosure_public",
    ),
    path(
        "disclosures/<indexno:index_no>/attachments/<int:pk>/",
        public.disclosure_attachment,
        name="disclosure_attachment",
    ),
    path("feeds/disclosures/", ColumnFeed(), name="feed_column"),
    path("feeds/agencies/<str:code>/", AgencyFeed(), name="feed_agency"),
    path("feeds/topics/<str:code>/", TopicFeed(), name="feed_topic"),
    path("open-data/disclosures.<str:fmt>", open_data, name="open_data"),
    # Workspace: requests
    path(ws, workspace.request_list, name="request_list"),
    path("workspace/city-overview/", overview.city_overview, name="city_overview"),
    path(
        "workspace/city-overview/<str:figure>/",
        overview.city_overview_list,
        name="city_overview_list",
    ),
    path(f"{ws}new/", workspace.request_register, name="request_register"),
    path(f"{ws}<int:pk>/", workspace.request_detail, name="request_detail"),
    path(f"{ws}<int:pk>/letter/", workspace.request_letter, name="request_letter"),
    path(
        f"{ws}conversions/late/", conversion.conversions_late, name="conversions_late"
    ),
    path(
        f"{ws}<int:pk>/conversion/",
        conversion.conversion_decide,
        name="conversion_decide",
    ),
    path(
        f"{ws}<int:pk>/conversion/amend/",
        conversion.conversion_amend,
        name="conversion_amend",
    ),
    path(
        f"{ws}<int:pk>/conversion/reviews/<int:review_pk>/<str:how>/",
        conversion.conversion_review,
        name="conversion_review",
    ),
    path(f"{ws}<int:pk>/appeals/", workspace.appeal_create, name="appeal_create"),
    path(
        f"{ws}<int:pk>/appeals/<int:appeal_pk>/decide/",
        workspace.appeal_decide,
        name="appeal_decide",
    ),
    path(
        f"{ws}<int:pk>/repeat-of/",
        fee_views.request_repeat_of,
        name="request_repeat_of",
    ),
    path(
        f"{ws}<int:pk>/<str:action>/", workspace.request_action, name="request_action"
    ),
    # Workspace: disclosures
    path(wd, disclosure_views.disclosure_list, name="disclosure_list"),
    path(f"{wd}import/", import_views.disclosure_import, name="disclosure_import"),
    path(
        f"{wd}<int:pk>/", disclosure_views.disclosure_detail, name="disclosure_detail"
    ),
    path(
        f"{wd}<int:pk>/edit/", disclosure_views.disclosure_edit, name="disclosure_edit"
    ),
    path(
        f"{wd}<int:pk>/attachments/",
        disclosure_views.attachment_add,
        name="attachment_add",
    ),
    path(
        f"{wd}<int:pk>/attachments/<int:attachment_pk>/",
        disclosure_views.attachment_download,
        name="attachment_download",
    ),
    path(
        f"{wd}<int:pk>/attachments/<int:attachment_pk>/remove/",
        disclosure_views.attachment_remove,
        name="attachment_remove",
    ),
    path(f"{wd}<int:pk>/screen/", disclosure_views.screen_rerun, name="screen_rerun"),
    path(
        f"{wd}<int:pk>/screen/<int:hit_pk>/<str:how>/",
        disclosure_views.hit_resolve,
        name="hit_resolve",
    ),
    path(
        f"{wd}<int:pk>/<str:action>/",
        disclosure_views.disclosure_action,
        name="disclosure_action",
    ),
    # API: public
    path(
        "api/v1/disclosures/<indexno:index_no>/",
        public_api.DisclosurePublicApi.as_view(),
        name="api_disclosure_public",
    ),
    # API: requests
    path(api, request_api.RequestListApi.as_view(), name="api_request_list"),
    path(
        f"{api}create/",
        request_api.RequestCreateApi.as_view(),
        name="api_request_create",
    ),
    path(
        f"{api}<int:pk>/",
        request_api.RequestDetailApi.as_view(),
        name="api_request_detail",
    ),
    path(
        f"{api}<int:pk>/conversion/",
        request_api.RequestConversionApi.as_view(),
        name="api_request_conversion",
    ),
    path(
        f"{api}<int:pk>/conversion/amend/",
        request_api.RequestConversionAmendApi.as_view(),
        name="api_request_conversion_amend",
    ),
    path(
        f"{api}<int:pk>/conversion/reviews/<int:review_pk>/<str:how>/",
        request_api.ConversionReviewApi.as_view(),
        name="api_conversion_review",
    ),
    path(
        f"{api}<int:pk>/appeals/",
        request_api.AppealCreateApi.as_view(),
        name="api_appeal_create",
    ),
    path(
        f"{api}<int:pk>/appeals/<int:appeal_pk>/decide/",
        request_api.AppealDecideApi.as_view(),
        name="api_appeal_decide",
    ),
    *[
        path(
            f"{api}<int:pk>/{slug}/",
            view.as_view(),
            name=f"api_request_{slug.replace('-', '_')}",
        )
        for slug, view in (
            ("confirm", request_api.RequestConfirmApi),
            ("accept", request_api.RequestAcceptApi),
            ("request-correction", request_api.RequestCorrectionApi),
            ("receive-correction", request_api.RequestCorrectionReceiveApi),
            ("lapse", request_api.RequestLapseApi),
            ("extend", request_api.RequestExtendApi),
            ("pause", request_api.RequestPauseApi),
            ("resume", request_api.RequestResumeApi),
            ("run-out", request_api.RequestRunOutApi),
            ("reply", request_api.RequestReplyApi),
            ("close", request_api.RequestCloseApi),
            ("withdraw", request_api.RequestWithdrawApi),
        )
    ],
    # API: fee notices (国办函〔2020〕109号) and the repeat link (（五）2)
    path(
        f"{api}fee-notices/pending/",
        fee_api.PendingFeeNoticesApi.as_view(),
        name="api_fee_notices_pending",
    ),
    path(
        f"{api}<int:pk>/fee-notice/",
        fee_api.FeeNoticeApi.as_view(),
        name="api_fee_notice",
    ),
    *[
        path(
            f"{api}<int:pk>/fee-notice/{slug}/",
            view.as_view(),
            name=f"api_fee_{slug}",
        )
        for slug, view in (
            ("payment", fee_api.FeePaymentApi),
            ("waiver", fee_api.FeeWaiverApi),
            ("lapse", fee_api.FeeLapseApi),
        )
    ],
    path(
        f"{api}<int:pk>/repeat-of/",
        fee_api.RequestRepeatOfApi.as_view(),
        name="api_request_repeat_of",
    ),
    # API: staff disclosures
    path(
        sd, disclosure_api.StaffDisclosureListApi.as_view(), name="api_disclosure_list"
    ),
    path(
        f"{sd}<int:pk>/",
        disclosure_api.StaffDisclosureDetailApi.as_view(),
        name="api_disclosure_detail",
    ),
    *[
        path(f"{sd}<int:pk>/{slug}/", view.as_view(), name=f"api_disclosure_{slug}")
        for slug, view in (
            ("update", disclosure_api.DisclosureUpdateApi),
            ("attachments", disclosure_api.DisclosureAttachmentApi),
            ("submit", disclosure_api.DisclosureSubmitApi),
            ("return", disclosure_api.DisclosureReturnApi),
            ("approve", disclosure_api.DisclosureApproveApi),
            ("withdraw", disclosure_api.DisclosureWithdrawApi),
        )
    ],
    path(
        f"{sd}<int:pk>/hits/<int:hit_pk>/mask/",
        disclosure_api.HitMaskApi.as_view(),
        name="api_hit_mask",
    ),
    path(
        f"{sd}<int:pk>/hits/<int:hit_pk>/accept/",
        disclosure_api.HitAcceptApi.as_view(),
        name="api_hit_accept",
    ),
]
