"""Admin pages for the shared models (coordinators tidy tags here), and the coordinators' access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Tag
from maillage.core.tags import clean_tag_name, tag_slug


def is_coordinator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_coordinator", False))


class CoordinatorAccessMixin:
    """ModelAdmin mixin: coordinators may view, add, change and delete without permission rows.

    Access follows the role (members.User.is_coordinator), not Django permissions; superusers
    keep their usual rights. Domain apps' admins can share it.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_coordinator(request) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request) or super().has_delete_permission(request, obj)  # type: ignore[misc]


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self) -> str:
        name = clean_tag_name(self.cleaned_data["name"])
        slug = tag_slug(name)
        if not slug:
            raise forms.ValidationError(_("A tag needs at least one letter or digit."))
        # The slug is the tag's identity: a second "Bibliotheque" would be the same tag.
        clash = Tag.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                _("This is the same tag as “%(existing)s”."), params={"existing": clash.name}
            )
        return name


@admin.register(Tag)
class TagAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    ordering = ["slug"]

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        # Renaming may change the tag's identity: the slug follows the name so lookups still match.
        obj.slug = tag_slug(obj.name)
        super().save_model(request, obj, form, change)


# The review policy's admin lives in its package; importing it here registers it.
from maillage.core.review import admin as review_admin  # noqa: E402, F401

# The search index's admin too.
from maillage.core.search import admin as search_admin  # noqa: E402, F401
