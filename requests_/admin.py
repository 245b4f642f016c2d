"""Read-only admin views. Every change goes through the services and the workspace;
the admin never shows applicant identity."""

from __future__ import annotations

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from requests_.models import (
    IDENTITY_FIELDS,
    Appeal,
    Disclosure,
    DisclosureRequest,
    FeeNotice,
)


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "agency", "status", "received_on", "reply_due_on")
    list_filter = ("status", "channel", "applicant_type")
    search_fields = ("tracking_code", "title")
    exclude = (*IDENTITY_FIELDS, "secret_hash", "applicant_key")


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("index_no", "title", "agency", "status", "publish_at")
    list_filter = ("status", "source")
    search_fields = ("index_no", "title")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "filed_on", "result", "decided_on")


@admin.register(FeeNotice)
class FeeNoticeAdmin(ReadOnlyAdmin):
    list_display = ("request", "scale", "amount", "notified_on", "pay_by", "status")
    list_filter = ("status", "scale")
    search_fields = ("request__tracking_code", "receipt_number")
