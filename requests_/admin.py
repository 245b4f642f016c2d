"""Read-only admin views. Every change goes through the services and the workspace;
the admin never shows applicant identity."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from requests_.models import IDENTITY_FIELDS, Appeal, Disclosure, DisclosureRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "agency", "status", "received_on", "reply_due_on")
    list_filter = ("status", "channel", "applicant_type")
    search_fields = ("tracking_code", "title")
    exclude = (*IDENTITY_FIELDS, "secret_hash")


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("index_no", "title", "agency", "status", "publish_at")
    list_filter = ("status", "source")
    search_fields = ("index_no", "title")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "filed_on", "result", "decided_on")
