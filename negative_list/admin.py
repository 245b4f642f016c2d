"""Read-only admin views of the negative-list data.

Every change goes through the services (workspace pages, API, import command), so
the admin only lets a superuser inspect rows; it never edits them.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from negative_list.models import (
    Entry,
    EntryVersion,
    Exemption,
    ListVersion,
    ListVersionItem,
    Provision,
    ReviewCycle,
    ReviewTask,
)
from portal.admin import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "article", "binding"]


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ["law", "article", "in_force_from", "repealed_on"]
    list_filter = ["repealed_on"]
    search_fields = ["law", "article", "text"]


class EntryVersionInline(ReadOnlyInline):
    model = EntryVersion
    fields = ["number", "category", "title", "scope", "author", "reviewed_by"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["code", "agency", "status", "title"]
    list_filter = ["status"]
    search_fields = ["code", "versions__title"]
    inlines = [EntryVersionInline]


class ListVersionItemInline(ReadOnlyInline):
    model = ListVersionItem
    fields = ["position", "category_name", "title", "scope", "basis"]


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "number", "published_at"]
    inlines = [ListVersionItemInline]


class ReviewTaskInline(ReadOnlyInline):
    model = ReviewTask
    fields = ["entry", "status", "legality", "conciseness", "decision", "reviewer"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "due_on", "status"]
    list_filter = ["status"]
    inlines = [ReviewTaskInline]
