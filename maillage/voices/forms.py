"""Forms of the voices' pages: labelled, validated here and again by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.events.models import Event, EventKind
from maillage.voices.connectors import available_kinds, connector_class
from maillage.voices.models import (
    Audience,
    Channel,
    ChannelKind,
    Goal,
    KeyMessage,
    Role,
    Space,
    Tone,
    Voice,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VOICE)
    title = forms.CharField(
        label=_("Title of the voice"),
        required=False,
        max_length=160,
        help_text=_("For a voice: what they do, e.g. “in charge of the insect collections”."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "strategy_line"]


class AudienceForm(forms.ModelForm):
    class Meta:
        model = Audience
        fields = ["name", "who", "cares_about", "where_online", "rough_size"]
        widgets = {
            "who": forms.Textarea(attrs={"rows": 2}),
            "cares_about": forms.Textarea(attrs={"rows": 2}),
        }


class KeyMessageForm(forms.ModelForm):
    class Meta:
        model = KeyMessage
        fields = ["audience", "text"]

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ModelChoiceField)
        audience.queryset = space.audiences.filter(archived=False)


class CharterForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = ["charter", "tone_guidelines"]
        widgets = {"charter": forms.Textarea(attrs={"rows": 8})}


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = [
            "watch_words",
            "sample_rate",
            "review_hours",
            "on_silence",
            "working_day_start",
            "working_day_end",
            "working_days",
        ]
        widgets = {
            "watch_words": forms.Textarea(attrs={"rows": 4}),
            "working_day_start": forms.TimeInput(attrs={"type": "time"}),
            "working_day_end": forms.TimeInput(attrs={"type": "time"}),
            "on_silence": forms.RadioSelect,
        }


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=120)
    audiences = forms.ModelMultipleChoiceField(
        label=_("Audiences it serves"),
        queryset=Audience.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A channel exists for the people it reaches."),
    )
    target_per_week = forms.IntegerField(
        label=_("Posts per week (target)"), min_value=0, max_value=100, initial=3
    )
    base_url = forms.URLField(
        label=_("Server address"),
        required=False,
        assume_scheme="https",
        help_text=_("Mastodon: your instance (https://…). Bluesky: https://bsky.social."),
    )
    account = forms.CharField(
        label=_("Account"), required=False, max_length=200, help_text=_("Handle or login.")
    )
    secret = forms.CharField(
        label=_("Access token or app password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted; leave empty to keep the current one."),
    )
    voice = forms.ModelChoiceField(
        label=_("Personal account of"),
        queryset=Voice.objects.none(),
        required=False,
        help_text=_("Leave empty for an account of the institution."),
    )

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in ChannelKind.values if kind in available_kinds()]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind, ChannelKind(kind).label) for kind in kinds
        ]
        audiences = self.fields["audiences"]
        assert isinstance(audiences, forms.ModelMultipleChoiceField)
        audiences.queryset = space.audiences.filter(archived=False)
        voice = self.fields["voice"]
        assert isinstance(voice, forms.ModelChoiceField)
        voice.queryset = space.voices.select_related("user")

    def credentials(self) -> dict[str, str]:
        connector = connector_class(self.cleaned_data["kind"])
        secret = self.cleaned_data.get("secret") or ""
        if connector is None or not connector.credential_fields or not secret:
            return {}
        return {connector.credential_fields[0].name: secret}


class VoiceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    bio = forms.CharField(
        label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        help_text=_("Subjects separated by commas: posts on them are within this voice’s field."),
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels they may use"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.BooleanField(label=_("Public page"), required=False, initial=True)
    training_event = forms.ModelChoiceField(
        label=_("Training attended"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("A training workshop of the network this person was checked in at."),
    )

    def __init__(
        self, *args: Any, space: Space, manager: bool, person: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        channels = self.fields["channels"]
        assert isinstance(channels, forms.ModelMultipleChoiceField)
        channels.queryset = space.channels.filter(active=True, voice__isnull=True)
        training = self.fields["training_event"]
        assert isinstance(training, forms.ModelChoiceField)
        if person is not None:
            training.queryset = Event.objects.filter(
                kind=EventKind.TRAINING,
                registrations__user=person,
                registrations__checked_in_at__isnull=False,
            ).distinct()
        if not manager:
            del self.fields["expertise"]
            del self.fields["channels"]
        if not manager or person is None:
            del self.fields["training_event"]


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "data-post-text": ""}),
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"data-post-link": ""}),
    )
    image = forms.ImageField(label=_("Image"), required=False)
    image_alt = forms.CharField(
        label=_("Text alternative of the image"),
        required=False,
        max_length=1000,
        help_text=_("Required with an image: what it shows, for people who cannot see it."),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    audience = forms.ModelChoiceField(
        label=_("Audience"), queryset=Audience.objects.none(), required=False
    )
    key_message = forms.ModelChoiceField(
        label=_("Key message"), queryset=KeyMessage.objects.none(), required=False
    )
    tone = forms.ChoiceField(label=_("Tone"), choices=Tone.choices, initial=Tone.WARM)
    tags = forms.CharField(
        label=_("Topics"),
        required=False,
        help_text=_("Separated by commas. Within your expertise, the post goes out directly."),
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_for = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Empty: as soon as it is decided."),
    )

    def __init__(self, *args: Any, space: Space, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ModelChoiceField)
        audience.queryset = space.audiences.filter(archived=False)
        message = self.fields["key_message"]
        assert isinstance(message, forms.ModelChoiceField)
        message.queryset = KeyMessage.objects.filter(space=space, archived=False).select_related(
            "audience"
        )
        message.label_from_instance = message_label  # type: ignore[method-assign,assignment]
        chosen = self.fields["channels"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = Channel.objects.filter(pk__in=[channel.pk for channel in channels])


def message_label(message: Any) -> str:
    return f"{message.audience.name} — {message.text}"


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("A word for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not published"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The author reads it, and may edit the post."),
    )


class RepostForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        label=_("On the institution’s channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channels"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Channel.objects.filter(pk__in=[channel.pk for channel in channels])


class TrainingForm(forms.Form):
    discretion = forms.ChoiceField(
        label=_("A visitor asks your opinion on a decision of the direction. You…"),
        widget=forms.RadioSelect,
        choices=[
            ("a", _("give your personal opinion: it is your account")),
            ("b", _("thank them and point to the institution’s public position")),
            ("c", _("delete the question")),
        ],
    )
    outside = forms.ChoiceField(
        label=_("You want to post about a subject outside your expertise. It…"),
        widget=forms.RadioSelect,
        choices=[
            ("a", _("cannot be posted")),
            ("b", _("is published at once anyway")),
            ("c", _("goes to a colleague for a look first, within a couple of working hours")),
        ],
    )
    crisis = forms.ChoiceField(
        label=_("A post of yours starts a storm of angry replies. First…"),
        widget=forms.RadioSelect,
        choices=[
            ("a", _("follow the charter’s crisis steps and tell the editors")),
            ("b", _("answer every reply at once")),
            ("c", _("close your account")),
        ],
    )
