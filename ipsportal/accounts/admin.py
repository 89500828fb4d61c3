from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import IdentityProvider, Organisation, Role, Unit, User
from ipsportal.accounts.services import staff_set_memberships, unit_create, unit_group_name

admin.site.site_header = _("IPS Portal administration")
admin.site.site_title = _("IPS Portal")
# Units and roles are groups underneath; they are managed through their own admin pages.
admin.site.unregister(Group)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a unit needs its group, which unit_create makes: add units on their page


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Shown as dots; the portal sends it only to the provider's token endpoint."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "issuer",
            "client_id",
            "client_secret",
            "second_factor_acr_values",
            "active",
        ]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's own sign-in (docs/sign-in.md). The organisations that sign in through
    it choose it on their own page, with the value of its organisation claim."""

    form = IdentityProviderForm
    list_display = ["name", "slug", "issuer", "active"]
    search_fields = ["name", "slug", "issuer"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            obj.save()
            obj.group.name = unit_group_name(obj.organisation, obj.name)
            obj.group.save(update_fields=["name"])
        else:
            created = unit_create(organisation=obj.organisation, name=obj.name)
            obj.pk, obj.group = created.pk, created.group


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StaffMembershipForm(UserChangeForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.select_related("organisation"),
        required=False,
        widget=FilteredSelectMultiple(_("units"), is_stacked=False),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["units"].initial = Unit.objects.filter(group__user=self.instance)
            self.fields["roles"].initial = Role.objects.filter(group__user=self.instance)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffMembershipForm
    list_display = ["username", "first_name", "last_name", "title", "fte", "is_active"]
    list_filter = ["is_active", "groups__role", "groups__unit__organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "title", "fte")}),
        (_("Units and roles"), {"fields": ("units", "roles")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "units" in form.cleaned_data:
            staff_set_memberships(
                user=form.instance,
                units=list(form.cleaned_data["units"]),
                roles=[role.code for role in form.cleaned_data["roles"]],
            )
