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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Let a superuser inspect rows that only the services write (every app's)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Save and delete through the model's services, one row at a time.

    A subclass says which service saves (``save_through_service``, returning the
    saved row) and which deletes (``delete_through_service``); a bulk delete
    from the change list runs the delete service per row, so each is audited.
    """

    def save_through_service(self, request, obj):
        raise NotImplementedError

    def delete_through_service(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        obj.pk = self.save_through_service(request, obj).pk

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["agency"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_through_service(self, request, obj):
        return services.membership_grant(
            actor=request.user, user=obj.user, agency=obj.agency, role=obj.role
        )

    def delete_through_service(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ServiceAdmin):
    list_display = ["date", "is_workday", "note"]
    date_hierarchy = "date"
    fields = ["date", "is_workday", "note"]

    def save_through_service(self, request, obj):
        return services.calendar_override_set(
            actor=request.user, date=obj.date, is_workday=obj.is_workday, note=obj.note
        )

    def delete_through_service(self, request, obj):
        services.calendar_override_delete(actor=request.user, override=obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "verb", "object_repr", "agency"]
    list_filter = ["verb"]
    search_fields = ["object_repr", "actor_label", "verb"]
