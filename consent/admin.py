from django.contrib import admin

from consent.models import ConsentText, InformationCategory


# Consents themselves are recorded and read through the portal (and its access policy), not here.
@admin.register(InformationCategory)
class InformationCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active", "position"]
    list_filter = ["active"]

    def save_model(self, request, obj, form, change):
        from consent.services import information_category_ensure

        if change:
            super().save_model(request, obj, form, change)
        else:
            created = information_category_ensure(
                code=obj.code, name=obj.name, description=obj.description, position=obj.position
            )
            obj.pk = created.pk


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "language", "valid_from"]
    list_filter = ["language", "version"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A text a citizen may have agreed to is never changed; add a new version instead.
        if obj is not None:
            return ["version", "language", "title", "body", "valid_from", "created_at"]
        return self.readonly_fields
