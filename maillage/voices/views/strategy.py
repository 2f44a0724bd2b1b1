"""The strategy canvas, its versions, and the channels ("strategy before the tool")."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.members.models import User
from maillage.voices import permissions, selectors
from maillage.voices.forms import AudienceForm, ChannelForm, CharterForm, GoalForm, KeyMessageForm
from maillage.voices.models import Audience, KeyMessage, Space
from maillage.voices.services import VoicesError
from maillage.voices.services import strategy as strategy_services
from maillage.voices.views.common import space_context, space_page


@require_http_methods(["GET", "POST"])
@space_page(permissions.is_member)
def strategy(request: HttpRequest, space: Space) -> HttpResponse:
    """Everyone in the space reads it; editors and administrators add to it (one form a POST,
    named by its submit button)."""
    user = cast(User, request.user)
    editable = permissions.can_edit_strategy(space, user)
    part = request.POST.get("part", "")
    forms = {
        "goal": GoalForm(request.POST if part == "goal" else None, prefix="goal"),
        "audience": AudienceForm(request.POST if part == "audience" else None, prefix="audience"),
        "message": KeyMessageForm(
            request.POST if part == "message" else None, prefix="message", space=space
        ),
        "charter": CharterForm(
            request.POST if part == "charter" else None, prefix="charter", instance=space
        ),
    }
    if request.method == "POST":
        if not editable:
            return HttpResponse(status=403)
        form = forms.get(part)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if part == "goal":
                    strategy_services.save_goal(space=space, by=user, **data)
                elif part == "audience":
                    strategy_services.save_audience(space=space, by=user, **data)
                elif part == "message":
                    strategy_services.save_key_message(space=space, by=user, **data)
                else:
                    space.refresh_from_db()
                    strategy_services.save_charter_and_tone(space=space, by=user, **data)
            except (VoicesError, ValidationError) as error:
                messages.error(request, str(getattr(error, "message", error)))
            else:
                messages.success(request, _("Saved: the strategy has a new version."))
                return redirect("voices:strategy", space=space.slug)
    version = strategy_services.current_version(space)
    context = {
        **space_context(space, user),
        "editable": editable,
        "forms": forms,
        "goals": space.goals.all(),
        "audiences": space.audiences.filter(archived=False).prefetch_related("messages"),
        "version": version,
        "versions": space.versions.select_related("created_by").order_by("-number")[:10],
        "readiness": strategy_services.readiness(space),
    }
    return render(request, "voices/strategy.html", context)


@space_page(permissions.is_member)
def version_detail(request: HttpRequest, space: Space, number: int) -> HttpResponse:
    version = get_object_or_404(space.versions, number=number)
    context = {**space_context(space, request.user), "version": version}
    return render(request, "voices/version_detail.html", context)


@require_POST
@space_page(permissions.can_edit_strategy)
def archive(request: HttpRequest, space: Space, what: str, pk: int) -> HttpResponse:
    item: Audience | KeyMessage = (
        get_object_or_404(space.audiences, pk=pk)
        if what == "public"
        else get_object_or_404(space.key_messages, pk=pk)
    )
    strategy_services.archive(space=space, by=cast(User, request.user), item=item)
    messages.success(request, _("Archived: past posts keep it."))
    return redirect("voices:strategy", space=space.slug)


@require_http_methods(["GET", "POST"])
@space_page(permissions.is_member)
def channels(request: HttpRequest, space: Space, pk: int | None = None) -> HttpResponse:
    user = cast(User, request.user)
    readiness = strategy_services.readiness(space)
    channel = get_object_or_404(space.channels, pk=pk) if pk else None
    initial = {}
    if channel is not None:
        initial = {
            "kind": channel.kind,
            "name": channel.name,
            "audiences": list(channel.audiences.all()),
            "target_per_week": channel.target_per_week,
            "base_url": channel.base_url,
            "account": channel.account,
            "voice": channel.voice,
        }
    form = ChannelForm(request.POST or None, initial=initial, space=space)
    if request.method == "POST":
        if not permissions.can_manage_channels(space, user):
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = strategy_services.save_channel(
                    space=space,
                    by=user,
                    kind=data["kind"],
                    name=data["name"],
                    audiences=data["audiences"],
                    target_per_week=data["target_per_week"],
                    base_url=data["base_url"] or "",
                    account=data["account"] or "",
                    credentials=form.credentials(),
                    voice=data["voice"],
                    channel=channel,
                )
            except (VoicesError, ValidationError) as error:
                form.add_error(None, str(getattr(error, "message", error)))
            else:
                messages.success(
                    request, _("The channel %(name)s is saved.") % {"name": saved.name}
                )
                return redirect("voices:channels", space=space.slug)
    context = {
        **space_context(space, user),
        "channels": selectors.channels_of(space),
        "form": form,
        "channel": channel,
        "readiness": readiness,
    }
    return render(request, "voices/channels.html", context)
