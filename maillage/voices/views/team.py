"""The team: members and roles, invitations, review settings, voices' pages, charter, training."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.members.models import User
from maillage.voices import permissions, selectors
from maillage.voices.forms import (
    InvitationForm,
    ReviewSettingsForm,
    RoleForm,
    TrainingForm,
    VoiceForm,
)
from maillage.voices.models import Space, Voice
from maillage.voices.services import VoicesError
from maillage.voices.services import space as space_services
from maillage.voices.services import voices as voice_services
from maillage.voices.views.common import space_context, space_page


@require_http_methods(["GET", "POST"])
@space_page(permissions.is_member)
def team(request: HttpRequest, space: Space) -> HttpResponse:
    user = cast(User, request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_manage_space(space, user):
            raise PermissionDenied
        if form.is_valid():
            space_services.invite(space=space, by=user, **form.cleaned_data)
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("voices:team", space=space.slug)
    context = {
        **space_context(space, user),
        "memberships": selectors.members_of(space),
        "invitations": space.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
        "voices": space.voices.select_related("user").prefetch_related("expertise"),
        "form": form,
        "role_form": RoleForm(),
    }
    return render(request, "voices/team.html", context)


@require_POST
@space_page(permissions.can_manage_space)
def change_role(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    membership = get_object_or_404(space.memberships, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            space_services.change_role(
                membership=membership, role=form.cleaned_data["role"], by=cast(User, request.user)
            )
            messages.success(request, _("The role is changed."))
        except VoicesError as error:
            messages.error(request, error.message)
    return redirect("voices:team", space=space.slug)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = space_services.open_invitation(token)
    except VoicesError as error:
        return render(request, "voices/invitation.html", {"error": error.message}, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        space_services.accept_invitation(token=token, user=cast(User, request.user))
        messages.success(
            request, _("Welcome to the space of %(name)s.") % {"name": invitation.space.name}
        )
        return redirect("voices:home", space=invitation.space.slug)
    return render(request, "voices/invitation.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
@space_page(permissions.can_manage_space)
def review_settings(request: HttpRequest, space: Space) -> HttpResponse:
    form = ReviewSettingsForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The review settings are saved."))
        return redirect("voices:settings", space=space.slug)
    return render(
        request, "voices/settings.html", {**space_context(space, request.user), "form": form}
    )


@require_http_methods(["GET", "POST"])
@space_page(permissions.is_member)
def voice_edit(request: HttpRequest, space: Space, pk: int | None = None) -> HttpResponse:
    user = cast(User, request.user)
    manager = permissions.can_edit_strategy(space, user)
    voice = get_object_or_404(space.voices, pk=pk) if pk else space.voices.filter(user=user).first()
    if voice is not None and voice.user_id != user.pk and not manager:
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if voice is not None:
        initial = {
            "title": voice.title,
            "bio": voice.bio,
            "public": voice.public,
            "expertise": ", ".join(tag.name for tag in voice.expertise.all()),
            "channels": list(voice.channels.all()),
        }
    form = VoiceForm(
        request.POST or None,
        initial=initial,
        space=space,
        manager=manager,
        person=voice.user if voice is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voice = voice_services.save_voice(
            space=space,
            by=user,
            user=voice.user if voice else user,
            title=data["title"],
            bio=data.get("bio", ""),
            expertise=data.get("expertise", ""),
            channels=data.get("channels", []),
            public=data.get("public", False),
            voice=voice,
        )
        if data.get("training_event") is not None:
            voice_services.record_training_attendance(
                voice=voice, by=user, event=data["training_event"]
            )
        messages.success(request, _("The voice’s page is saved."))
        return redirect(voice.get_absolute_url())
    context = {**space_context(space, user), "form": form, "voice": voice}
    return render(request, "voices/voice_form.html", context)


@require_http_methods(["GET", "POST"])
@space_page(permissions.is_member)
def training(request: HttpRequest, space: Space) -> HttpResponse:
    """The short module: the charter, how review works, three questions; then the charter."""
    user = cast(User, request.user)
    voice = space.voices.filter(user=user).first()
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and voice is not None:
        if "accept_charter" in request.POST:
            voice_services.accept_charter(voice=voice, by=user)
            messages.success(request, _("Thank you: the charter is accepted."))
            return redirect("voices:training", space=space.slug)
        if form.is_valid():
            try:
                voice_services.complete_training(voice=voice, by=user, answers=form.cleaned_data)
            except VoicesError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Training done: well done."))
                return redirect("voices:training", space=space.slug)
    context = {**space_context(space, user), "voice": voice, "form": form}
    return render(request, "voices/training.html", context)


@login_required
def my_spaces(request: HttpRequest) -> HttpResponse:
    memberships = request.user.voices_memberships.select_related("space__institution")  # type: ignore[union-attr]
    return render(request, "voices/my_spaces.html", {"memberships": memberships})


def voice_of(space: Space, user: Any) -> Voice | None:
    return space.voices.filter(user=user).first()
