"""Admin pages for coordinators: members, their links, institutions.

Coordinators (role "coordinator", hence is_staff) manage these models without any Django
permission rows (core.admin.CoordinatorAccessMixin): access follows the role, which set_role
keeps in step with is_staff. Only superusers see and grant superuser status, groups and raw
permissions, and only they may change or delete a superuser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maillage.core.admin import CoordinatorAccessMixin
from maillage.members import services
from maillage.members.models import Institution, ProfileLink, Role, User


class HttpsUrlFieldsMixin:
    """Addresses typed without a scheme are taken as https:// (Django 6's default)."""

    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileLinkInline(CoordinatorAccessMixin, HttpsUrlFieldsMixin, admin.TabularInline):
    model = ProfileLink
    extra = 0
    max_num = 5
    fields = ("position", "title", "url")


@admin.register(User)
class UserAdmin(CoordinatorAccessMixin, DjangoUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    inlines = [ProfileLinkInline]
    ordering = ("display_name",)
    list_display = (
        "display_name",
        "email",
        "role",
        "profession",
        "institution",
        "trust_level",
        "is_active",
        "email_confirmed_at",
    )
    list_filter = ("role", "profession", "trust_level", "is_active", "institution__kind")
    search_fields = ("display_name", "email", "institution__name")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    filter_horizontal = ("expertise", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined", "email_confirmed_at")
    actions = ["make_coordinator", "make_member"]
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name")}),
        (
            _("Role and trust"),
            {"fields": ("role", "trust_level", "trust_level_locked", "is_active")},
        ),
        (
            _("Profile"),
            {
                "fields": (
                    ("profession", "profession_visibility"),
                    ("institution", "institution_visibility"),
                    ("expertise", "expertise_visibility"),
                    ("bio", "bio_visibility"),
                    ("avatar", "avatar_visibility"),
                    "links_visibility",
                    "email_visibility",
                )
            },
        ),
        (_("Dates"), {"fields": ("date_joined", "email_confirmed_at", "last_login")}),
    )
    superuser_fieldsets = (
        (
            _("Superuser only"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.superuser_fieldsets)
        return fieldsets

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("institution")

    def _touches_superuser(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._touches_superuser(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._touches_superuser(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # is_staff follows the role (a superuser may still set it by hand in their section).
        if "role" in form.changed_data or not change:
            services.set_role(user=obj, role=obj.role, by=request.user)  # type: ignore[arg-type]
        if "trust_level" in form.changed_data:
            services.set_trust_level(user=obj, level=obj.trust_level, by=request.user)  # type: ignore[arg-type]

    def _set_role(self, request: HttpRequest, queryset: QuerySet[User], role: str) -> None:
        changed = 0
        for user in queryset:
            if self._touches_superuser(request, user):
                continue
            services.set_role(user=user, role=role, by=request.user)  # type: ignore[arg-type]
            changed += 1
        self.message_user(
            request,
            ngettext("%(count)d member updated.", "%(count)d members updated.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Make the selected members coordinators"))
    def make_coordinator(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_role(request, queryset, Role.COORDINATOR)

    @admin.action(description=_("Make the selected members ordinary members"))
    def make_member(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_role(request, queryset, Role.MEMBER)


@admin.register(Institution)
class InstitutionAdmin(CoordinatorAccessMixin, HttpsUrlFieldsMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "city", "member_count")
    list_filter = ("kind",)
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Institution]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Institution) -> int:
        return int(getattr(obj, "member_count", 0))
