"""Forms of the showcase: proposing or editing a project, adding evidence by hand or by address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import link_formset_class
from maillage.core.licences import Licence
from maillage.core.tags import split_tag_names
from maillage.members.models import Institution, InstitutionKind, User
from maillage.onboarding.selectors import published_objections
from maillage.showcase.evidence import EvidenceContent
from maillage.showcase.models import Audience, Evidence, EvidenceKind, Project
from maillage.showcase.services import NewInstitution, ProjectContent

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HttpURLField(forms.URLField):
    """An http(s) address; one typed without its scheme is taken as https://."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


ProjectLinkFormSet = link_formset_class(title_max_length=200)


class ProjectForm(forms.ModelForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("name", "city"),
        required=False,
        empty_label=_("Another institution (give its name below)"),
    )
    new_institution_name = forms.CharField(
        label=_("Name of the institution"), max_length=200, required=False
    )
    new_institution_kind = forms.ChoiceField(
        label=_("Kind of institution"),
        choices=InstitutionKind.choices,
        initial=InstitutionKind.LIBRARY,
        required=False,
    )
    new_institution_city = forms.CharField(label=_("City"), max_length=120, required=False)
    audiences = forms.MultipleChoiceField(
        label=_("Audiences reached"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    platform_names = forms.CharField(
        label=_("Platforms and tools"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (for example: Facebook, WordPress, Flickr)."),
    )
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (for example: muséum, humour, médiation)."),
    )
    objections = forms.ModelMultipleChoiceField(
        label=_("Objections this project answered"),
        queryset=published_objections(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The objections of the first steps that your project shows can be overcome."),
    )
    url = HttpURLField(label=_("Address of the project"), required=False)
    accessibility_statement_url = HttpURLField(
        label=_("Address of its accessibility statement"), required=False
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "summary",
            "kind",
            "institution",
            "region",
            "url",
            "started_on",
            "ended_on",
            "status",
            "team_size",
            "budget_band",
            "description",
            "obstacles",
            "lessons",
            "accessibility",
            "accessibility_statement_url",
            "contact",
            "content_licence",
            "licence",
            "visibility",
        ]
        labels = {
            "name": _("Name of the project"),
            "licence": _("Licence of this description"),
            "visibility": _("Who can read this page"),
        }
        help_texts = {
            "description": _("Markdown: what was done, how, with whom."),
            "obstacles": _("Markdown: the objections heard, and what answered them."),
            "lessons": _("Markdown: what you would tell a colleague starting out."),
            "content_licence": _("Under which licence the project publishes its own content."),
            "licence": _("This page and its dossier are shared under this licence."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "obstacles": forms.Textarea(attrs={"rows": 6}),
            "lessons": forms.Textarea(attrs={"rows": 6}),
            "started_on": DATE_INPUT,
            "ended_on": DATE_INPUT,
            "status": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, proposer: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = User.objects.filter(is_active=True).order_by("display_name", "pk")
        licence = self.fields["content_licence"]
        assert isinstance(licence, forms.ChoiceField)
        licence.choices = [("", _("not said")), *Licence.choices]
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["platform_names"] = ", ".join(
                platform.name for platform in self.instance.platforms.all()
            )
            self.initial["audiences"] = [row.audience for row in self.instance.audience_rows.all()]
            self.initial["objections"] = [
                objection.pk for objection in self.instance.objections.all()
            ]
        elif proposer is not None:
            self.initial.setdefault("institution", proposer.institution_id)
            self.initial.setdefault("contact", proposer.pk)

    def clean_tag_names(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("tag_names") or ""))

    def clean_platform_names(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("platform_names") or ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("institution")
            and not (cleaned.get("new_institution_name") or "").strip()
        ):
            self.add_error(
                "new_institution_name",
                _("Choose the project's institution in the list, or give its name here."),
            )
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The project cannot end before it starts."))
        return cleaned

    def content(self, links: list[tuple[str, str]]) -> ProjectContent:
        data = self.cleaned_data
        new = None
        if not data.get("institution"):
            new = NewInstitution(
                name=data.get("new_institution_name") or "",
                kind=data.get("new_institution_kind") or InstitutionKind.OTHER,
                city=data.get("new_institution_city") or "",
            )
        return ProjectContent(
            name=data["name"],
            summary=data["summary"],
            kind=data["kind"],
            institution=data.get("institution"),
            new_institution=new,
            description=data.get("description") or "",
            region=data.get("region") or "",
            platform_names=data.get("platform_names") or "",
            audiences=tuple(data.get("audiences") or ()),
            started_on=data.get("started_on"),
            ended_on=data.get("ended_on"),
            url=data.get("url") or "",
            links=links,
            status=data["status"],
            team_size=data.get("team_size"),
            budget_band=data["budget_band"],
            obstacles=data.get("obstacles") or "",
            lessons=data.get("lessons") or "",
            accessibility=data["accessibility"],
            accessibility_statement_url=data.get("accessibility_statement_url") or "",
            contact=data.get("contact"),
            tag_names=data.get("tag_names") or "",
            content_licence=data.get("content_licence") or "",
            licence=data["licence"],
            visibility=data["visibility"],
            is_demo=self.instance.is_demo if self.instance.pk else False,
            objections=list(data.get("objections") or ()),
        )


def link_formset(data: Any = None, project: Project | None = None) -> Any:
    initial = (
        [{"title": link.title, "url": link.url} for link in project.links.all()] if project else []
    )
    return ProjectLinkFormSet(data, initial=initial, prefix="links")


class EvidenceForm(forms.ModelForm):
    source_url = HttpURLField(label=_("Source address"), required=False)

    class Meta:
        model = Evidence
        fields = [
            "kind",
            "date",
            "title",
            "source_url",
            "publication",
            "author_name",
            "quote",
            "metric",
            "value",
            "unit",
            "period",
            "highlighted",
        ]
        help_texts = {
            "metric": _("For a figure: what is counted (“Facebook subscribers”)."),
            "value": _("For a figure: the number (1240)."),
            "unit": _("For a figure, if any (“visits”, “%”)."),
        }
        widgets = {"date": DATE_INPUT, "quote": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == EvidenceKind.FIGURE:
            if not (cleaned.get("metric") or "").strip():
                self.add_error("metric", _("A figure needs a metric."))
            if cleaned.get("value") is None:
                self.add_error("value", _("A figure needs a value."))
        elif not any(cleaned.get(name) for name in ("quote", "title", "source_url")):
            self.add_error(None, _("Give at least a title, a quote or the source's address."))
        return cleaned

    def _post_clean(self) -> None:
        # The model's constraints are checked by the service, on the whole item.
        pass

    def content(self) -> EvidenceContent:
        data = self.cleaned_data
        return EvidenceContent(
            kind=data["kind"],
            date=data.get("date"),
            title=data.get("title") or "",
            source_url=data.get("source_url") or "",
            publication=data.get("publication") or "",
            author_name=data.get("author_name") or "",
            quote=data.get("quote") or "",
            metric=data.get("metric") or "",
            value=data.get("value"),
            unit=data.get("unit") or "",
            period=data.get("period") or "",
            highlighted=bool(data.get("highlighted")),
        )


class EvidenceAddressForm(forms.Form):
    url = HttpURLField(
        label=_("Address of the page"),
        help_text=_("We read its title, site, date and an excerpt in the background."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EvidenceKind.choices, initial=EvidenceKind.PRESS
    )
