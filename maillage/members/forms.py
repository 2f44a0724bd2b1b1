"""Forms for signing up, logging in, editing a profile and filtering the directory."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from maillage.core import ratelimit
from maillage.core.forms import link_formset_class
from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.members import selectors
from maillage.members.models import Institution, Profession, User
from maillage.members.services import normalise_email, validate_avatar

logger = logging.getLogger(__name__)

# Our own labels for the visibility levels, so that this app's catalogue translates them.
VISIBILITY_CHOICES = [
    (Visibility.PUBLIC.value, _("Everyone (public)")),
    (Visibility.MEMBERS.value, _("Members of the network")),
    (Visibility.PRIVATE.value, _("Only me")),
]


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We will send you a link to confirm it."),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Your name as other members will see it."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # Asked, never pre-ticked: receiving the network's list is the member's own choice.
    join_mailing_list = forms.BooleanField(
        label=_("Subscribe me to the network's mailing list"),
        required=False,
        initial=False,
        help_text=_("Every message by email; choose a digest or the web only later."),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Email and password, with a limit on failed attempts per client address and account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This email address and password do not match an account."),
        "unconfirmed": _("Your email address is not confirmed yet."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].label = _("Password")
        self.rate_limited = False
        self.unconfirmed_email = ""

    def clean(self) -> dict[str, Any]:
        email = normalise_email(self.cleaned_data.get("username") or "")
        password = self.cleaned_data.get("password")
        ip = ratelimit.client_ip(self.request) if self.request else "unknown"
        limit = ratelimit.login_limit()
        identities = {"ip": ip, "account": email} if email else {"ip": ip}
        wait = limit.seconds_left(**identities)
        if wait:
            self.rate_limited = True
            raise ValidationError(ratelimit.too_many_attempts_message(wait), code="rate_limited")
        if not email or not password:
            return self.cleaned_data
        try:
            cleaned = super().clean()
        except ValidationError:
            if self._is_unconfirmed(email, password):
                self.unconfirmed_email = email
                raise ValidationError(
                    self.error_messages["unconfirmed"], code="unconfirmed"
                ) from None
            if limit.record(**identities):
                logger.warning(
                    "Login rate limit reached (%s failed attempts in %s s): ip=%s account=%s",
                    limit.limit,
                    limit.window,
                    ip,
                    email,
                )
            raise
        limit.clear(account=email)
        return cleaned

    @staticmethod
    def _is_unconfirmed(email: str, password: str) -> bool:
        # Said only to someone who knows the password, so it reveals nothing to others.
        user = User.objects.filter(
            email__iexact=email, is_active=False, email_confirmed_at__isnull=True
        ).first()
        return user is not None and user.check_password(password)


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class AvatarField(forms.ImageField):
    """An image up to 2 MB; the size is checked before the image is decoded."""

    def to_python(self, data: Any) -> Any:
        if data:
            validate_avatar(data)
        return super().to_python(data)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120)
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("(not given)")), *Profession.choices],
    )
    profession_visibility = forms.ChoiceField(
        label=_("Who can see your profession"), choices=VISIBILITY_CHOICES
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=Institution.objects.order_by("name"),
        empty_label=_("(none)"),
        help_text=_("Missing from the list? Ask a coordinator to add it."),
    )
    institution_visibility = forms.ChoiceField(
        label=_("Who can see your institution"), choices=VISIBILITY_CHOICES
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=600,
        help_text=_(
            "Topics you know well, separated by commas (for example: fonds anciens, wiki)."
        ),
    )
    expertise_visibility = forms.ChoiceField(
        label=_("Who can see your expertise"), choices=VISIBILITY_CHOICES
    )
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines about you and your work. Markdown is accepted."),
    )
    bio_visibility = forms.ChoiceField(label=_("Who can see your bio"), choices=VISIBILITY_CHOICES)
    avatar = AvatarField(
        label=_("Photo or avatar"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
        help_text=_("JPEG, PNG, GIF or WebP, 2 MB at most."),
    )
    avatar_visibility = forms.ChoiceField(
        label=_("Who can see your photo"), choices=VISIBILITY_CHOICES
    )
    links_visibility = forms.ChoiceField(
        label=_("Who can see your links"), choices=VISIBILITY_CHOICES
    )
    email_visibility = forms.ChoiceField(
        label=_("Who can see your email address"), choices=VISIBILITY_CHOICES
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "display_name": user.display_name,
            "profession": user.profession,
            "institution": user.institution_id,
            "expertise": ", ".join(tag.name for tag in user.expertise.all()),
            "bio": user.bio,
            "avatar": user.avatar,
        }
        for name in cls.base_fields:
            if name.endswith("_visibility"):
                initial[name] = getattr(user, name)
        return initial

    def visibility(self) -> dict[str, str]:
        return {
            name.removesuffix("_visibility"): value
            for name, value in self.cleaned_data.items()
            if name.endswith("_visibility")
        }


ProfileLinkFormSet = link_formset_class(title_max_length=120)


class DirectoryFilterForm(forms.Form):
    """The directory's filters (GET); each choice list only offers what the viewer may see."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"id": "directory-q"}),
        help_text=_("A name, a word of a bio, an institution or an expertise."),
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("All professions")), *Profession.choices],
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=Institution.objects.none(),
        to_field_name="slug",
        empty_label=_("All institutions"),
    )
    expertise = forms.ModelChoiceField(
        label=_("Expertise"),
        required=False,
        queryset=Tag.objects.none(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution_field = self.fields["institution"]
        expertise_field = self.fields["expertise"]
        assert isinstance(institution_field, forms.ModelChoiceField)
        assert isinstance(expertise_field, forms.ModelChoiceField)
        institution_field.queryset = Institution.objects.order_by("name")
        expertise_field.queryset = selectors.expertise_tags_for(viewer)

    def filters(self) -> selectors.DirectoryFilters:
        self.is_valid()  # a filter with a stale value is dropped; the others still apply
        data = self.cleaned_data
        tag = data.get("expertise")
        return selectors.DirectoryFilters(
            text=data.get("q") or "",
            profession=data.get("profession") or "",
            institution=data.get("institution"),
            # A topic the viewer may not see is not among the choices, yet it must still filter
            # (to nobody), not be dropped and list everyone.
            expertise=tag.slug if tag else str(self.data.get("expertise") or "")[:60],
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, but the email leaves from the task queue, not from the request."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        from maillage.members import tasks

        language = translation.get_language() or settings.LANGUAGE_CODE
        for user in self.get_users(self.cleaned_data["email"]):
            tasks.send_password_reset_email(user.pk, language)
