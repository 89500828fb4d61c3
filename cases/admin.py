from django.contrib import admin

from cases.models import BenefitType, EpisodeType


# Only the dated code lists: courses hold citizen data, which is read through the access
# policy and logged, which the admin cannot do. A code the law closes gets its valid-to date.
@admin.register(EpisodeType)
class EpisodeTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "counts_as_ordinary", "valid_from", "valid_to"]
    list_filter = ["kind"]


@admin.register(BenefitType)
class BenefitTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "public_support", "valid_from", "valid_to"]
