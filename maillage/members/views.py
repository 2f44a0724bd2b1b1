"""Pages for members: sign-up, login, profiles, the directory and institutions."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from maillage.core import ratelimit
from maillage.core.files import file_response
from maillage.members import forms, selectors, services
from maillage.members.models import Institution, User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# --- Sign-up and confirmation --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("members:directory")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each sign-up sends an email: limit them per client address against mail bombing.
        limit = ratelimit.signup_limit()
        client = ratelimit.client_ip(request)
        wait = limit.seconds_left(ip=client)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
            return render(request, "members/signup.html", {"form": form}, status=429)
        limit.record(ip=client)
        member = services.sign_up(
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
        )
        if member is not None and form.cleaned_data.get("join_mailing_list"):
            from maillage.mailing.services.subscriptions import subscribe_at_sign_up

            subscribe_at_sign_up(member=member)
        # The same page whether the address was new or not (see services.sign_up).
        request.session["members_check_inbox"] = form.cleaned_data["email"]
        return redirect("members:signup_done")
    return render(request, "members/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("members_check_inbox", "")
    return render(request, "members/signup_done.html", {"email": email})


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.confirm_email(token=token)
    except services.EmailConfirmationError as error:
        return render(request, "members/confirm_invalid.html", {"reason": error.reason}, status=400)
    messages.success(request, _("Your email address is confirmed. You can now log in."))
    return redirect("members:login")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = forms.ResendConfirmationForm(
        request.POST or None, initial={"email": request.GET.get("email", "")}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limit = ratelimit.resend_limit()
        identities = {"ip": ratelimit.client_ip(request), "account": email}
        wait = limit.seconds_left(**identities)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
            status = 429
        else:
            limit.record(**identities)
            services.resend_confirmation(email=email)
            request.session["members_check_inbox"] = email
            return redirect("members:signup_done")
    return render(request, "members/resend_confirmation.html", {"form": form}, status=status)


# --- Logging in and out, passwords ---------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "members/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "rate_limited", False):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or an image cannot log anyone out."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "members/password_reset_form.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("members:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Same limit as logins: a stranger cannot flood someone's inbox with reset emails.
        limit = ratelimit.RateLimit(
            "password-reset", settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW
        )
        identities = {
            "ip": ratelimit.client_ip(self.request),
            "account": form.cleaned_data["email"],
        }
        wait = limit.seconds_left(**identities)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        limit.record(**identities)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("members:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "members/password_change_form.html"
    success_url = reverse_lazy("members:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "members/password_change_done.html"


# --- Profiles ------------------------------------------------------------------------------------


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.profile_for(request.user, pk)
    if visible is None:
        raise Http404(_("No member here."))
    return render(request, "members/profile_detail.html", {"profile": visible})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    # A fresh copy: a rejected form must not change the user shown in the page header.
    member = User.objects.prefetch_related("expertise", "links").get(pk=cast(User, request.user).pk)
    existing_links = list(member.links.all())
    link_initial = [{"title": link.title, "url": link.url} for link in existing_links]
    form = forms.ProfileForm(
        request.POST or None, request.FILES or None, initial=forms.ProfileForm.initial_for(member)
    )
    links = forms.ProfileLinkFormSet(request.POST or None, prefix="links", initial=link_initial)
    if request.method == "POST" and form.is_valid() and links.is_valid():
        data = form.cleaned_data
        avatar = data.get("avatar")
        try:
            services.update_profile(
                user=member,
                display_name=data["display_name"],
                profession=data["profession"],
                institution=data["institution"],
                expertise=data["expertise"],
                bio=data["bio"],
                links=[services.LinkData(title=title, url=url) for title, url in links.links()],
                visibility=form.visibility(),
                avatar=avatar if isinstance(avatar, UploadedFile) else None,
                remove_avatar=avatar is False,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("members:profile", pk=member.pk)
    return render(request, "members/profile_edit.html", {"form": form, "links": links})


# --- Directory and institutions ------------------------------------------------------------------


def directory(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.DirectoryFilterForm(request.GET, viewer=request.user)
    members = selectors.directory_for(request.user, form.filters())
    page = Paginator(members, selectors.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "profiles": [selectors.visible_profile(member, request.user) for member in page],
        "filtered": any(request.GET.get(name) for name in form.fields),
    }
    template = "members/_directory_results.html" if request.htmx else "members/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def institution_list(request: HttpRequest) -> HttpResponse:
    institutions = selectors.institutions_for(request.user)
    return render(request, "members/institution_list.html", {"institutions": institutions})


def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    members = selectors.institution_members_for(request.user, institution)
    page = Paginator(members, selectors.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "institution": institution,
        "page": page,
        "profiles": [selectors.visible_profile(member, request.user) for member in page],
    }
    return render(request, "members/institution_detail.html", context)


def avatar(request: HttpRequest, pk: int) -> FileResponse:
    """The avatar file, for those who may see it on the profile (404 for the others)."""
    member = selectors.avatar_owner_for(request.user, pk)
    if member is None:
        raise Http404
    return file_response(member.avatar, private=member.avatar_visibility != "public")
