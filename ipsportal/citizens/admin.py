from django.contrib import admin

from ipsportal.citizens.models import TargetGroup


# Citizens themselves are deliberately not in the admin: every read of a citizen goes through
# the access policy (consent/access/) and is logged, which the admin cannot do.
@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    prepopulated_fields = {"code": ["name"]}
