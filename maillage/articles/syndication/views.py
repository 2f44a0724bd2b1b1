"""The coordinators' pages for partner feeds. Thin: services act, selectors read; a service's
refusal is shown to the person as a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.articles.syndication import forms, selectors, services
from maillage.articles.syndication.models import FeedItem, Subscription
from maillage.members.models import User

View = Callable[..., HttpResponse]


def coordinators_only(view: View) -> View:
    """Anonymous visitors go to the login page; members who are not coordinators get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_manage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _coordinator(request: HttpRequest) -> User:
    return cast(User, request.user)


@coordinators_only
def subscription_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, forms.SubscriptionForm())


def _list_page(
    request: HttpRequest, form: forms.SubscriptionForm, status: int = 200
) -> HttpResponse:
    context = {
        "subscriptions": list(selectors.subscriptions_with_counts()),
        "items": list(selectors.latest_items()),
        "form": form,
        "share_form": forms.ShareForm(),
    }
    return render(request, "syndication/subscription_list.html", context, status=status)


@require_POST
@coordinators_only
def subscription_create(request: HttpRequest) -> HttpResponse:
    form = forms.SubscriptionForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    subscription = services.subscribe(by=_coordinator(request), data=form.data_for_service())
    messages.success(
        request, _("Subscribed to %(name)s: its feed is being fetched.") % {"name": subscription}
    )
    return redirect(subscription.get_absolute_url())


@coordinators_only
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk)
    form = forms.SubscriptionForm(instance=subscription)
    return _detail_page(request, subscription, form)


def _detail_page(
    request: HttpRequest,
    subscription: Subscription,
    form: forms.SubscriptionForm,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(selectors.items_of(subscription), selectors.ITEM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "subscription": subscription,
        "page": page,
        "items": list(page),
        "form": form,
        "share_form": forms.ShareForm(),
    }
    return render(request, "syndication/subscription_detail.html", context, status=status)


@require_POST
@coordinators_only
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk)
    form = forms.SubscriptionForm(request.POST, instance=subscription)
    if not form.is_valid():
        subscription.refresh_from_db()
        return _detail_page(request, subscription, form, status=400)
    services.update_subscription(
        subscription=subscription, by=_coordinator(request), data=form.data_for_service()
    )
    messages.success(request, _("The subscription is saved."))
    return redirect(subscription.get_absolute_url())


@require_POST
@coordinators_only
def subscription_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk)
    services.request_fetch(subscription=subscription, by=_coordinator(request))
    messages.info(
        request, _("The feed is being fetched; reload the page in a moment to see the result.")
    )
    return redirect(subscription.get_absolute_url())


def _share(request: HttpRequest, pk: int, action: Callable[..., Any]) -> HttpResponse:
    item = get_object_or_404(FeedItem.objects.select_related("subscription"), pk=pk)
    form = forms.ShareForm(request.POST)
    publish = bool(form.cleaned_data["publish"]) if form.is_valid() else False
    try:
        article = action(item=item, by=_coordinator(request), publish=publish)
    except services.NotAllowed:
        raise
    except services.SyndicationError as error:
        messages.error(request, str(error))
        return redirect(item.subscription.get_absolute_url())
    if article.status == "published":
        messages.success(request, _("“%(title)s” is published.") % {"title": article.title})
    else:
        messages.success(
            request,
            _("“%(title)s” is saved as a draft: look it over, then publish it.")
            % {"title": article.title},
        )
    return redirect(article.get_absolute_url())


@require_POST
@coordinators_only
def item_republish(request: HttpRequest, pk: int) -> HttpResponse:
    return _share(request, pk, services.republish_item)


@require_POST
@coordinators_only
def item_excerpt(request: HttpRequest, pk: int) -> HttpResponse:
    return _share(request, pk, services.share_excerpt)
