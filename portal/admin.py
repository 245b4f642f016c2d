"""Django admin for superusers.

Saves and deletes go through the services, so the admin writes the same audit
events as the workspace. The audit trail itself is read-only here as everywhere.
"""

from django.contrib import admin

from portal import services
from portal.models import Agency, AuditEvent, CalendarOverride, Membership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["tree_path"]

    def get_readonly_fields(self, request, obj=None):
        # The code starts every index number the agency has issued: fixed once set.
        return ["tree_path", "code"] if obj else ["tree_path"]

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in form.changed_data if k != "code"}
        if change:
            services.agency_update(actor=request.user, agency=obj, **data)
        else:
            created = services.agency_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                parent=form.cleaned_data.get("parent"),
                short_name=form.cleaned_data.get("short_name", ""),
                sort_order=form.cleaned_data.get("sort_order", 0),
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: published items point at agencies


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["agency"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.membership_grant(
            actor=request.user, user=obj.user, agency=obj.agency, role=obj.role
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_revoke(actor=request.user, membership=membership)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    date_hierarchy = "date"
    fields = ["date", "is_workday", "note"]

    def save_model(self, request, obj, form, change):
        saved = services.calendar_override_set(
            actor=request.user, date=obj.date, is_workday=obj.is_workday, note=obj.note
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.calendar_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.calendar_override_delete(actor=request.user, override=override)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "verb", "object_repr", "agency"]
    list_filter = ["verb"]
    search_fields = ["object_repr", "actor_label", "verb"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
