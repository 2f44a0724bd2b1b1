"""Queries that read members and institutions, always on behalf of a viewer.

A profile field is visible to a viewer when its `<field>_visibility` level allows it or the viewer
is its owner (core.visibility). Filters apply that rule inside the query, so that searching on a
hidden value never reveals who holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Tag
from maillage.core.visibility import Visibility, can_see, levels_visible_to
from maillage.members.models import PROFILE_FIELDS, Institution, ProfileLink, User

DIRECTORY_PAGE_SIZE = 24

# Shown to the owner beside each field of their profile.
VISIBILITY_BADGES = {
    Visibility.PUBLIC: _("visible to everyone"),
    Visibility.MEMBERS: _("visible to members"),
    Visibility.PRIVATE: _("visible only to you"),
}


def network_summary() -> dict[str, int]:
    """Figures for the home page: active members, institutions with members, professions."""
    active = User.objects.filter(is_active=True)
    return {
        "members": active.count(),
        "institutions": Institution.objects.annotate(
            active_members=Count("members", filter=Q(members__is_active=True))
        )
        .filter(active_members__gt=0)
        .count(),
        "professions": active.exclude(profession="").values("profession").distinct().count(),
    }


def field_visible_q(viewer: Any, profile_field: str, *, prefix: str = "") -> Q:
    """Members whose `profile_field` the viewer may see (prefix: "members__" from elsewhere).

    core.visibility.visible_q's rule; the owner is the row itself, compared by primary key.
    """
    condition = Q(**{f"{prefix}{profile_field}_visibility__in": levels_visible_to(viewer)})
    if getattr(viewer, "is_authenticated", False):
        condition |= Q(**{f"{prefix}pk": viewer.pk})
    return condition


# --- What a viewer sees of a profile -------------------------------------------------------------


@dataclass(frozen=True)
class VisibleProfile:
    """A member as one viewer may see them: hidden fields are empty."""

    member: User
    is_owner: bool
    profession: str = ""
    institution: Institution | None = None
    expertise: list[Tag] = field(default_factory=list)
    bio: str = ""
    avatar_url: str = ""
    links: list[ProfileLink] = field(default_factory=list)
    email: str = ""

    @property
    def pk(self) -> int:
        return int(self.member.pk)

    @property
    def display_name(self) -> str:
        return self.member.display_name

    @property
    def visibility(self) -> dict[str, str]:
        """For the owner's own view: who can see each field."""
        if not self.is_owner:
            return {}
        labels = VISIBILITY_BADGES
        return {
            name: str(labels[getattr(self.member, f"{name}_visibility")]) for name in PROFILE_FIELDS
        }


def visible_profile(member: User, viewer: Any, *, with_links: bool = False) -> VisibleProfile:
    """What `viewer` may see of `member` (expertise and links should be prefetched)."""

    def allowed(profile_field: str) -> bool:
        return can_see(viewer, getattr(member, f"{profile_field}_visibility"), owner=member)

    return VisibleProfile(
        member=member,
        is_owner=bool(getattr(viewer, "is_authenticated", False) and viewer.pk == member.pk),
        profession=member.get_profession_display() if allowed("profession") else "",
        institution=member.institution if allowed("institution") else None,
        expertise=list(member.expertise.all()) if allowed("expertise") else [],
        bio=member.bio if allowed("bio") else "",
        avatar_url=avatar_url(member) if member.avatar and allowed("avatar") else "",
        links=list(member.links.all()) if with_links and allowed("links") else [],
        email=member.email if allowed("email") else "",
    )


def avatar_url(member: User) -> str:
    # The file name changes with each upload, so the query string busts caches on change.
    version = member.avatar.name.rsplit("/", 1)[-1][:12]
    return f"{reverse('members:avatar', kwargs={'pk': member.pk})}?v={version}"


def avatar_owner_for(viewer: Any, pk: int) -> User | None:
    """The active member whose avatar the viewer may see, or None."""
    member = User.objects.filter(pk=pk, is_active=True).exclude(avatar="").first()
    if member is None or not can_see(viewer, member.avatar_visibility, owner=member):
        return None
    return member


def profile_for(viewer: Any, pk: int) -> VisibleProfile | None:
    """An active member's profile page, or None (unknown or inactive member)."""
    member = (
        User.objects.filter(pk=pk, is_active=True)
        .select_related("institution")
        .prefetch_related("expertise", "links")
        .first()
    )
    if member is None:
        return None
    return visible_profile(member, viewer, with_links=True)


# --- The directory -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    profession: str = ""
    institution: Institution | None = None
    expertise: str = ""  # a tag's slug


def active_members() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .select_related("institution")
        .prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name")))
        .order_by("display_name", "pk")
    )


def directory_for(viewer: Any, filters: DirectoryFilters | None = None) -> QuerySet[User]:
    """Active members matching the filters, each filter only on values the viewer may see."""
    filters = filters or DirectoryFilters()
    members = active_members()
    if filters.profession:
        members = members.filter(
            Q(profession=filters.profession) & field_visible_q(viewer, "profession")
        )
    if filters.institution is not None:
        members = members.filter(
            Q(institution=filters.institution) & field_visible_q(viewer, "institution")
        )
    if filters.expertise:
        holds_tag = User.expertise.through.objects.filter(
            user=OuterRef("pk"), tag__slug=filters.expertise
        )
        members = members.filter(Exists(holds_tag) & field_visible_q(viewer, "expertise"))
    text = filters.text.strip()
    if text:
        tag_matches = User.expertise.through.objects.filter(
            user=OuterRef("pk"), tag__name__icontains=text
        )
        members = members.filter(
            Q(display_name__icontains=text)
            | (Q(bio__icontains=text) & field_visible_q(viewer, "bio"))
            | (Q(institution__name__icontains=text) & field_visible_q(viewer, "institution"))
            | (Exists(tag_matches) & field_visible_q(viewer, "expertise"))
        )
    return members


def expertise_tags_for(viewer: Any) -> QuerySet[Tag]:
    """Tags that some active member shows as expertise to this viewer (the filter's choices)."""
    shown = User.objects.filter(
        Q(is_active=True, expertise=OuterRef("pk")) & field_visible_q(viewer, "expertise")
    )
    return Tag.objects.filter(Exists(shown)).order_by("name")


# --- Institutions --------------------------------------------------------------------------------


def institutions_for(viewer: Any) -> QuerySet[Institution]:
    """Every institution, with the number of its active members this viewer can see there."""
    shown_here = Q(members__is_active=True) & field_visible_q(
        viewer, "institution", prefix="members__"
    )
    return Institution.objects.annotate(member_count=Count("members", filter=shown_here)).order_by(
        "name"
    )


def institution_members_for(viewer: Any, institution: Institution) -> QuerySet[User]:
    """Active members who show this institution to the viewer."""
    return active_members().filter(
        Q(institution=institution) & field_visible_q(viewer, "institution")
    )
