from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ipsportal.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "user",
        "organisation",
        "role",
        "citizen_reference",
        "action",
        "category",
        "basis",
        "consent_id",
    ]
    list_filter = ["action", "basis", "category", "organisation"]
    list_select_related = ["user", "organisation", "citizen"]
    date_hierarchy = "occurred_at"
    fields = [
        "occurred_at",
        "user",
        "organisation",
        "role",
        "citizen_reference",
        "action",
        "category",
        "basis",
        "consent_id",
        "request_id",
        "detail",
    ]
    readonly_fields = tuple(str(name) for name in fields)

    @admin.display(description="citizen (id)")
    def citizen_reference(self, entry: AccessLogEntry) -> str:
        # The opaque id, not the name: reading the log is not a way round the access policy.
        return str(entry.citizen.uuid) if entry.citizen else "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
